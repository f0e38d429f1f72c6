using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing;

namespace MyPlugin.Tests;

public class PluginTests
{
    [Fact]
    public async Task Greeting_sent_by_rpc_reaches_the_peer_and_its_handler()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        // In-process, configured exactly like Program.cs (node.StartPluginProcessAsync(path) runs the executable).
        await alice.StartPluginAsync("myplugin", plugin => plugin.AddMyPlugin());
        await bob.StartPluginAsync("myplugin", plugin => plugin.AddMyPlugin());
        await simulator.ConnectAsync(alice, bob);

        var result = await alice.Rpc.CallAsync("myplugin-greet", new JsonObject { ["peer"] = bob.IdHex, ["text"] = "hello bob" });
        Assert.Equal("hello bob", result.GetProperty("sent").GetString());

        ReceivedCustomMessage received = await bob.WaitForCustomMessageAsync(Greeting.Type);
        Assert.Equal(new Greeting("hello bob"), Greeting.Read(received.Payload.Span));
        await bob.WaitForLogAsync("greeting from");
    }

    [Fact]
    public async Task Greet_declares_its_usage_and_refuses_a_bad_peer_in_lightningds_words()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedPlugin plugin = await alice.StartPluginAsync("myplugin", p => p.AddMyPlugin());

        Assert.Equal("peer [text]", Assert.Single(plugin.Manifest!.RpcMethods).Usage);
        var error = await Assert.ThrowsAsync<ClnRpcException>(() =>
            alice.Rpc.CallAsync("myplugin-greet", new JsonObject { ["peer"] = "bob" }));
        Assert.Equal(-32602, error.Code);
        Assert.Equal("peer: should be a node id: invalid token '\"bob\"'", error.ClnMessage);
    }

    [Fact]
    public void Greeting_round_trips_through_its_generated_serializer()
    {
        var greeting = new Greeting("héllo ⚡");
        var bytes = new byte[greeting.GetEncodedLength()];
        greeting.WriteTo(bytes);

        Assert.Equal(Greeting.Type, (ushort)(bytes[0] << 8 | bytes[1]));
        Assert.Equal(greeting, Greeting.Read(bytes));
    }
}
