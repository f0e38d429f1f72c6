using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Testing;

namespace MyPlugin.Tests;

public class PluginTests
{
    // Runs the plugin in-process, configured exactly like Program.cs.
    private static Task RunPlugin(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var builder = ClnPlugin.CreateBuilder([]);
        builder.UseStreams(input, output);
        builder.AddMyPlugin();
        return builder.Build().RunAsync(cancellationToken);
    }

    [Fact]
    public async Task Greeting_sent_by_rpc_reaches_the_peer_and_its_handler()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode alice = simulator.AddNode("alice");
        SimulatedNode bob = simulator.AddNode("bob");
        await alice.StartPluginAsync("myplugin", RunPlugin);
        await bob.StartPluginAsync("myplugin", RunPlugin);
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
