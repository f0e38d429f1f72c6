using System.Buffers;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Wire;

public class PrimitiveTests
{
    private const string MainnetChainHashOnTheWire = "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000";
    private const string ValidPoint = "023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb";

    [Fact]
    public void MainnetChainHashIsWrittenInItsWireByteOrder()
    {
        var bytes = new byte[32];
        var writer = new SpanWireWriter(bytes);
        writer.WriteChainHash(Network.Main.GenesisHash);
        Assert.Equal(MainnetChainHashOnTheWire, Convert.ToHexStringLower(bytes));

        var reader = new WireReader(Convert.FromHexString(MainnetChainHashOnTheWire));
        Assert.True(reader.TryReadChainHash(out uint256? read));
        Assert.Equal(Network.Main.GenesisHash, read);
        Assert.Equal("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", read.ToString());
    }

    [Fact]
    public void IntegersAreBigEndian()
    {
        byte[] bytes = Convert.FromHexString("01" + "0203" + "04050607" + "08090a0b0c0d0e0f");
        var reader = new WireReader(bytes);
        Assert.Equal(0x01, reader.ReadByte());
        Assert.Equal(0x0203, reader.ReadU16());
        Assert.Equal(0x04050607u, reader.ReadU32());
        Assert.Equal(0x08090a0b0c0d0e0fUL, reader.ReadU64());
        reader.EnsureEnd();

        var output = new byte[bytes.Length];
        var writer = new SpanWireWriter(output);
        writer.WriteByte(0x01);
        writer.WriteU16(0x0203);
        writer.WriteU32(0x04050607);
        writer.WriteU64(0x08090a0b0c0d0e0f);
        Assert.Equal(bytes, output);
    }

