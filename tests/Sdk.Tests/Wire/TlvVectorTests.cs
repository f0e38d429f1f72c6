using System.Text.Json;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>
/// BOLT #1 Appendix B: every TLV vector over namespaces n1 and n2, successes with their decoded
/// values and a byte-identical re-encoding, failures with the error kind each reason maps to.
/// </summary>
public class TlvVectorTests
{
    public static TheoryData<string> Names => new(Bolt1Vectors.Tlv.Select(v => v.Str("name")));

    /// <summary>Each Appendix B failure reason and the error the codec must report for it.</summary>
    private static WireErrorKind ExpectedKind(string reasonCategory) => reasonCategory switch
    {
        "type_truncated" => WireErrorKind.ShortRead,
        "type_not_minimal" => WireErrorKind.NonCanonical,
        "missing_length" => WireErrorKind.ShortRead,
        "length_truncated" => WireErrorKind.ShortRead,
        "missing_value" => WireErrorKind.ShortRead,
        "length_not_minimal" => WireErrorKind.NonCanonical,
        "value_truncated" => WireErrorKind.ShortRead,
        "unknown_even_type" => WireErrorKind.UnknownEvenTlv,
        "value_longer_than_known_encoding" => WireErrorKind.BadLength,
        "value_shorter_than_known_encoding" => WireErrorKind.BadLength,
        "truncated_int_not_minimal" => WireErrorKind.NonCanonical,
        "invalid_point" => WireErrorKind.InvalidValue,
        "not_strictly_increasing" => WireErrorKind.UnorderedTlv,
        "duplicate_type" => WireErrorKind.UnorderedTlv,
        _ => throw new InvalidOperationException($"unmapped reason category {reasonCategory}"),
    };

    private static readonly Dictionary<string, Func<byte[], (bool Ok, WireError Error)>> Decoders = new()
    {
        ["n1"] = b => (N1Stream.TryDecode(b, out _, out WireError e), e),
        ["n2"] = b => (N2Stream.TryDecode(b, out _, out WireError e), e),
        ["none"] = b => (EmptyNamespace.TryDecode(b, out _, out WireError e), e),
    };

    private static string[] DecodersFor(JsonElement vector) =>
        vector.Namespaces() switch
        {
            ["any"] => ["n1", "n2", "none"],
            var list => list,
        };

