using System.Text.Json;
using Cln.ProtocolExtensions.Rpc.Json;
using Cln.ProtocolExtensions.Rpc.Models;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>The JSON converters for lightningd's types, on edge cases, through the generated context.</summary>
public class ConverterTests
{
    private const string Key = "0252b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4c6";

    private static T Read<T>(string json) => (T)JsonSerializer.Deserialize(json, typeof(T), ClnRpcJsonContext.Default)!;

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, typeof(T), ClnRpcJsonContext.Default);

    [Fact]
    public void A_pubkey_round_trips_as_66_lower_case_hex()
    {
        var r = Read<SendcustommsgRequest>($$"""{"node_id":"{{Key.ToUpperInvariant()}}","msg":"8001"}""");
        Assert.Equal(new PubKey(Key), r.NodeId);
        Assert.Contains($"\"node_id\":\"{Key}\"", Write(r), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"0252b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4\"")] // 32 bytes
    [InlineData("\"0452b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4c6\"")] // bad prefix
    [InlineData("\"02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f\"")] // x is the field prime: no point
    [InlineData("\"zz52b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4c6\"")]
    [InlineData("42")]
    public void A_bad_pubkey_is_a_JsonException_not_a_crash(string value)
    {
        Assert.Throws<JsonException>(() => Read<SendcustommsgRequest>($$"""{"node_id":{{value}},"msg":"8001"}"""));
    }

    [Fact]
    public void A_list_of_pubkeys_round_trips_through_the_member_converter_and_a_bad_element_or_a_non_array_is_a_JsonException()
    {
        // Named on the member: the models keep lightningd's format in options that lack the context's converters.
        Assert.IsType<PubKeyListJsonConverter>(ClnRpcJsonContext.Default.GracefulResponse.Properties.Single(p => p.Name == "pending_peers").CustomConverter);
        Assert.IsType<PubKeyJsonConverter>(ClnRpcJsonContext.Default.CheckmessageResponse.Properties.Single(p => p.Name == "pubkey").CustomConverter);
        var bare = new JsonSerializerOptions { TypeInfoResolver = ClnRpcJsonContext.Default };
        Assert.Equal($$"""{"verified":true,"pubkey":"{{Key}}"}""", JsonSerializer.Serialize(new CheckmessageResponse { Verified = true, Pubkey = new PubKey(Key) }, bare));

        var r = Read<GracefulResponse>($$"""{"pending_peers":["{{Key.ToUpperInvariant()}}","{{Key}}"]}""");
        Assert.Equal([new PubKey(Key), new PubKey(Key)], r.PendingPeers);
        Assert.Equal($$"""{"pending_peers":["{{Key}}","{{Key}}"]}""", Write(r));
        Assert.Equal("""{"pending_peers":[]}""", Write(Read<GracefulResponse>("""{"pending_peers":[]}""")));
        Assert.Throws<JsonException>(() => Read<GracefulResponse>($$"""{"pending_peers":["{{Key}}","02ab"]}"""));
        Assert.Throws<JsonException>(() => Read<GracefulResponse>($$"""{"pending_peers":"{{Key}}"}"""));
    }

    [Fact]
    public void A_txid_reads_like_uint256_Parse_and_writes_back_the_same_text_with_bytes_in_printed_order()
    {
        const string txid = "8000000000000000000000000000000000000000000000000000000000000001";
        var r = Read<TxdiscardRequest>($$"""{"txid":"{{txid}}"}""");
        Assert.Equal(uint256.Parse(txid), r.Txid);
        Assert.Equal(Convert.FromHexString(txid), r.Txid.ToBytes(lendian: false));
        Assert.Equal($$"""{"txid":"{{txid}}"}""", Write(r));
    }

    [Theory]
    [InlineData("\"80\"")]
    [InlineData("\"800000000000000000000000000000000000000000000000000000000000000g\"")]
    [InlineData("\"0x00000000000000000000000000000000000000000000000000000000000001\"")]
    public void A_bad_hash_is_a_JsonException(string value)
    {
        Assert.Throws<JsonException>(() => Read<TxdiscardRequest>($$"""{"txid":{{value}}}"""));
    }

    [Fact]
    public void A_short_channel_id_round_trips_and_a_bad_one_is_a_JsonException()
    {
        var r = Read<ListpeerchannelsRequest>("""{"short_channel_id":"16777215x16777215x65535"}""");
        Assert.Equal(new ShortChannelId(0xFFFFFF, 0xFFFFFF, 0xFFFF), r.ShortChannelId);
        Assert.Equal("""{"short_channel_id":"16777215x16777215x65535"}""", Write(r));
        Assert.Throws<JsonException>(() => Read<ListpeerchannelsRequest>("""{"short_channel_id":"16777216x1x0"}"""));
        Assert.Throws<JsonException>(() => Read<ListpeerchannelsRequest>("""{"short_channel_id":"1:2:3"}"""));
    }

    [Fact]
    public void Hex_reads_either_case_writes_lower_case_and_refuses_odd_or_non_hex()
    {
        var r = Read<SendcustommsgRequest>($$"""{"node_id":"{{Key}}","msg":"80AbCd"}""");
        Assert.Equal(new byte[] { 0x80, 0xab, 0xcd }, r.Msg);
        Assert.Contains("\"msg\":\"80abcd\"", Write(r), StringComparison.Ordinal);
        Assert.Empty(Read<SendcustommsgRequest>($$"""{"node_id":"{{Key}}","msg":""}""").Msg);
        Assert.Throws<JsonException>(() => Read<SendcustommsgRequest>($$"""{"node_id":"{{Key}}","msg":"801"}"""));
        Assert.Throws<JsonException>(() => Read<SendcustommsgRequest>($$"""{"node_id":"{{Key}}","msg":"80zz"}"""));
    }

    [Fact]
    public void An_enum_value_this_release_does_not_list_is_kept_and_written_back()
    {
        var known = Read<ConnectResponse>($$$"""{"id":"{{{Key}}}","features":"","direction":"out","address":{"type":"ipv4"}}""");
        Assert.Equal(ConnectDirection.Out, known.Direction);

        var unknown = Read<ConnectResponse>($$$"""{"id":"{{{Key}}}","features":"","direction":"sideways","address":{"type":"ipv9"}}""");
        Assert.Equal("sideways", unknown.Direction.Value);
        Assert.NotEqual(ConnectDirection.Out, unknown.Direction);
        Assert.Contains("\"direction\":\"sideways\"", Write(unknown), StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => Read<ConnectResponse>($$$"""{"id":"{{{Key}}}","features":"","direction":1,"address":{"type":"ipv4"}}"""));
    }

    [Fact]
    public void A_field_the_model_does_not_know_is_ignored()
    {
        var r = Read<SendcustommsgResponse>("""{"status":"ok","added_in_v99":{"x":[1,2]}}""");
        Assert.Equal("ok", r.Status);
    }

    [Fact]
    public void A_missing_required_field_is_a_JsonException()
    {
        Assert.Throws<JsonException>(() => Read<SendcustommsgResponse>("{}"));
    }

    [Fact]
    public void Amounts_read_numbers_and_lightningd_strings_and_write_millisatoshis()
    {
        Assert.Equal(new AmountMsat(7), Read<AskreneInformChannelRequest>("""{"layer":"l","short_channel_id_dir":"1x2x3/0","amount_msat":7,"inform":"constrained"}""").AmountMsat);
        Assert.Throws<JsonException>(() => Read<AskreneInformChannelRequest>("""{"layer":"l","short_channel_id_dir":"1x2x3/0","amount_msat":-1,"inform":"constrained"}"""));
        var inform = Read<AskreneInformChannelRequest>("""{"layer":"l","short_channel_id_dir":"1x2x3/0","amount_msat":"2sat","inform":"constrained"}""");
        Assert.Equal(AmountMsat.FromSatoshis(2), inform.AmountMsat);
        Assert.Contains("\"amount_msat\":2000", Write(inform), StringComparison.Ordinal);
    }

    [Fact]
    public void An_optional_field_left_null_is_not_sent()
    {
        Assert.Equal("{}", Write(new ListpeerchannelsRequest()));
    }

    [Theory]
    [InlineData("v26.06.6", 26, 6, 6)]
    [InlineData("v24.11.1-modded", 24, 11, 1)]
    [InlineData("v25.02rc1", 25, 2, 0)]
    [InlineData("v23.11", 23, 11, 0)]
    public void Lightningd_versions_parse_and_compare(string text, int major, int minor, int patch)
    {
        var v = LightningdVersion.Parse(text);
        Assert.Equal((major, minor, patch), (v.Major, v.Minor, v.Patch));
        Assert.Equal(text, v.ToString());
        Assert.True(v >= LightningdVersion.Parse("v23.11"));
        Assert.True(v < LightningdVersion.Parse("v99.01"));
    }

    [Theory]
    [InlineData("26.06")]
    [InlineData("v26")]
    [InlineData("vx.y")]
    [InlineData("")]
    public void Non_versions_do_not_parse(string text)
    {
        Assert.False(LightningdVersion.TryParse(text, out _));
        Assert.Throws<FormatException>(() => LightningdVersion.Parse(text));
    }
}
