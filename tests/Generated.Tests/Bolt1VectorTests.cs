using System.Text.Json;
using Cln.ProtocolExtensions.Generated.Tests.Bolt1;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>
/// BOLT #1 Appendix B (TLV) and C (message extension) vectors, decoded with the n1/n2 namespaces and
/// init written as records. Each TLV vector is the extension of a message without fixed fields.
/// </summary>
public class Bolt1VectorTests
{
    private static readonly JsonDocument Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bolt1-vectors.json")));

    private static IEnumerable<JsonElement> TlvVectors => Vectors.RootElement.GetProperty("tlv").GetProperty("vectors").EnumerateArray();

    public static TheoryData<string> TlvVectorNames()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement v in TlvVectors)
        {
            data.Add(v.GetProperty("name").GetString()!);
        }

        return data;
    }

    private static JsonElement Vector(string name) => TlvVectors.Single(v => v.GetProperty("name").GetString() == name);

    private static byte[] Message(ushort type, string hex) => [(byte)(type >> 8), (byte)type, .. Convert.FromHexString(hex)];

    private static WireErrorKind[] ExpectedKinds(string category) => category switch
    {
        "type_truncated" or "length_truncated" or "missing_length" or "missing_value" or "value_truncated" => [WireErrorKind.ShortRead],
        "type_not_minimal" or "length_not_minimal" or "truncated_int_not_minimal" => [WireErrorKind.NonCanonical],
        "value_shorter_than_known_encoding" or "value_longer_than_known_encoding" => [WireErrorKind.BadLength],
        "unknown_even_type" => [WireErrorKind.UnknownEvenTlv],
        "not_strictly_increasing" or "duplicate_type" => [WireErrorKind.UnorderedTlv],
        "invalid_point" => [WireErrorKind.InvalidValue],
        _ => throw new InvalidOperationException("unmapped category " + category),
    };

    [Theory]
    [MemberData(nameof(TlvVectorNames))]
    public void Tlv_vector(string name)
    {
        JsonElement vector = Vector(name);
        string hex = vector.GetProperty("hex").GetString()!;
        string[] namespaces = [.. vector.GetProperty("applies_to_namespaces").EnumerateArray().Select(e => e.GetString()!)];
        bool n1 = namespaces.Contains("n1") || namespaces.Contains("any");
        bool n2 = namespaces.Contains("n2") || namespaces.Contains("any");
        Assert.True(n1 || n2);

        if (vector.GetProperty("expect").GetString() == "ok")
        {
            if (n1)
            {
                byte[] bytes = Message(N1.Type, hex);
                N1 decoded = N1.Read(bytes);
                Assert.Equal(bytes, decoded.ToArray());
                AssertDecodedRecords(vector.GetProperty("decoded_records"), decoded);
            }

            if (n2)
            {
                byte[] bytes = Message(N2.Type, hex);
                N2 decoded = N2.Read(bytes);
                Assert.Equal(bytes, decoded.ToArray());
                Assert.Null(decoded.Tlv1AmountMsat);
                Assert.Null(decoded.Tlv2CltvExpiry);
            }
        }
        else
        {
            WireErrorKind[] kinds = ExpectedKinds(vector.GetProperty("reason_category").GetString()!);
            if (n1)
            {
                Assert.False(N1.TryRead(Message(N1.Type, hex), out _, out WireError error));
                Assert.Contains(error.Kind, kinds);
            }

            if (n2)
            {
                Assert.False(N2.TryRead(Message(N2.Type, hex), out _, out WireError error));
                Assert.Contains(error.Kind, kinds);
            }
        }
    }

    private static void AssertDecodedRecords(JsonElement records, N1 decoded)
    {
        Assert.Equal(records.TryGetProperty("tlv1", out JsonElement tlv1) ? tlv1.GetProperty("amount_msat").GetUInt64() : null, decoded.Tlv1AmountMsat);

        if (records.TryGetProperty("tlv2", out JsonElement tlv2))
        {
            Assert.Equal(tlv2.GetProperty("scid").GetProperty("u64").GetUInt64(), decoded.Tlv2Scid!.Value.ToUInt64());
            Assert.Equal(tlv2.GetProperty("scid").GetProperty("human").GetString(), decoded.Tlv2Scid!.Value.ToString());
        }
        else
        {
            Assert.Null(decoded.Tlv2Scid);
        }

        if (records.TryGetProperty("tlv3", out JsonElement tlv3))
        {
            N1Tlv3 value = decoded.Tlv3!.Value;
            Assert.Equal(tlv3.GetProperty("node_id").GetString(), value.NodeId.ToHex());
            Assert.Equal(tlv3.GetProperty("amount_msat_1").GetUInt64(), value.AmountMsat1);
            Assert.Equal(tlv3.GetProperty("amount_msat_2").GetUInt64(), value.AmountMsat2);
        }
        else
        {
            Assert.Null(decoded.Tlv3);
        }

        Assert.Equal(records.TryGetProperty("tlv4", out JsonElement tlv4) ? tlv4.GetProperty("cltv_delta").GetUInt16() : null, decoded.Tlv4CltvDelta);
    }

    [Theory]
    [InlineData("tlv-decode-ok-n1-n2-01", 0)]
    [InlineData("tlv-decode-ok-n1-n2-02", 1)]
    [InlineData("tlv-decode-ok-n1-n2-03", 1)]
    [InlineData("tlv-decode-ok-n1-n2-07", 1)]
    [InlineData("tlv-decode-ok-n1-01", 0)]
    public void Unknown_odd_records_of_the_vectors_are_kept(string name, int unknown)
    {
        byte[] bytes = Message(N1.Type, Vector(name).GetProperty("hex").GetString()!);
        N1 decoded = N1.Read(bytes);
        Assert.Equal(unknown, decoded.UnknownTlvs.Count);
        Assert.All(decoded.UnknownTlvs, r => Assert.True(r.IsOdd));
    }

    [Fact]
    public void Tlv_vectors_cover_every_category()
    {
        Assert.Equal(57, TlvVectors.Count());
        Assert.Equal(19, TlvVectors.Count(v => v.GetProperty("expect").GetString() == "ok"));
    }

    [Fact]
    public void Valid_n1_streams_appended_in_increasing_order_decode()
    {
        string[] valid = [.. TlvVectors
            .Where(v => v.GetProperty("expect").GetString() == "ok" && v.GetProperty("name").GetString()!.StartsWith("tlv-decode-ok-n1-", StringComparison.Ordinal))
            .Select(v => v.GetProperty("hex").GetString()!)];
        string tlv1 = valid.First(h => h.StartsWith("01", StringComparison.Ordinal));
        string tlv2 = valid.First(h => h.StartsWith("02", StringComparison.Ordinal));
        string tlv3 = valid.First(h => h.StartsWith("03", StringComparison.Ordinal));
        string tlv4 = valid.First(h => h.StartsWith("fd00fe", StringComparison.Ordinal));
        byte[] bytes = Message(N1.Type, tlv1 + tlv2 + tlv3 + tlv4);
        N1 decoded = N1.Read(bytes);
        Assert.NotNull(decoded.Tlv1AmountMsat);
        Assert.NotNull(decoded.Tlv2Scid);
        Assert.NotNull(decoded.Tlv3);
        Assert.NotNull(decoded.Tlv4CltvDelta);
        Assert.Equal(bytes, decoded.ToArray());

        // Lower after higher is not increasing.
        Assert.False(N1.TryRead(Message(N1.Type, tlv2 + tlv1), out _, out WireError error));
        Assert.Equal(WireErrorKind.UnorderedTlv, error.Kind);
    }

    [Fact]
    public void Appending_an_invalid_stream_to_a_valid_one_fails()
    {
        foreach (JsonElement invalid in TlvVectors.Where(v => v.GetProperty("expect").GetString() == "fail"
            && v.GetProperty("applies_to_namespaces").EnumerateArray().Any(n => n.GetString() is "n1" or "any")))
        {
            // tlv1 amount 1 first; the invalid stream then either fails on its own or is out of order.
            byte[] bytes = Message(N1.Type, "010101" + invalid.GetProperty("hex").GetString());
            Assert.False(N1.TryRead(bytes, out _, out _), invalid.GetProperty("name").GetString());
        }
    }

    public static TheoryData<string> InitVectorNames()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement v in Vectors.RootElement.GetProperty("message_extension_init").GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InitVectorNames))]
    public void Init_extension_vector(string name)
    {
        JsonElement vector = Vectors.RootElement.GetProperty("message_extension_init").GetProperty("vectors").EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == name);
        byte[] bytes = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        bool ok = Init.TryRead(bytes, out Init? init, out WireError error);
        if (vector.GetProperty("expect").GetString() == "ok")
        {
            Assert.True(ok, error.ToString());
            Assert.Equal(bytes, init!.ToArray());
        }
        else
        {
            Assert.False(ok);
            Assert.True(error.IsError);
        }
    }

    [Fact]
    public void Init_networks_round_trip()
    {
        var init = new Init([], [0x02, 0x00]) { Networks = [NBitcoin.Network.Main.GenesisHash], RemoteAddr = [1, 127, 0, 0, 1, 0x26, 0x07] };
        byte[] bytes = RoundTripTests.AssertRoundTrip(init);
        Assert.Equal("0010" + "0000" + "00020200" + "0120" + "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000" + "0307017f00000126 07".Replace(" ", string.Empty),
            Convert.ToHexStringLower(bytes));
    }
}
