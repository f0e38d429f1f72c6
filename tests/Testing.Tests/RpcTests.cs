using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Rpc.Models;
using Cln.ProtocolExtensions.Testing.Tests.Plugins;

namespace Cln.ProtocolExtensions.Testing.Tests;

public class RpcTests
{
    [Fact]
    public async Task Getinfo_has_clns_fields_in_clns_order()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        var raw = await alice.Rpc.CallAsync("getinfo");
        var info = await alice.Rpc.GetInfoAsync();

        Assert.Equal(
            ["id", "alias", "color", "num_peers", "num_pending_channels", "num_active_channels", "num_inactive_channels", "address", "binding",
             "version", "blockheight", "network", "fees_collected_msat", "lightning-dir", "our_features"],
            raw.EnumerateObject().Select(p => p.Name));
        Assert.Equal(alice.Id, info.Id);
        Assert.Equal(1u, info.NumPeers);
        Assert.Equal("v26.06.6", info.Version);
        Assert.Equal("regtest", info.Network);
        Assert.Equal(alice.LightningDir, info.LightningDir);
    }

    [Fact]
    public async Task Node_ids_are_stable_per_name_and_distinct()
    {
        await using var one = new LightningdSimulator();
        await using var two = new LightningdSimulator();
        Assert.Equal(one.AddNode("alice").Id, two.AddNode("alice").Id);
        Assert.NotEqual(one.AddNode("bob").Id, one.Nodes[0].Id);
    }

    [Fact]
    public async Task Connect_listpeers_and_disconnect_over_lightning_rpc()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");

        var connected = await alice.Rpc.CallAsync("connect", new JsonObject { ["id"] = $"{bob.IdHex}@127.0.0.1:{bob.Port}" });
        Assert.Equal(["id", "features", "direction", "address"], connected.EnumerateObject().Select(p => p.Name));
        Assert.Equal("out", connected.GetProperty("direction").GetString());
        Assert.Equal([alice.Id], bob.Peers);

        var peer = Assert.Single((await bob.Rpc.ListPeersAsync()).Peers);
        Assert.Equal(alice.Id, peer.Id);
        Assert.True(peer.Connected);
        Assert.Equal(0u, peer.NumChannels);

        Assert.Equal("{}", (await alice.Rpc.CallAsync("disconnect", new JsonObject { ["id"] = bob.IdHex })).GetRawText());
        Assert.Empty(alice.Peers);
        Assert.Empty(bob.Peers);

        var e = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.DisconnectAsync(new DisconnectRequest { Id = bob.Id }));
        Assert.Equal(-32602, e.Code);
        Assert.Equal($"Unknown peer '{bob.IdHex}'", e.ClnMessage);
    }

    [Fact]
    public async Task Connect_to_an_unknown_node_fails()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var stranger = new NBitcoin.Key().PubKey.ToHex();

        var e = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.ConnectAsync(new ConnectRequest { Id = stranger }));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Request_errors_use_lightningds_codes_and_texts()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        await using var socket = await RawSocket.ConnectAsync(alice.RpcPath);

        await socket.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"nosuch","params":{}}""");
        await socket.SendAsync("""{"id":"x","method":"getinfo","params":{}}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"y","method":"getinfo"}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"z","method":"sendcustommsg","params":{"node_id":"02","msg":"8001","extra":1}}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"w","method":"sendcustommsg","params":["a","b","c"]}""");
        var answers = await socket.ReceiveAsync(5);

        Assert.Equal("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Unknown command 'nosuch'"}}""" + "\n\n", answers[0]);
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"jsonrpc: \"2.0\" must be specified in the request"}}""" + "\n\n", answers[1]);
        Assert.Equal("""{"jsonrpc":"2.0","id":"y","error":{"code":-32600,"message":"No params"}}""" + "\n\n", answers[2]);
        Assert.StartsWith("""{"jsonrpc":"2.0","id":"z","error":{"code":-32602,"message":"unknown parameter: extra, this may be caused""", answers[3]);
        Assert.Equal("""{"jsonrpc":"2.0","id":"w","error":{"code":-32602,"message":"too many parameters: got 3, expected 2"}}""" + "\n\n", answers[4]);
    }

    [Fact]
    public async Task Many_pipelined_requests_on_one_connection_are_all_answered()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await bob.StartPluginAsync("sink", new RawJsonPlugin().RunAsync);
        await ln.ConnectAsync(alice, bob);

        var calls = Enumerable.Range(0, 500).Select(i => alice.Rpc.SendCustomMessageAsync(bob.Id, new byte[] { 0x80, 0x01, (byte)(i >> 8), (byte)i })).ToArray();
        await Task.WhenAll(calls);

        await bob.WaitForCustomMessageAsync(m => m.Hex == "800101f3");
        Assert.Equal(500, bob.ReceivedCustomMessages.Count);
    }

    [Fact]
    public async Task A_test_can_add_methods_and_errors()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        alice.MapRpcMethod("listfunds", _ => new JsonObject { ["outputs"] = new JsonArray(), ["channels"] = new JsonArray() });
        alice.MapRpcMethod("pay", (_, _) => throw new ClnRpcException("pay", 210, "Ran out of routes to try"));

        var funds = await alice.Rpc.CallAsync("listfunds");
        Assert.Equal("""{"outputs":[],"channels":[]}""", funds.GetRawText());
        var e = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.CallAsync("pay"));
        Assert.Equal(210, e.Code);
        Assert.Equal("Ran out of routes to try", e.ClnMessage);
        Assert.Throws<InvalidOperationException>(() => alice.MapRpcMethod("getinfo", _ => null));
    }

    [Fact]
    public async Task A_plugins_rpcmethod_is_served_on_lightning_rpc_with_a_nested_id()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        string? seenId = null;
        JsonElement seenParams = default;
        await alice.StartPluginAsync("greeter", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[{"name":"hello","usage":"[name]","description":"d"}]}""",
            OnRequest = (method, id, p) =>
            {
                if (method != "hello") return null;
                seenId = id;
                seenParams = p.Clone();
                return RawJsonPlugin.Reply(id, """{"greeting":"hi"}""");
            },
        }.RunAsync);

        var result = await alice.Rpc.CallAsync("hello", new JsonObject { ["name"] = "bob" });

        Assert.Equal("hi", result.GetProperty("greeting").GetString());
        Assert.Matches("^test:hello#\\d+/cln:hello#\\d+$", seenId);
        Assert.Equal("bob", seenParams.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Node_names_must_keep_the_socket_path_short_and_unique()
    {
        await using var ln = new LightningdSimulator();
        ln.AddNode("alice");

        Assert.Throws<ArgumentException>(() => ln.AddNode("alice"));
        Assert.Throws<ArgumentException>(() => ln.AddNode("has space"));
        var e = Assert.Throws<ArgumentException>(() => ln.AddNode(new string('n', 90)));
        Assert.Contains("107 bytes", e.Message);
        Assert.True(ln.Nodes[0].RpcPath.Length < 108);
    }

    [Fact]
    public async Task A_test_can_send_native_notifications_and_await_a_plugins_own()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var raw = new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"subscriptions":["block_added"],"notifications":[{"method":"tick"}]}""",
            AfterInit = """{"jsonrpc":"2.0","method":"tick","params":{"n":1,"tick":{"n":1}}}""" + "\n\n",
        };
        var plugin = await node.StartPluginAsync("ticker", raw.RunAsync);

        await node.NotifyAsync("block_added", new JsonObject { ["hash"] = "00ab", ["height"] = 111 });

        await CustomMessageTests.WaitUntil(() => raw.ReceivedNotifications.Contains("""block_added {"block_added":{"hash":"00ab","height":111}}"""));
        var tick = await plugin.WaitForNotificationAsync("tick");
        Assert.Equal("""{"n":1,"tick":{"n":1}}""", tick.ParamsJson);
    }
}
