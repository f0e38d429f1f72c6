using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Wire;

public class ValueTypeTests
{
    [Fact]
    public void ShortChannelIdPacksItsParts()
    {
        var scid = new ShortChannelId(539268, 845, 1);
        Assert.Equal("539268x845x1", scid.ToString());
        Assert.Equal((539268UL << 40) | (845UL << 16) | 1, scid.ToUInt64());
        Assert.Equal(scid, ShortChannelId.FromUInt64(scid.ToUInt64()));
        Assert.Equal(scid, ShortChannelId.Parse("539268x845x1"));
        Assert.Equal(scid, ShortChannelId.FromBytes(scid.ToArray()));
        Assert.Equal("539268x845x1", $"{scid}");
        Assert.True(new ShortChannelId(1, 0, 0) > new ShortChannelId(0, 0xFFFFFF, 0xFFFF));

        ShortChannelId max = ShortChannelId.FromUInt64(ulong.MaxValue);
        Assert.Equal("16777215x16777215x65535", max.ToString());
        Assert.Equal(max, ShortChannelId.Parse(max.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1x2")]
    [InlineData("1x2x3x4")]
    [InlineData("16777216x0x0")]
    [InlineData("0x16777216x0")]
    [InlineData("0x0x65536")]
    [InlineData("-1x0x0")]
    [InlineData(" 1x0x0")]
    [InlineData("1xx0")]
    [InlineData("0x10x0x1")]
    public void ShortChannelIdRejectsBadText(string text)
    {
        Assert.False(ShortChannelId.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ShortChannelId.Parse(text));
    }

    [Fact]
    public void ShortChannelIdPartsAreRangeChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortChannelId(0x1000000, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortChannelId(0, 0x1000000, 0));
    }

    [Fact]
    public void FixedByteValuesCompareByContent()
    {
        byte[] a = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        byte[] b = (byte[])a.Clone();
        b[63] ^= 1;

        Assert.Equal(new CompactEcdsaSignature(a), new CompactEcdsaSignature((byte[])a.Clone()));
        Assert.NotEqual(new CompactEcdsaSignature(a), new CompactEcdsaSignature(b));
        Assert.Equal(new CompactEcdsaSignature(a).GetHashCode(), new CompactEcdsaSignature((byte[])a.Clone()).GetHashCode());
        Assert.True(new Bip340Signature(a) != new Bip340Signature(b));
        Assert.Equal(Convert.ToHexStringLower(a), new Bip340Signature(a).ToString());

        var channel = new ChannelId(a.AsSpan(0, 32));
        Assert.Equal(channel, ChannelId.Parse(channel.ToString()));
        Assert.Equal(a[..32], channel.ToArray());
        Assert.Throws<ArgumentException>(() => new ChannelId(a));
        Assert.Throws<FormatException>(() => ChannelId.Parse("00"));
        Assert.Throws<ArgumentException>(() => channel.WriteTo(new byte[31]));
    }

    [Fact]
    public void TlvRecordsCompareByContent()
    {
        var a = new TlvRecord(5, new byte[] { 1, 2 });
        var b = new TlvRecord(5, new byte[] { 1, 2 });
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new TlvRecord(7, new byte[] { 1, 2 }));
        Assert.NotEqual(a, new TlvRecord(5, new byte[] { 1, 3 }));
        Assert.True(a.IsOdd);
        Assert.Equal(4, a.EncodedLength);
        Assert.Equal("tlv 5: 0102", a.ToString());
    }
}
