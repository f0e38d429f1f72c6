using System.Text.Json.Nodes;
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

        await alice.Rpc.CallAsync("myplugin-greet", new JsonObject { ["peer"] = bob.IdHex, ["text"] = "hello bob" });

        ReceivedCustomMessage received = await bob.WaitForCustomMessageAsync(Greeting.Type);
        Assert.Equal(new Greeting("hello bob"), Greeting.Read(received.Payload.Span));
        await bob.WaitForLogAsync("greeting from");
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
