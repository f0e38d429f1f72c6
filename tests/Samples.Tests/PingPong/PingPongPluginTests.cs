using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing;
using PingPong;

namespace Cln.ProtocolExtensions.Samples.Tests.PingPong;

/// <summary>The pingpong plugin on two in-memory nodes.</summary>
public class PingPongPluginTests
{
    private static Task<SimulatedPlugin> StartAsync(SimulatedNode node, PluginStartOptions? options = null) =>
        node.StartPluginAsync("pingpong", b => b.AddPingPong(), options);

    [Fact]
    public async Task Ping_gets_a_pong_with_the_same_id_for_each_count()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        await StartAsync(alice);
        await StartAsync(bob);
        await simulator.ConnectAsync(alice, bob);

        JsonElement result = await alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex, ["count"] = 3 });

        Assert.Equal(bob.IdHex, result.GetProperty("peer").GetString());
        Assert.Equal(3, result.GetProperty("received").GetInt32());
        Assert.Equal(0, result.GetProperty("lost").GetInt32());
        var pongs = result.GetProperty("pongs").EnumerateArray().ToList();
        Assert.Equal(["pong: ping 1 of 3", "pong: ping 2 of 3", "pong: ping 3 of 3"], pongs.Select(p => p.GetProperty("text").GetString()));
        Assert.Equal(3, pongs.Select(p => p.GetProperty("id").GetString()).Distinct().Count());

        // Bob got three odd pings, Alice three even pongs, each decoding to the same ids.
        var pings = bob.ReceivedCustomMessages.Where(m => m.Type == Ping.Type).Select(m => Ping.Read(m.Payload.Span)).ToList();
        var received = alice.ReceivedCustomMessages.Where(m => m.Type == Pong.Type).Select(m => Pong.Read(m.Payload.Span)).ToList();
        Assert.Equal(3, pings.Count);
        Assert.Equal(pings.Select(p => p.Id), received.Select(p => p.Id));
    }

    [Fact]
    public async Task The_even_pong_type_is_announced_so_the_node_accepts_it()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedPlugin plugin = await StartAsync(alice);

        Assert.Equal(0, Pong.Type % 2);
        Assert.Contains(Pong.Type, plugin.Manifest!.CustomMessages);
        Assert.Contains(Pong.Type, alice.AllowedEvenTypes);
    }

    [Fact]
    public async Task A_peer_without_the_plugin_never_answers_and_the_ping_times_out()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        await StartAsync(alice, new PluginStartOptions { Options = { [PingPongPlugin.TimeoutOption] = 200 } });
        await simulator.ConnectAsync(alice, bob);

        JsonElement result = await alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex, ["count"] = 2 });

        Assert.Equal(0, result.GetProperty("received").GetInt32());
        Assert.Equal(2, result.GetProperty("lost").GetInt32());
    }

    [Theory]
    [InlineData("not-a-node-id", null, "peer: should be a node id: invalid token '\"not-a-node-id\"'")]
    [InlineData(null, 0, "count must be an integer from 1 to 100")]
    [InlineData(null, 101, "count must be an integer from 1 to 100")]
    public async Task Bad_parameters_are_refused(string? peer, int? count, string message)
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        SimulatedPlugin plugin = await StartAsync(alice);
        var parameters = new JsonObject { ["peer"] = peer ?? bob.IdHex };
        if (count is not null)
        {
            parameters["count"] = count;
        }

        var error = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.CallAsync("pingpong-ping", parameters));
        Assert.Equal(-32602, error.Code);
        Assert.Equal(message, error.ClnMessage);
        Assert.DoesNotContain(plugin.Log, e => e.Level >= NodeLogLevel.Unusual);
    }

    [Fact]
    public async Task The_usage_comes_from_the_typed_method_and_positional_calls_bind()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        SimulatedPlugin plugin = await StartAsync(alice);
        await StartAsync(bob);
        await simulator.ConnectAsync(alice, bob);

        var method = Assert.Single(plugin.Manifest!.RpcMethods);
        Assert.Equal("peer [count]", method.Usage);
        Assert.Equal("Sends count (default 1) pings to a connected peer running pingpong and waits for each pong.", method.Description);

        // lightning-cli pingpong-ping <peer> 2: positional, the count as the string lightning-cli may send.
        JsonElement answer = await alice.Rpc.CallPositionalAsync("pingpong-ping", [bob.IdHex, "2"]);
        Assert.Equal(2, answer.GetProperty("received").GetInt32());
        var tooMany = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.CallPositionalAsync("pingpong-ping", [bob.IdHex, 2, 3]));
        Assert.Equal(-32602, tooMany.Code);
        Assert.Equal("too many parameters: got 3, expected 2", tooMany.ClnMessage);
        var check = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.CallCliAsync("check", "pingpong-ping", bob.IdHex, "many"));
        Assert.Equal(-32602, check.Code);
        Assert.Equal("count: should be a signed 32 bit integer: invalid token '\"many\"'", check.ClnMessage);
    }

    [Fact]
    public async Task Pinging_a_peer_that_is_not_connected_is_an_error()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        await StartAsync(alice);

        var error = await Assert.ThrowsAsync<ClnRpcException>(() =>
            alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex }));
        Assert.Contains("cannot ping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_executable_answers_pings_as_a_child_process()
    {
        // Child processes JIT their first messages: a wider margin than the 5 s default for every step.
        await using var simulator = new LightningdSimulator(new LightningdSimulatorOptions { Timeout = TimeSpan.FromSeconds(60) });
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        // A generous wait for each pong: two freshly started processes JIT their first exchange.
        await alice.StartPluginProcessAsync(SamplePlugins.ExecutablePath("pingpong"),
            new PluginStartOptions { Options = { [PingPongPlugin.TimeoutOption] = 60_000 } });
        await bob.StartPluginProcessAsync(SamplePlugins.ExecutablePath("pingpong"));
        await simulator.ConnectAsync(alice, bob);

        JsonElement result = await alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex, ["count"] = 2 });

        Assert.Equal(2, result.GetProperty("received").GetInt32());
        await bob.WaitForLogAsync("ping ");

        // The typed method as lightning-cli reaches it: help, check, positional, refusals.
        JsonElement help = await alice.Rpc.CallCliAsync("help", "pingpong-ping");
        Assert.Equal("pingpong-ping peer [count]", help.GetProperty("help")[0].GetProperty("command").GetString());
        JsonElement check = await alice.Rpc.CallCliByNameAsync("check", "command_to_check=pingpong-ping", "peer=" + bob.IdHex);
        Assert.Equal("pingpong-ping", check.GetProperty("command_to_check").GetString());
        JsonElement positional = await alice.Rpc.CallCliAsync("pingpong-ping", bob.IdHex, "1");
        Assert.Equal(1, positional.GetProperty("received").GetInt32());
        var missing = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.CallCliAsync("pingpong-ping"));
        Assert.Equal(-32602, missing.Code);
        Assert.Equal("missing required parameter: peer", missing.ClnMessage);
        var unknown = await Assert.ThrowsAsync<ClnRpcException>(() => alice.Rpc.CallCliByNameAsync("pingpong-ping", "peer=" + bob.IdHex, "times=2"));
        Assert.StartsWith("unknown parameter: times, ", unknown.ClnMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.Log, e => e.Level == NodeLogLevel.Broken);
    }
}
