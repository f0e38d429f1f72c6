using System.Text.Json;
using static Cln.ProtocolExtensions.Testing.Tests.RpcAnswers;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// getinfo, listpeers, listpeerchannels, connect, disconnect and sendcustommsg on the simulator: requests
/// by position and by name, answers checked against the required fields and types of
/// doc/schemas/&lt;command&gt;.json at v26.06.6 (their examples print placeholders, so none is compared whole).
/// </summary>
public class PeerCommandTests
{
    [Fact]
    public async Task Getinfo_has_the_schemas_required_fields_and_types()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");

        var byName = await ResultAsync(alice, "getinfo", "{}");
        var byPosition = await ResultAsync(alice, "getinfo", "[]");

        Assert.Equal(Names(byName), Names(byPosition));
        // doc/schemas/getinfo.json response.required: id, alias, color, num_peers, num_pending_channels,
        // num_active_channels, num_inactive_channels, version, blockheight, network, fees_collected_msat,
        // lightning-dir, address.
        AssertPubKey(byName.GetProperty("id"));
        Assert.Equal(JsonValueKind.String, byName.GetProperty("alias").ValueKind);
        AssertHex(byName.GetProperty("color"), 6); // color: hex (3 bytes)
        foreach (var count in new[] { "num_peers", "num_pending_channels", "num_active_channels", "num_inactive_channels", "blockheight", "fees_collected_msat" })
            AssertUnsigned(byName.GetProperty(count)); // u32, and msat for fees_collected_msat
        foreach (var text in new[] { "version", "network", "lightning-dir" })
            Assert.Equal(JsonValueKind.String, byName.GetProperty(text).ValueKind);
        Assert.Equal(JsonValueKind.Array, byName.GetProperty("address").ValueKind);
        // our_features: object, required init, node, channel, invoice (hex).
        var features = byName.GetProperty("our_features");
        Assert.Equal(["init", "node", "channel", "invoice"], Names(features));
        foreach (var place in features.EnumerateObject())
            AssertHex(place.Value);
        // binding[]: required type (enum ... "ipv4" ...); for ipv4, address and port (u16).
        var binding = Assert.Single(byName.GetProperty("binding").EnumerateArray());
        Assert.Equal("ipv4", binding.GetProperty("type").GetString());
        Assert.InRange(binding.GetProperty("port").GetInt32(), 1, 65535);

