using System.Text.Json;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>BOLT #1 Appendix A: every BigSize decoding and encoding vector.</summary>
public class BigSizeVectorTests
{
    public static TheoryData<string> DecodingNames => new(Bolt1Vectors.BigSizeDecoding.Select(v => v.Str("name")));

    public static TheoryData<string> EncodingNames => new(Bolt1Vectors.BigSizeEncoding.Select(v => v.Str("name")));

    [Fact]
    public void FixtureHoldsEveryAppendixAVector()
    {
        Assert.Equal(18, Bolt1Vectors.BigSizeDecoding.Count());
        Assert.Equal(8, Bolt1Vectors.BigSizeEncoding.Count());
    }

    [Theory]
    [MemberData(nameof(DecodingNames))]
    public void Decoding(string name)
    {
        JsonElement vector = Bolt1Vectors.BigSizeDecoding.Single(v => v.Str("name") == name);
        byte[] bytes = vector.Hex();
        var reader = new WireReader(bytes);
        bool ok = reader.TryReadBigSize(out ulong value);

        if (vector.Str("expect") == "ok")
        {
            Assert.True(ok, reader.Error.ToString());
            Assert.Equal(ulong.Parse(vector.Str("value_str")), value);
            Assert.True(reader.IsEmpty);
            Assert.Equal(value, new WireReader(bytes).ReadBigSize());
            return;
        }

        Assert.False(ok);
        WireErrorKind expected = vector.Str("error_category") switch
        {
            "non_canonical" => WireErrorKind.NonCanonical,
            "unexpected_eof" => WireErrorKind.ShortRead,
            "eof" => WireErrorKind.ShortRead,
            var other => throw new InvalidOperationException($"unmapped error category {other}"),
        };
        Assert.Equal(expected, reader.Error.Kind);
        Assert.Equal(0, reader.Error.Offset);
        Assert.Equal(0, reader.Position); // a failed read consumes nothing
        var thrown = Assert.Throws<WireFormatException>(() => new WireReader(bytes).ReadBigSize());
        Assert.Equal(expected, thrown.Kind);
    }

    [Theory]
    [MemberData(nameof(EncodingNames))]
    public void Encoding(string name)
    {
        JsonElement vector = Bolt1Vectors.BigSizeEncoding.Single(v => v.Str("name") == name);
        ulong value = ulong.Parse(vector.Str("value_str"));
        byte[] expected = vector.Hex();

        Assert.Equal(expected.Length, WireSize.BigSize(value));
        var bytes = new byte[expected.Length];
        var writer = new SpanWireWriter(bytes);
        writer.WriteBigSize(value);
        Assert.Equal(expected.Length, writer.Written);
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void EmptyTlvStreamIsACleanEndButEmptyBigSizeIsAShortRead()
    {
        // Appendix A's "EOF" vector: zero bytes where a bigsize should start is an error for the bigsize
        // itself, but the clean end of a TLV stream.
        var reader = new WireReader([]);
        Assert.False(reader.TryReadBigSize(out _));
        Assert.Equal(WireErrorKind.ShortRead, reader.Error.Kind);

        var tlv = new TlvReader([]);
        Assert.False(tlv.TryReadNext(out _, out _));
        Assert.False(tlv.Error.IsError);
    }
}
