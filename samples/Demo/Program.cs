using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing;
using Lsps0;
using Lsps0.Protocol;
using PingPong;

// The SDK's main job in one run: two in-memory Core Lightning nodes, the sample plugins started as
// real child processes (exactly as lightningd starts them), typed custom messages both ways.
var total = Stopwatch.StartNew();
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var output = new Transcript(Console.Out, useColor: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null);

try
{
    await RunAsync(output, timeout.Token);
    output.Line();
    output.Line($"Done in {total.Elapsed.TotalSeconds:0.0} s. Next: README.md (write your own plugin), samples/PingPong, samples/Lsps0.");
    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine($"The demo failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

static async Task RunAsync(Transcript output, CancellationToken cancellationToken)
{
    output.Title("Cln.ProtocolExtensions demo");
    output.Line("Two in-memory Core Lightning nodes. The sample plugins run as child processes, started the way");
    output.Line("lightningd starts them (working directory, environment, JSON-RPC on stdin/stdout, lightning-rpc socket).");
    output.Line();

    // Generous timeouts: the plugins are fresh processes that JIT their first messages.
    await using var simulator = new LightningdSimulator(new LightningdSimulatorOptions { Timeout = TimeSpan.FromSeconds(60) });
    SimulatedNode alice = simulator.AddNode("alice");
    SimulatedNode bob = simulator.AddNode("bob");
    string pingpong = PluginPath("pingpong");
    string lsps0 = PluginPath("lsps0");

    var plugins = new List<SimulatedPlugin>
    {
        await alice.StartPluginProcessAsync(pingpong, PingPongOptions(), cancellationToken),
        await alice.StartPluginProcessAsync(lsps0, cancellationToken: cancellationToken),
        await bob.StartPluginProcessAsync(pingpong, PingPongOptions(), cancellationToken),
        await bob.StartPluginProcessAsync(lsps0, new PluginStartOptions
        {
            Options = { [Lsps0Plugin.RoleOption] = "server", [Lsps0Plugin.ProtocolsOption] = "1,2" },
        }, cancellationToken),
    };

    output.Line($"  alice  {alice.IdHex[..16]}…  plugins: pingpong, lsps0 (client)");
    output.Line($"  bob    {bob.IdHex[..16]}…  plugins: pingpong, lsps0 (LSP, supports LSPS1 and LSPS2)");
    output.Line();
    output.Line("What each plugin told lightningd in its manifest:");
    foreach (SimulatedPlugin plugin in plugins.Where(p => p.Node == alice))
    {
        PluginManifest manifest = plugin.Manifest!;
        string filters = string.Join(", ", manifest.Hooks.Where(h => h.Name == "custommsg").SelectMany(h => h.IntFilters ?? []));
        string even = manifest.CustomMessages.Count > 0 ? $"   even types it accepts: {string.Join(", ", manifest.CustomMessages)}" : "";
        output.Line($"  {plugin.Name,-9} rpc: {string.Join(", ", manifest.RpcMethods.Select(m => m.Name))}   custommsg types: {filters}{even}");
    }

    output.Line();
    output.Line("alice connects to bob.");
    await simulator.ConnectAsync(alice, bob, cancellationToken);

    var traffic = new Traffic(alice, bob);

    output.Step(1, "alice", "pingpong-ping bob 2", "typed request/response over an odd type, answered with an even type signed by the peer's node");
    await CallAsync(output, traffic, alice, "pingpong-ping", new JsonObject { ["peer"] = bob.IdHex, ["count"] = 2 }, cancellationToken);

    output.Step(2, "bob", "pingpong-ping alice", "the same, the other way");
    await CallAsync(output, traffic, bob, "pingpong-ping", new JsonObject { ["peer"] = alice.IdHex }, cancellationToken);

    output.Step(3, "alice", "lsps0-listprotocols bob", "LSPS0 (bLIP-0050): JSON-RPC 2.0 inside custom message 37913");
    await CallAsync(output, traffic, alice, "lsps0-listprotocols", new JsonObject { ["peer"] = bob.IdHex }, cancellationToken);

    output.Step(4, "alice", "lsps0-call bob lsps1.get_info", "a method this LSP does not have: the spec's error -32601");
    await CallAsync(output, traffic, alice, "lsps0-call", new JsonObject { ["peer"] = bob.IdHex, ["method"] = "lsps1.get_info" }, cancellationToken);

    output.Line();
    output.Line("At compile time the analyzer refuses what would fail on the network, for example");
    output.Line("  [CustomMessage(18)] partial record Ping(...)   // error CLNX3001: type 18 is BOLT #1 'ping'");
}

static PluginStartOptions PingPongOptions() => new() { Options = { [PingPongPlugin.TimeoutOption] = 60_000 } };

static async Task CallAsync(Transcript output, Traffic traffic, SimulatedNode node, string method, JsonObject parameters, CancellationToken cancellationToken)
{
    string answer;
    try
    {
        JsonElement result = await node.Rpc.CallAsync(method, parameters, cancellationToken);
        answer = result.GetRawText();
    }
    catch (ClnRpcException ex)
    {
        answer = $"error {ex.Code}: {ex.ClnMessage}";
    }

    foreach (string line in traffic.TakeNew())
    {
        output.Message(line);
    }

    output.Result(answer);
}

static string PluginPath(string name) =>
    typeof(Transcript).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ClnPlugin:" + name).Value
    ?? throw new InvalidOperationException($"the path of the {name} plugin was not embedded at build time");

/// <summary>The custom messages the two nodes received, decoded, in the order they flowed.</summary>
internal sealed class Traffic(SimulatedNode alice, SimulatedNode bob)
{
    private readonly HashSet<long> _seen = [];

    /// <summary>
    /// The messages received since the last call, in the order the nodes received them (the simulator
    /// numbers every received message in <see cref="ReceivedCustomMessage.Sequence"/>).
    /// </summary>
    public IEnumerable<string> TakeNew()
    {
        var fresh = bob.ReceivedCustomMessages.Select(m => (From: "alice", To: "bob", Message: m))
            .Concat(alice.ReceivedCustomMessages.Select(m => (From: "bob", To: "alice", Message: m)))
            .Where(e => _seen.Add(e.Message.Sequence))
            .OrderBy(e => e.Message.Sequence)
            .ToList();
        return fresh.Select(e => Describe(e.From, e.To, e.Message));
    }

    private static string Describe(string from, string to, ReceivedCustomMessage message)
    {
        ReadOnlySpan<byte> bytes = message.Payload.Span;
        string body = message.Type switch
        {
            _ when message.Type == Ping.Type && Ping.TryRead(bytes, out Ping? ping, out _) => $"Ping {{ Id = {ping.Id:x16}, Text = \"{ping.Text}\" }}",
            _ when message.Type == Pong.Type && Pong.TryRead(bytes, out Pong? pong, out _) => $"Pong {{ Id = {pong.Id:x16}, Text = \"{pong.Text}\" }}",
            Lsps0Constants.MessageType => Encoding.UTF8.GetString(bytes[2..]),
            _ => Convert.ToHexStringLower(bytes),
        };
        string type = $"{message.Type} {(message.Type % 2 == 0 ? "even" : "odd")}";
        return $"{from,-5} → {to,-5}  {type,-10} {message.Payload.Length,3} B  {body}";
    }
}

/// <summary>Writes the demo's transcript, in color on a terminal.</summary>
internal sealed class Transcript(TextWriter writer, bool useColor)
{
    public void Line(string text = "") => writer.WriteLine(text);

    public void Title(string text) => writer.WriteLine(Color(text, "1"));

    public void Step(int number, string node, string command, string what)
    {
        writer.WriteLine();
        writer.WriteLine(Color($"{number}. {node}$ lightning-cli {command}", "1;36") + Color($"   # {what}", "2"));
    }

    public void Message(string text) => writer.WriteLine("   " + Color(text, "33"));

    public void Result(string text) => writer.WriteLine("   " + Color("⇐ " + text, "32"));

    private string Color(string text, string code) => useColor ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