    [Theory]
    [InlineData("", 0UL)]
    [InlineData("01", 1UL)]
    [InlineData("ff", 255UL)]
    [InlineData("0100", 256UL)]
    [InlineData("ffffffffffffffff", ulong.MaxValue)]
    public void TruncatedU64IsMinimal(string hex, ulong value)
    {
        Assert.Equal(value, new WireReader(Convert.FromHexString(hex)).ReadTU64());
        Assert.Equal(hex.Length / 2, WireSize.TU64(value));
        var output = new byte[hex.Length / 2];
        var writer = new SpanWireWriter(output);
        writer.WriteTU64(value);
        Assert.Equal(hex, Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData("00", WireErrorKind.NonCanonical)]
    [InlineData("0001", WireErrorKind.NonCanonical)]
    [InlineData("010000", WireErrorKind.BadLength)]
    public void TruncatedU16RejectsLeadingZerosAndExtraBytes(string hex, WireErrorKind kind)
    {
        var reader = new WireReader(Convert.FromHexString(hex));
        Assert.False(reader.TryReadTU16(out _));
        Assert.Equal(kind, reader.Error.Kind);
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void TruncatedU32AcceptsUpToFourBytes()
    {
        Assert.Equal(0xffffffffu, new WireReader(Convert.FromHexString("ffffffff")).ReadTU32());
        var reader = new WireReader(Convert.FromHexString("0100000000"));
        Assert.False(reader.TryReadTU32(out _));
        Assert.Equal(WireErrorKind.BadLength, reader.Error.Kind);
        Assert.Equal(3, WireSize.TU32(0x10000));
        Assert.Equal(0, WireSize.TU16(0));
    }

    [Fact]
    public void PointMustBeACompressedKeyOnTheCurve()
    {
        var reader = new WireReader(Convert.FromHexString(ValidPoint));
        Assert.Equal(new PubKey(ValidPoint), reader.ReadPoint());

        // Prefix 04 (uncompressed marker) with 33 bytes, an x with no curve point, and a short read.
        foreach ((string hex, WireErrorKind kind) in new[]
        {
            ("04" + ValidPoint[2..], WireErrorKind.InvalidValue),
            ("02" + new string('f', 64), WireErrorKind.InvalidValue),
            ("02" + new string('0', 64), WireErrorKind.InvalidValue),
            ("05" + ValidPoint[2..], WireErrorKind.InvalidValue),
            (ValidPoint[..64], WireErrorKind.ShortRead),
        })
        {
            var bad = new WireReader(Convert.FromHexString(hex));
            Assert.False(bad.TryReadPoint(out _), hex);
            Assert.Equal(kind, bad.Error.Kind);
            Assert.Equal(0, bad.Position);
        }
    }

    [Fact]
    public void UncompressedKeysAreWrittenCompressed()
    {
        var key = new PubKey(ValidPoint);
        var bytes = new byte[33];
        var writer = new SpanWireWriter(bytes);
        writer.WritePoint(key.Decompress());
        Assert.Equal(ValidPoint, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void SciddirOrPubKeyHasBothForms()
    {
        byte[] scidForm = Convert.FromHexString("01" + "0000010000020003");
        var reader = new WireReader(scidForm);
        SciddirOrPubKey a = reader.ReadSciddirOrPubKey();
        Assert.False(a.IsPubKey);
        Assert.Equal(1, a.Direction);
        Assert.Equal(new ShortChannelId(1, 2, 3), a.ShortChannelId);
        Assert.Equal(9, WireSize.SciddirOrPubKey(a));
        Assert.Equal(scidForm, a.ToArray());
        Assert.Equal(a, new SciddirOrPubKey(scidForm));

        byte[] keyForm = Convert.FromHexString(ValidPoint);
        SciddirOrPubKey b = new WireReader(keyForm).ReadSciddirOrPubKey();
        Assert.True(b.IsPubKey);
        Assert.Equal(new PubKey(ValidPoint), b.PubKey);
        Assert.Equal(keyForm, b.ToArray());
        Assert.NotEqual(a, b);

        var bad = new WireReader(Convert.FromHexString("05" + ValidPoint[2..]));
        Assert.False(bad.TryReadSciddirOrPubKey(out _));
        Assert.Equal(WireErrorKind.InvalidValue, bad.Error.Kind);
        Assert.Throws<WireFormatException>(() => new SciddirOrPubKey(Convert.FromHexString("00" + "00000100000200")));
    }

    [Fact]
    public void Utf8MustBeValid()
    {
        byte[] text = "héllo ⚡"u8.ToArray();
        Assert.Equal("héllo ⚡", new WireReader(text).ReadUtf8(text.Length));
        Assert.Equal(text.Length, WireSize.Utf8("héllo ⚡"));

        foreach (string hex in new[] { "c3", "ff", "eda080", "c0af" }) // truncated, invalid byte, surrogate, overlong
        {
            var reader = new WireReader(Convert.FromHexString("41" + hex));
            Assert.False(reader.TryReadUtf8(reader.Remaining, out _), hex);
            Assert.Equal(WireErrorKind.InvalidValue, reader.Error.Kind);
            Assert.Equal(0, reader.Position);
        }

        var bytes = new byte[8];
        var writer = new SpanWireWriter(bytes);
        try
        {
            writer.WriteUtf8("a\ud800");
            Assert.Fail("a lone surrogate has no UTF-8 form");
        }
        catch (ArgumentException)
        {
        }
    }

    [Fact]
    public void LengthPrefixesAreCheckedAgainstTheBytesLeftBeforeAllocating()
    {
        // A bigsize length of 2^32 in front of 3 bytes: no 4 GiB allocation, a short read.
        var reader = new WireReader(Convert.FromHexString("ff0000000100000000" + "010203"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = reader.TryReadBigSizePrefixedBytes(out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(ok);
        Assert.Equal(WireErrorKind.ShortRead, reader.Error.Kind);
        Assert.Equal(0, reader.Position);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated");

        var arrays = new WireReader(new byte[10]);
        Assert.False(arrays.TryReadByteArray(int.MaxValue, out _));
        Assert.Equal(WireErrorKind.ShortRead, arrays.Error.Kind);
        Assert.False(arrays.TryReadByteArray(-1, out _));
        Assert.Equal(WireErrorKind.BadLength, arrays.Error.Kind);

        var u16 = new WireReader(Convert.FromHexString("0005" + "0102"));
        Assert.False(u16.TryReadU16PrefixedBytes(out _));
        Assert.Equal(WireErrorKind.ShortRead, u16.Error.Kind);
        Assert.Equal(0, u16.Position); // the prefix is not consumed either
    }

    [Fact]
    public void PrefixedArraysRoundTrip()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new WireWriter<ArrayBufferWriter<byte>>(ref buffer))
        {
            writer.WriteU8PrefixedBytes([1, 2]);
            writer.WriteU16PrefixedBytes([3]);
            writer.WriteBigSizePrefixedBytes(new byte[300]);
        }

        var reader = new WireReader(buffer.WrittenSpan);
        Assert.Equal([1, 2], reader.ReadU8PrefixedBytes().ToArray());
        Assert.Equal([3], reader.ReadU16PrefixedBytes().ToArray());
        Assert.Equal(300, reader.ReadBigSizePrefixedBytes().Length);
        reader.EnsureEnd();
        Assert.Equal(3 + 3 + 3 + 300, buffer.WrittenCount);
    }

    [Fact]
    public void SubReadersReportAbsoluteOffsets()
    {
        var reader = new WireReader(new byte[] { 0, 0, 0, 0, 0xfd, 0x00 }, 100);
        reader.ReadU16();
        WireReader sub = reader.Slice(4);
        Assert.Equal(102, sub.Position);
        sub.ReadU16();
        Assert.False(sub.TryReadBigSize(out _));
        Assert.Equal(new WireError(WireErrorKind.ShortRead, 104, sub.Error.Detail), sub.Error);
        Assert.True(reader.IsEmpty);
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        var reader = new WireReader(new byte[3]);
        reader.ReadU16();
        Assert.False(reader.TryEnsureEnd());
        Assert.Equal(new WireError(WireErrorKind.TrailingBytes, 2, reader.Error.Detail), reader.Error);
        var ex = Assert.Throws<WireFormatException>(() =>
        {
            var r = new WireReader(new byte[3]);
            r.EnsureEnd();
        });
        Assert.Equal(WireErrorKind.TrailingBytes, ex.Kind);
    }

    [Fact]
    public void FixedSizeValuesRoundTripAndShortReadsConsumeNothing()
    {
        byte[] bytes = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        Assert.Equal(bytes[..32], new WireReader(bytes).ReadChannelId().ToArray());
        Assert.Equal(bytes, new WireReader(bytes).ReadSignature().ToArray());
        Assert.Equal(bytes, new WireReader(bytes).ReadBip340Signature().ToArray());
        Assert.Equal(new uint256(bytes.AsSpan(0, 32)), new WireReader(bytes).ReadSha256());

        var reader = new WireReader(bytes.AsSpan(0, 63));
        Assert.False(reader.TryReadSignature(out _));
        Assert.False(reader.TryReadBip340Signature(out _));
        Assert.Equal(WireErrorKind.ShortRead, reader.Error.Kind);
        reader.ReadBytes(60);
        Assert.False(reader.TryReadU32(out _));
        Assert.False(reader.TryReadChannelId(out _));
        Assert.False(reader.TryReadSha256(out _));
        Assert.False(reader.TryReadShortChannelId(out _));
        Assert.Equal(60, reader.Position);
        Assert.Equal(3, reader.Remaining);
    }

    [Fact]
    public void BoolIsOneByteThatIsExactlyZeroOrOne()
    {
        var bytes = new byte[2];
        var writer = new SpanWireWriter(bytes);
        writer.WriteBool(true);
        writer.WriteBool(false);
        Assert.Equal("0100", Convert.ToHexStringLower(bytes));

        var buffer = new ArrayBufferWriter<byte>();
        using (var bufferWriter = new WireWriter<ArrayBufferWriter<byte>>(ref buffer))
        {
            bufferWriter.WriteBool(true);
        }

        Assert.Equal("01", Convert.ToHexStringLower(buffer.WrittenSpan));

        var reader = new WireReader(Convert.FromHexString("010002"));
        Assert.True(reader.TryReadBool(out bool first));
        Assert.True(first);
        Assert.False(reader.ReadBool());
        Assert.False(reader.TryReadBool(out _));
        Assert.Equal(WireErrorKind.InvalidValue, reader.Error.Kind);
        Assert.Equal(2, reader.Error.Offset);
        Assert.Equal(2, reader.Position);

        var empty = new WireReader(ReadOnlySpan<byte>.Empty);
        Assert.False(empty.TryReadBool(out _));
        Assert.Equal(WireErrorKind.ShortRead, empty.Error.Kind);
    }
}
