using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Rpc.Models;
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
        Assert.Equal(0, result.GetProperty("rejected").GetInt32());
        var pongs = result.GetProperty("pongs").EnumerateArray().ToList();
        Assert.Equal(["pong: ping 1 of 3", "pong: ping 2 of 3", "pong: ping 3 of 3"], pongs.Select(p => p.GetProperty("text").GetString()));
        Assert.Equal(3, pongs.Select(p => p.GetProperty("id").GetString()).Distinct().Count());

        // Bob got three odd pings, Alice three even pongs, each decoding to the same ids.
        var pings = bob.ReceivedCustomMessages.Where(m => m.Type == Ping.Type).Select(m => Ping.Read(m.Payload.Span)).ToList();
        var received = alice.ReceivedCustomMessages.Where(m => m.Type == Pong.Type).Select(m => Pong.Read(m.Payload.Span)).ToList();
        Assert.Equal(3, pings.Count);
        Assert.Equal(pings.Select(p => p.Id), received.Select(p => p.Id));

        // Each pong carries bob's signature of its id and text, which bob's node id verifies.
        foreach (Pong pong in received)
        {
            var check = await bob.Rpc.CheckMessageAsync(new CheckmessageRequest
            {
                Message = Pong.SignedText(pong.Id, pong.Text),
                Zbase = Encoding.ASCII.GetString(Assert.IsType<byte[]>(pong.Signature)),
                Pubkey = bob.Id,
            });
            Assert.True(check.Verified);
            Assert.Equal(bob.Id, check.Pubkey);
        }
    }

    /// <summary>A node that answers pings with pongs signed wrongly, the way <paramref name="forge"/> says.</summary>
    private static Task<SimulatedPlugin> StartForgerAsync(SimulatedNode node, Func<Ping, CancellationToken, Task<Pong>> forge) =>
        node.StartPluginAsync("forger", b => b.HandleMessage<Ping>(async (context, ct) => await context.ReplyAsync(await forge(context.Message, ct), ct)));

    [Fact]
    public async Task A_pong_whose_text_was_changed_after_signing_is_rejected()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        SimulatedPlugin plugin = await StartAsync(alice);
        await StartForgerAsync(bob, async (ping, ct) =>
        {
            var signed = await bob.Rpc.SignMessageAsync(new SignmessageRequest { Message = Pong.SignedText(ping.Id, "pong: " + ping.Text) }, ct);
            return new Pong(ping.Id, "pong: tampered") { Signature = Encoding.ASCII.GetBytes(signed.Zbase) };
        });
        await simulator.ConnectAsync(alice, bob);

        JsonElement result = await alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex, ["count"] = 2 });

        Assert.Equal(0, result.GetProperty("received").GetInt32());
        Assert.Equal(2, result.GetProperty("rejected").GetInt32());
        Assert.Equal(0, result.GetProperty("lost").GetInt32());
        Assert.Empty(result.GetProperty("pongs").EnumerateArray());
        Assert.Equal(2, alice.ReceivedCustomMessages.Count(m => m.Type == Pong.Type));
        Assert.Contains(plugin.Log, e => e.Message.Contains("rejected: its signature is not the peer's", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pong_signed_by_another_node_or_unsigned_is_rejected()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        SimulatedNode mallory = simulator.AddNode("mallory");
        await StartAsync(alice);
        int answered = 0;
        await StartForgerAsync(bob, async (ping, ct) =>
        {
            string text = "pong: " + ping.Text;
            if (Interlocked.Increment(ref answered) == 2)
            {
                return new Pong(ping.Id, text);
            }

            // Mallory signs the very text bob should have signed: a valid signature, of the wrong node.
            var signed = await mallory.Rpc.SignMessageAsync(new SignmessageRequest { Message = Pong.SignedText(ping.Id, text) }, ct);
            return new Pong(ping.Id, text) { Signature = Encoding.ASCII.GetBytes(signed.Zbase) };
        });
        await simulator.ConnectAsync(alice, bob);

        JsonElement result = await alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex, ["count"] = 2 });

        Assert.Equal(0, result.GetProperty("received").GetInt32());
        Assert.Equal(2, result.GetProperty("rejected").GetInt32());
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
    public async Task Pinging_a_peer_that_is_not_connected_fails_with_lightningds_own_error()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        SimulatedPlugin plugin = await StartAsync(alice);

        // sendcustommsg's refusal passes through pingpong-ping unchanged: lightningd's code and message.
        var error = await Assert.ThrowsAsync<PeerNotFoundException>(() =>
            alice.Rpc.CallAsync("pingpong-ping", new JsonObject { ["peer"] = bob.IdHex }));
        Assert.Equal(-32600, error.Code);
        Assert.Equal($"No such peer: {bob.IdHex}", error.ClnMessage);
        Assert.DoesNotContain(plugin.Log, e => e.Level >= NodeLogLevel.Unusual);
        Assert.DoesNotContain(alice.Log, e => e.Level == NodeLogLevel.Broken);
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
