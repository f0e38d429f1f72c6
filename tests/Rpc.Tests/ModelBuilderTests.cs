using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.RpcCodegen;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>The generator's version tolerance and naming, from hand-built schemas.</summary>
public class ModelBuilderTests
{
    private static CommandModel Build(string response) => ModelBuilder.Build(
        JsonNode.Parse($$$"""{"rpc":"listthings","request":{"properties":{}},"response":{{{response}}}}""")!.AsObject(),
        []);

    private static PropertyModel Property(CommandModel c, string json) =>
        c.Types.OfType<RecordModel>().Single(t => t.Name == c.ResponseType).Properties.Single(p => p.JsonName == json);

    [Fact]
    public void A_required_field_added_after_v23_11_is_optional_and_one_from_v23_11_or_before_is_required()
    {
        var c = Build("""
            {"required":["old","same","new"],"properties":{
              "old":{"type":"u32","added":"pre-v0.10.1"},"same":{"type":"u32","added":"v23.11"},"new":{"type":"u32","added":"v24.02"}}}
            """);
        Assert.True(Property(c, "old").Required);
        Assert.True(Property(c, "same").Required);
        Assert.False(Property(c, "new").Required);
    }

    [Fact]
    public void A_deprecated_field_is_optional_and_marked_obsolete()
    {
        var c = Build("""{"required":["gone"],"properties":{"gone":{"type":"string","deprecated":["v24.11","v25.05"]}}}""");
        Assert.False(Property(c, "gone").Required);
        Assert.Equal("v24.11, v25.05", Property(c, "gone").Deprecated);
    }

    [Fact]
    public void Every_deprecated_field_in_the_generated_code_carries_Obsolete()
    {
        var files = Generator.Generate(Repo.Schemas);
        int deprecated = 0;
        foreach (var text in files.Values)
        {
            var lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains("; deprecated (", StringComparison.Ordinal))
                {
                    deprecated++;
                    Assert.Contains("[global::System.Obsolete(", lines[i + 1], StringComparison.Ordinal);
                }
            }
        }

        Assert.True(deprecated > 0, "the v26.06.6 schemas have deprecated fields");
    }

    [Theory]
    [InlineData("pubkey", "global::NBitcoin.PubKey")]
    [InlineData("short_channel_id", "global::Cln.ProtocolExtensions.Wire.ShortChannelId")]
    [InlineData("txid", "global::NBitcoin.uint256")]
    [InlineData("hash", "global::NBitcoin.uint256")]
    [InlineData("secret", "global::NBitcoin.uint256")]
    [InlineData("hex", "byte[]")]
    [InlineData("msat", "global::Cln.ProtocolExtensions.AmountMsat")]
    [InlineData("u8", "byte")]
    [InlineData("u16", "ushort")]
    [InlineData("u32", "uint")]
    [InlineData("u64", "ulong")]
    [InlineData("number", "double")]
    [InlineData("msat_or_any", "global::System.Text.Json.Nodes.JsonNode")]
    public void Lightningd_types_map_to_the_SDKs_types(string schemaType, string expected)
    {
        var c = Build("""{"required":["x"],"properties":{"x":{"type":"TYPE"}}}""".Replace("TYPE", schemaType, StringComparison.Ordinal));
        Assert.Equal(expected, Property(c, "x").Type);
    }

    [Fact]
    public void A_string_enum_becomes_an_extensible_enum_type_named_by_its_path()
    {
        var c = Build("""{"required":["items"],"properties":{"items":{"type":"array","items":{"type":"object","properties":{"state":{"type":"string","enum":["A_B","c"]}}}}}}""");
        var e = Assert.Single(c.Types.OfType<EnumModel>());
        Assert.Equal("ListthingsItemsState", e.Name);
        Assert.Equal(["A_B", "c"], e.Values);
        Assert.Equal("global::System.Collections.Generic.IReadOnlyList<ListthingsItems>", Property(c, "items").Type);
    }

    [Theory]
    [InlineData("listpeerchannels", "ListPeerChannels", "Listpeerchannels")]
    [InlineData("getinfo", "GetInfo", "Getinfo")]
    [InlineData("sendcustommsg", "SendCustomMessage", "Sendcustommsg")]
    [InlineData("askrene-bias-channel", "AskreneBiasChannel", "AskreneBiasChannel")]
    [InlineData("fundchannel_start", "FundChannelStart", "FundchannelStart")]
    public void Command_names_become_method_and_type_names(string command, string method, string type)
    {
        Assert.Equal(method, Naming.MethodName(command));
        Assert.Equal(type, Naming.TypePrefix(command));
    }
}