        await AssertErrorAsync(alice, "getinfo", """["x"]""", -32602, "too many parameters: got 1, expected 0");
    }

    [Fact]
    public async Task Connect_by_position_and_by_name_and_listpeers_by_name_have_the_schemas_fields()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");

        var connected = await ResultAsync(alice, "connect", $$"""["{{bob.IdHex}}","127.0.0.1",{{bob.Port}}]""");

        // doc/schemas/connect.json response.required: id (pubkey), features (hex), direction (enum in/out),
        // address (object, required type).
        Assert.Equal(["id", "features", "direction", "address"], Names(connected));
        Assert.Equal(bob.IdHex, connected.GetProperty("id").GetString());
        AssertHex(connected.GetProperty("features"));
        Assert.Equal("out", connected.GetProperty("direction").GetString());
        Assert.Equal("ipv4", connected.GetProperty("address").GetProperty("type").GetString());

        var carol = ln.AddNode("carol");
        var byName = await ResultAsync(alice, "connect", $$"""{"id":"{{carol.IdHex}}","host":"127.0.0.1","port":{{carol.Port}}}""");
        Assert.Equal(Names(connected), Names(byName));
        Assert.Equal(carol.IdHex, byName.GetProperty("id").GetString());

        var peers = await ResultAsync(bob, "listpeers", $$"""{"id":"{{alice.IdHex}}"}""");
        // doc/schemas/listpeers.json: peers[] required id, connected, num_channels; when connected also
        // netaddr and features.
        var peer = Assert.Single(peers.GetProperty("peers").EnumerateArray());
        Assert.Equal(["id", "connected", "num_channels", "netaddr", "features"], Names(peer));
        Assert.Equal(alice.IdHex, peer.GetProperty("id").GetString());
        Assert.True(peer.GetProperty("connected").GetBoolean());
        AssertUnsigned(peer.GetProperty("num_channels"));
        Assert.Equal(JsonValueKind.String, Assert.Single(peer.GetProperty("netaddr").EnumerateArray()).ValueKind);
        AssertHex(peer.GetProperty("features"));
    }

    [Fact]
    public async Task Listpeers_filters_by_position_and_takes_a_log_level()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        Assert.Single((await ResultAsync(alice, "listpeers", $$"""["{{bob.IdHex}}"]""")).GetProperty("peers").EnumerateArray());
        Assert.Empty((await ResultAsync(alice, "listpeers", $$"""["{{alice.IdHex}}"]""")).GetProperty("peers").EnumerateArray());

        // lightningd/peer_control.c json_listpeers: with a level, each peer carries a log array
        // (doc/schemas/listpeers.json peers[].log: array).
        var withLog = Assert.Single((await ResultAsync(alice, "listpeers", """{"level":"DEBUG"}""")).GetProperty("peers").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, withLog.GetProperty("log").ValueKind);
        // lightningd/log.c param_loglevel.
        await AssertErrorAsync(alice, "listpeers", """{"level":"loud"}""", -32602,
            "level: should be 'io', 'debug', 'info', or 'unusual': invalid token (see logs for details)");
        await AssertErrorAsync(alice, "listpeers", """["02"]""", -32602, "id: should be a node id: invalid token (see logs for details)");
    }

    [Fact]
    public async Task Listpeerchannels_takes_one_filter_of_three_and_answers_no_channels()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);
        string channelId = new string('a', 64);

        // doc/schemas/listpeerchannels.json response.required: channels (array). The simulator opens none.
        AssertJson("""{"channels":[]}""", await ResultAsync(alice, "listpeerchannels", "[]"));
        AssertJson("""{"channels":[]}""", await ResultAsync(alice, "listpeerchannels", $$"""["{{bob.IdHex}}"]"""));
        AssertJson("""{"channels":[]}""", await ResultAsync(alice, "listpeerchannels", """{"short_channel_id":"103x1x0"}"""));
        AssertJson("""{"channels":[]}""", await ResultAsync(alice, "listpeerchannels", $$"""{"channel_id":"{{channelId}}"}""")); // added v26.04

        // lightningd/peer_control.c json_listpeerchannels and common/json_param.c.
        await AssertErrorAsync(alice, "listpeerchannels", $$"""[null,"103x1x0","{{channelId}}"]""", -32602,
            "Must not specify more than one of short_channel_id, channel_id or id");
        await AssertErrorAsync(alice, "listpeerchannels", """{"short_channel_id":"103:1:0"}""", -32602,
            "short_channel_id: should be a short_channel_id of form NxNxN: invalid token (see logs for details)");
        await AssertErrorAsync(alice, "listpeerchannels", """{"channel_id":"abcd"}""", -32602,
            "channel_id: should be a channel id: invalid token (see logs for details)");
    }

    [Fact]
    public async Task Disconnect_by_position_and_by_name_answers_an_empty_object()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var carol = ln.AddNode("carol");
        await ln.ConnectAsync(alice, bob);
        await ln.ConnectAsync(alice, carol);

        // doc/schemas/disconnect.json response: no properties, additionalProperties false.
        AssertJson("{}", await ResultAsync(alice, "disconnect", $$"""["{{bob.IdHex}}"]"""));
        AssertJson("{}", await ResultAsync(alice, "disconnect", $$"""{"id":"{{carol.IdHex}}","force":false}"""));
        Assert.Empty(alice.Peers);
    }

    [Fact]
    public async Task Sendcustommsg_by_position_and_by_name_answers_a_status()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        var byPosition = await ResultAsync(alice, "sendcustommsg", $$"""["{{bob.IdHex}}","8001aa"]""");
        var byName = await ResultAsync(alice, "sendcustommsg", $$"""{"node_id":"{{bob.IdHex}}","msg":"8001bb"}""");

        // doc/schemas/sendcustommsg.json response.required: status (string), additionalProperties false.
        foreach (var result in new[] { byPosition, byName })
        {
            Assert.Equal(["status"], Names(result));
            Assert.Equal(JsonValueKind.String, result.GetProperty("status").ValueKind);
        }
        await bob.WaitForCustomMessageAsync(m => m.Hex == "8001aa");
        await bob.WaitForCustomMessageAsync(m => m.Hex == "8001bb");
    }
}