    [Fact]
    public void FixtureHoldsEveryAppendixBVector()
    {
        Assert.Equal(57, Bolt1Vectors.Tlv.Count());
        Assert.Equal(38, Bolt1Vectors.Tlv.Count(v => v.Str("expect") == "fail"));
        Assert.Equal(19, SuccessNames.Count<object[]>());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vector(string name)
    {
        JsonElement vector = Bolt1Vectors.TlvByName(name);
        byte[] bytes = vector.Hex();
        foreach (string ns in DecodersFor(vector))
        {
            (bool ok, WireError error) = Decoders[ns](bytes);
            if (vector.Str("expect") == "ok")
            {
                Assert.True(ok, $"{ns}: {error}");
                Assert.False(error.IsError);
            }
            else
            {
                Assert.False(ok, $"{ns} accepted an invalid stream");
                Assert.Equal(ExpectedKind(vector.Str("reason_category")), error.Kind);
                Assert.InRange(error.Offset, 0, bytes.Length);
            }
        }
    }

    /// <summary>The 19 success vectors only: a failure vector has no values to compare (see <see cref="Vector"/>).</summary>
    public static TheoryData<string> SuccessNames => new(Bolt1Vectors.Tlv.Where(v => v.Str("expect") == "ok").Select(v => v.Str("name")));

    [Theory]
    [MemberData(nameof(SuccessNames))]
    public void SuccessesDecodeToTheirValuesAndReEncodeIdentically(string name)
    {
        JsonElement vector = Bolt1Vectors.TlvByName(name);
        Assert.Equal("ok", vector.Str("expect"));

        byte[] bytes = vector.Hex();
        string[] namespaces = vector.Namespaces();
        Assert.Contains("n1", namespaces); // every success vector is checked in n1 at least
        if (namespaces.Contains("n1"))
        {
            Assert.True(N1Stream.TryDecode(bytes, out N1Stream n1, out _));
            AssertN1Values(vector.GetProperty("decoded_records"), n1);
            Assert.Equal(bytes, n1.Encode());
        }

        if (namespaces.Contains("n2"))
        {
            Assert.True(N2Stream.TryDecode(bytes, out N2Stream n2, out _));
            Assert.Null(n2.Tlv1AmountMsat);
            Assert.Null(n2.Tlv2CltvExpiry);
        }
    }

    private static void AssertN1Values(JsonElement decoded, N1Stream n1)
    {
        int known = 0;
        if (decoded.TryGetProperty("tlv1", out JsonElement tlv1))
        {
            known++;
            Assert.Equal(tlv1.GetProperty("amount_msat").GetUInt64(), n1.Tlv1AmountMsat);
        }
        else
        {
            Assert.Null(n1.Tlv1AmountMsat);
        }

        if (decoded.TryGetProperty("tlv2", out JsonElement tlv2))
        {
            known++;
            JsonElement scid = tlv2.GetProperty("scid");
            Assert.Equal(ShortChannelId.FromUInt64(scid.GetProperty("u64").GetUInt64()), n1.Tlv2Scid);
            Assert.Equal(scid.GetProperty("human").GetString(), n1.Tlv2Scid!.Value.ToString());
            Assert.Equal(scid.GetProperty("block_height").GetUInt32(), n1.Tlv2Scid.Value.BlockHeight);
            Assert.Equal(scid.GetProperty("tx_index").GetUInt32(), n1.Tlv2Scid.Value.TxIndex);
            Assert.Equal(scid.GetProperty("output_index").GetUInt16(), n1.Tlv2Scid.Value.OutputIndex);
        }
        else
        {
            Assert.Null(n1.Tlv2Scid);
        }

        if (decoded.TryGetProperty("tlv3", out JsonElement tlv3))
        {
            known++;
            Assert.NotNull(n1.Tlv3);
            Assert.Equal(new PubKey(tlv3.GetProperty("node_id").GetString()!), n1.Tlv3.Value.NodeId);
            Assert.Equal(tlv3.GetProperty("amount_msat_1").GetUInt64(), n1.Tlv3.Value.AmountMsat1);
            Assert.Equal(tlv3.GetProperty("amount_msat_2").GetUInt64(), n1.Tlv3.Value.AmountMsat2);
        }
        else
        {
            Assert.Null(n1.Tlv3);
        }

        if (decoded.TryGetProperty("tlv4", out JsonElement tlv4))
        {
            known++;
            Assert.Equal(tlv4.GetProperty("cltv_delta").GetUInt16(), n1.Tlv4CltvDelta);
        }
        else
        {
            Assert.Null(n1.Tlv4CltvDelta);
        }

        Assert.Equal(decoded.EnumerateObject().Count(), known);
    }

    [Fact]
    public void UnknownOddRecordsAreKeptWithTheirBytes()
    {
        byte[] bytes = Convert.FromHexString("fe0200000100");
        Assert.True(N1Stream.TryDecode(bytes, out N1Stream n1, out _));
        TlvRecord kept = Assert.Single(n1.Unknown);
        Assert.Equal(0x0200_0001UL, kept.Type);
        Assert.True(kept.Value.IsEmpty);
        Assert.Equal(new TlvRecord(0x0200_0001, Array.Empty<byte>()), kept);
    }

    [Fact]
    public void ErrorsPointAtTheOffendingRecord()
    {
        // 0x02 08 <scid> 01 01 2a: the out-of-order record starts at offset 10.
        Assert.False(N1Stream.TryDecode(Convert.FromHexString("0208000000000000022601012a"), out _, out WireError order));
        Assert.Equal(new WireError(WireErrorKind.UnorderedTlv, 10, order.Detail), order);

        // 0x1f 00 1f 01 2a: duplicate ignored record at offset 2.
        Assert.False(N1Stream.TryDecode(Convert.FromHexString("1f001f012a"), out _, out WireError dup));
        Assert.Equal(WireErrorKind.UnorderedTlv, dup.Kind);
        Assert.Equal(2, dup.Offset);

        // 0x01 03 000100: the non-minimal tu64 starts at offset 2.
        Assert.False(N1Stream.TryDecode(Convert.FromHexString("0103000100"), out _, out WireError tu));
        Assert.Equal(WireErrorKind.NonCanonical, tu.Kind);
        Assert.Equal(2, tu.Offset);

        // 0x03 31 04...: the invalid point starts at offset 2.
        Assert.False(N1Stream.TryDecode(Convert.FromHexString("0331043da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb00000000000000010000000000000002"), out _, out WireError point));
        Assert.Equal(WireErrorKind.InvalidValue, point.Kind);
        Assert.Equal(2, point.Offset);

        // 0xfd00fe 03 010101: two bytes of cltv_delta read, one left over at offset 6.
        Assert.False(N1Stream.TryDecode(Convert.FromHexString("fd00fe03010101"), out _, out WireError longer));
        Assert.Equal(WireErrorKind.BadLength, longer.Kind);
        Assert.Equal(6, longer.Offset);

        // 0x12 00: unknown even type at offset 0.
        Assert.False(N1Stream.TryDecode(Convert.FromHexString("1200"), out _, out WireError even));
        Assert.Equal(new WireError(WireErrorKind.UnknownEvenTlv, 0, even.Detail), even);
    }

    [Fact]
    public void AppendingAnInvalidStreamToAValidOneFails()
    {
        var valid = Bolt1Vectors.Tlv.Where(v => v.Str("expect") == "ok" && v.Namespaces().Contains("n1")).Select(v => v.Hex()).ToList();
        var invalid = Bolt1Vectors.Tlv
            .Where(v => v.Str("expect") == "fail" && (v.Namespaces().Contains("n1") || v.Namespaces().Contains("any")))
            .Select(v => v.Hex())
            .ToList();
        Assert.NotEmpty(valid);
        Assert.NotEmpty(invalid);
        foreach (byte[] head in valid)
        {
            foreach (byte[] tail in invalid)
            {
                byte[] stream = [.. head, .. tail];
                Assert.False(N1Stream.TryDecode(stream, out _, out WireError error), Convert.ToHexString(stream));
                Assert.True(error.IsError);
            }
        }
    }

    [Fact]
    public void AppendingAHigherNumberedValidStreamToALowerOneSucceeds()
    {
        var valid = Bolt1Vectors.Tlv
            .Where(v => v.Str("expect") == "ok" && v.Namespaces().Contains("n1") && v.Hex().Length > 0)
            .Select(v => v.Hex())
            .ToList();
        int pairs = 0;
        foreach (byte[] low in valid)
        {
            foreach (byte[] high in valid)
            {
                if (FirstType(high) <= LastType(low))
                {
                    continue;
                }

                pairs++;
                byte[] stream = [.. low, .. high];
                Assert.True(N1Stream.TryDecode(stream, out N1Stream decoded, out WireError error), $"{Convert.ToHexString(stream)}: {error}");
                Assert.Equal(stream, decoded.Encode());
            }
        }

        Assert.True(pairs > 50, $"only {pairs} pairs");
    }

    private static ulong FirstType(byte[] stream) => new WireReader(stream).ReadBigSize();

    private static ulong LastType(byte[] stream)
    {
        var tlv = new TlvReader(stream);
        ulong last = 0;
        while (tlv.ReadNext(out ulong type, out _))
        {
            last = type;
        }

        return last;
    }
}
