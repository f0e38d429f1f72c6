using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Tests.Plugins;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// Replays the traffic recorded from lightningd v26.06.6 (tests/Fixtures/cln-v26.06.6) and checks that
/// the simulator writes the same bytes (ids' counters, ports and the lightning-dir aside) and accepts and
/// refuses what lightningd accepted and refused.
/// </summary>
public class ConformanceTests
{
    private const string RecordedDir = "/home/ln/nodes/B/regtest";

    public static TheoryData<string> PluginTranscripts => new(
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cln-v26.06.6"), "*.jsonl")
            .Select(Path.GetFileName)
            .Where(f => f!.EndsWith("_plugin.jsonl", StringComparison.Ordinal) || f.StartsWith("pyln_reference_", StringComparison.Ordinal))
            .Order()!);

    [Theory]
    [MemberData(nameof(PluginTranscripts))]
    public async Task The_recorded_plugins_answers_are_accepted_or_refused_as_lightningd_did(string file)
    {
        var transcript = Fixtures.Transcript(file);
        bool dynamicStart = transcript[0].Raw.Contains("\"id\":\"cli:plugin#", StringComparison.Ordinal);
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("B");
        var script = new ScriptedPlugin(transcript);

        if (file == "variant_nonnumericids_false_nodeB_py_custommsg_plugin.jsonl")
        {
            // The recording ends after the manifest: lightningd killed the plugin.
            var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("py_custommsg_plugin.py", script.RunAsync));
            Assert.Equal("Plugin does not allow nonnumericids", e.LightningdMessage);
            return;
        }

        var plugin = await node.StartPluginAsync(PluginName(file), script.RunAsync, new PluginStartOptions { Dynamic = dynamicStart });
        Assert.Equal(PluginState.Running, plugin.State);
        Assert.Empty(node.Violations);
    }

    [Theory]
    [InlineData("run1_nodeB_py_custommsg_plugin.jsonl")]
    [InlineData("variant_hook_filters_32771_nodeB_py_custommsg_plugin.jsonl")]
    [InlineData("even_type_undeclared_nodeB_py_custommsg_plugin.jsonl")]
    [InlineData("dynamic_plugin_start_stop_developer_nodeB_py_custommsg_plugin.jsonl")]
    [InlineData("pyln_reference_allow_even_msgs.jsonl")]
    public async Task The_simulator_writes_the_bytes_lightningd_wrote(string file)
    {
        var transcript = Fixtures.Transcript(file);
        var recorded = transcript.Where(t => t.Direction == "in").SelectMany(t => Fixtures.Messages(t.Raw)).ToList();
        bool dynamicStart = recorded[0].Contains("\"id\":\"cli:plugin#", StringComparison.Ordinal);
        await using var ln = new LightningdSimulator(new LightningdSimulatorOptions
        {
            AllowDeprecatedApis = recorded[0].Contains("\"allow-deprecated-apis\":true", StringComparison.Ordinal),
        });
        var node = ln.AddNode("B");

        // Options the recording's init carried.
        using var init = JsonDocument.Parse(recorded[1]);
        var options = new PluginStartOptions { Dynamic = dynamicStart };
        foreach (var option in init.RootElement.GetProperty("params").GetProperty("options").EnumerateObject())
        {
            if (option.Value.GetString() is { Length: > 0 } value)
                options.Options[option.Name] = value;
        }

        // A plugin started at runtime finds the peer already connected.
        var firstPeer = recorded.Skip(2).Select(PeerOf).FirstOrDefault(p => p is not null);
        bool connectRecorded = recorded.Any(m => m.Contains("\"method\":\"connect\"", StringComparison.Ordinal));
        if (!connectRecorded && firstPeer is not null)
            await node.AddPeerAsync(firstPeer);

        var plugin = await node.StartPluginAsync(PluginName(file), new ScriptedPlugin(transcript).RunAsync, options);
        await DriveAsync(node, plugin, recorded.Skip(2).ToList(), file);

        var ours = plugin.Transcript.Where(t => t.Direction == TranscriptDirection.In).SelectMany(t => Fixtures.Messages(t.Text))
            .Select(m => Fixtures.Normalize(m, node.LightningDir, RecordedDir)).ToList();
        var theirs = recorded.Select(m => Fixtures.Normalize(m, node.LightningDir, RecordedDir)).ToList();
        Assert.Equal(theirs, ours);
    }

    /// <summary>
    /// In these recordings the peer's <c>peer_storage</c> (type 7) notification comes before the
    /// <c>connect</c> notification: CLN's chanbackup holds the <c>peer_connected</c> hook while the
    /// message arrives, and answers its own <c>custommsg</c> hook (filters 7, 9) after. A stand-in for
    /// chanbackup doing the same makes the simulator write the very same sequence.
    /// </summary>
    [Theory]
    [InlineData("run1_nodeA_py_custommsg_plugin.jsonl")]
    [InlineData("even_type_allow32768_nodeB_py_custommsg_plugin.jsonl")]
    [InlineData("variant_nonnumericids_omitted_nodeB_py_custommsg_plugin.jsonl")]
    public async Task The_peer_storage_race_with_chanbackups_hook_comes_out_the_same(string file)
    {
        var transcript = Fixtures.Transcript(file);
        var recorded = transcript.Where(t => t.Direction == "in").SelectMany(t => Fixtures.Messages(t.Raw)).ToList();
        Assert.Contains("\"method\":\"custommsg\",\"params\":{\"custommsg\"", recorded[2]);
        Assert.Contains("\"method\":\"connect\"", recorded[3]);
        string recordedDir = file.Contains("nodeA", StringComparison.Ordinal) ? "/home/ln/nodes/A/regtest" : RecordedDir;
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode(file.Contains("nodeA", StringComparison.Ordinal) ? "A" : "B");
        using var release = new ManualResetEventSlim();
        await node.StartPluginAsync("chanbackup", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"peer_connected"},{"name":"custommsg","filters":[7,9]}]}""",
            OnRequest = (method, _, _) =>
            {
                if (method == "peer_connected")
                    release.Wait(TimeSpan.FromSeconds(60));
                return null;
            },
        }.RunAsync);
        var plugin = await node.StartPluginAsync("py_custommsg_plugin.py", new ScriptedPlugin(transcript).RunAsync);

        using var connect = JsonDocument.Parse(recorded[3]);
        var c = connect.RootElement.GetProperty("params").GetProperty("connect");
        var peer = new PubKey(c.GetProperty("id").GetString()!);
        using var storage = JsonDocument.Parse(recorded[2]);
        var payload = Convert.FromHexString(storage.RootElement.GetProperty("params").GetProperty("custommsg").GetProperty("payload").GetString()!);

        var connecting = node.AddPeerAsync(peer, c.GetProperty("direction").GetString() == "in");
        await node.ReceiveCustomMessageAsync(peer, payload);
        await CustomMessageTests.WaitUntil(() => plugin.Transcript.Any(t => t.Text.Contains("\"params\":{\"custommsg\"", StringComparison.Ordinal)));
        release.Set();
        await connecting;
        Assert.Equal(["chanbackup", "py_custommsg_plugin.py"], (await node.WaitForCustomMessageAsync()).HookCalls);

        await DriveAsync(node, plugin, recorded.Skip(5).ToList(), file);

        var ours = plugin.Transcript.Where(t => t.Direction == TranscriptDirection.In).SelectMany(t => Fixtures.Messages(t.Text))
            .Select(m => Fixtures.Normalize(m, node.LightningDir, recordedDir)).ToList();
        var theirs = recorded.Select(m => Fixtures.Normalize(m, node.LightningDir, recordedDir)).ToList();
        Assert.Equal(theirs, ours);
    }

    /// <summary>Makes the node do what the recorded node did, one recorded message at a time.</summary>
    private static async Task DriveAsync(SimulatedNode node, SimulatedPlugin plugin, IReadOnlyList<string> recorded, string file)
    {
        string? notified = null;
        foreach (var message in recorded)
        {
            using var doc = JsonDocument.Parse(message);
            var root = doc.RootElement;
            string method = root.GetProperty("method").GetString()!;
            var p = root.GetProperty("params");
            switch (method)
            {
                case "connect":
                    var c = p.GetProperty("connect");
                    await node.AddPeerAsync(new PubKey(c.GetProperty("id").GetString()!), c.GetProperty("direction").GetString() == "in");
                    break;
                case "custommsg" when !root.TryGetProperty("id", out _):
                    notified = p.GetProperty("custommsg").GetProperty("payload").GetString();
                    await ReceiveAsync(node, p.GetProperty("custommsg"));
                    break;
                case "custommsg":
                    if (notified == p.GetProperty("payload").GetString()!)
                        notified = null; // the hook call for the message just notified
                    else
                        await ReceiveAsync(node, p);
                    break;
                case "disconnect":
                    var peer = new PubKey(p.GetProperty("disconnect").GetProperty("id").GetString()!);
                    if (file.StartsWith("even_type_undeclared", StringComparison.Ordinal))
                    {
                        // What happened there: the peer sent 0x8000 and nobody listed it.
                        await node.ReceiveCustomMessageAsync(peer, Convert.FromHexString("8000beef"));
                        await node.WaitForLogAsync("Invalid unknown even msg 8000beef");
                        await CustomMessageTests.WaitUntil(() => node.Peers.Count == 0);
                    }
                    else
                    {
                        await node.DisconnectPeerAsync(peer);
                    }
                    break;
                case "shutdown":
                    await plugin.StopAsync();
                    break;
                default:
                    throw new InvalidOperationException($"the driver does not know how to cause '{method}'");
            }
        }
    }

    private static async Task ReceiveAsync(SimulatedNode node, JsonElement p)
    {
        int before = node.ReceivedCustomMessages.Count;
        await node.ReceiveCustomMessageAsync(new PubKey(p.GetProperty("peer_id").GetString()!), Convert.FromHexString(p.GetProperty("payload").GetString()!));
        var received = await node.WaitForCustomMessageAsync(_ => node.ReceivedCustomMessages.Count > before);
        await received.Handled;
    }

    private static PubKey? PeerOf(string message)
    {
        using var doc = JsonDocument.Parse(message);
        var p = doc.RootElement.GetProperty("params");
        if (p.TryGetProperty("peer_id", out var id) || (p.TryGetProperty("custommsg", out var c) && c.TryGetProperty("peer_id", out id)))
            return new PubKey(id.GetString()!);
        return null;
    }

    private static string PluginName(string file) => file.StartsWith("pyln_reference_", StringComparison.Ordinal)
        ? file["pyln_reference_".Length..].Replace(".jsonl", ".py", StringComparison.Ordinal)
        : "py_custommsg_plugin.py";

    [Fact]
    public async Task Hook_chain_and_filters_match_clns_own_test_plugins()
    {
        // CLN's custommsg_b.py (filter 0xaaff) loaded before custommsg_a.py (no filter) and the
        // notification plugin: B got #57 and A #58 for the same message, so B is called first.
        var b = Fixtures.Transcript("pyln_reference_custommsg_b.jsonl");
        var a = Fixtures.Transcript("pyln_reference_custommsg_a.jsonl");
        var n = Fixtures.Transcript("pyln_reference_custommsg_notification.jsonl");
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("B");
        var pb = await node.StartPluginAsync("custommsg_b.py", new ScriptedPlugin(b).RunAsync);
        var pa = await node.StartPluginAsync("custommsg_a.py", new ScriptedPlugin(a).RunAsync);
        var pn = await node.StartPluginAsync("custommsg_notification.py", new ScriptedPlugin(n).RunAsync);
        var peer = new PubKey("0292ea7470cbca6a39b26161c31e5378e20368f0c42842c8609667df8da624f97e");

        foreach (var hex in new[] { "00070039bc5e0724cbf234bea0b0c14699ce1d8addd0fd3c37a0f90261a25a83fe478d81a46bcf1d09a7730e7f3810dec43cd6e057cec191c81864ec26",
                     "aaffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffbb", "aafdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdfdbb", "77770012" })
        {
            await node.ReceiveCustomMessageAsync(peer, Convert.FromHexString(hex));
            await node.WaitForCustomMessageAsync(m => m.Hex == hex);
        }

        Assert.Equal(["custommsg_b.py", "custommsg_a.py"], node.ReceivedCustomMessages[1].HookCalls);
        foreach (var (plugin, recording) in new[] { (pb, b), (pa, a), (pn, n) })
        {
            var theirs = recording.Where(t => t.Direction == "in").SelectMany(t => Fixtures.Messages(t.Raw))
                .Select(m => Fixtures.Normalize(m, node.LightningDir, RecordedDir));
            var ours = plugin.Transcript.Where(t => t.Direction == TranscriptDirection.In).SelectMany(t => Fixtures.Messages(t.Text))
                .Select(m => Fixtures.Normalize(m, node.LightningDir, RecordedDir))
                .Where(m => !m.Contains("\"method\":\"connect\"", StringComparison.Ordinal)); // the recorded peer connected before these plugins started
            Assert.Equal(theirs, ours);
        }

        // The plugins' log lines reached the node's log as lightningd logs them.
        await pa.WaitForLogAsync("Got custommessage_a 77770012 from peer " + peer.ToHex());
        await pn.WaitForLogAsync("payload=77770012");
    }

    [Fact]
    public async Task Sendcustommsg_answers_match_the_recorded_answers()
    {
        var records = Fixtures.Records("sendcustommsg_results.jsonl");
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("A");
        var bob = ln.AddNode("B");
        await bob.StartPluginAsync("recorder", new RawJsonPlugin().RunAsync);
        await ln.ConnectAsync(alice, bob);
        await using var socket = await RawSocket.ConnectAsync(alice.RpcPath);

        const string RecordedB = "0252b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4c6";
        foreach (var record in records.Where(r => r.TryGetProperty("A_alive", out _)))
        {
            string request = record.GetProperty("request_raw").GetString()!.Replace(RecordedB, bob.IdHex, StringComparison.Ordinal);
            await socket.SendAsync(request);
            var answer = Assert.Single(await socket.ReceiveAsync(1));
            Assert.Equal(record.GetProperty("response_raw").GetString(), answer);
        }

        var expected = records.Single(r => r.GetProperty("case").GetString()!.StartsWith("payloads received by B", StringComparison.Ordinal))
            .GetProperty("B_received").EnumerateArray().Select(e => e.GetString()!).ToArray();
        await bob.WaitForCustomMessageAsync(_ => bob.ReceivedCustomMessages.Count >= expected.Length);
        Assert.Equal(expected, bob.ReceivedCustomMessages.Select(m => m.Hex));
        Assert.Equal([bob.Id], alice.Peers);
    }

    [Theory]
    [InlineData("malformed hex odd length '8001a'")]
    [InlineData("malformed hex non-hex chars '8001zz'")]
    [InlineData("empty msg ''")]
    public async Task Malformed_sendcustommsg_is_answered_as_recorded_then_connectd_dies(string caseName)
    {
        var record = Fixtures.Records("sendcustommsg_results.jsonl").Single(r => r.GetProperty("case").GetString() == caseName);
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("A");
        var bob = ln.AddNode("B");
        await ln.ConnectAsync(alice, bob);
        await using var socket = await RawSocket.ConnectAsync(alice.RpcPath);
        string recordedB = JsonDocument.Parse(record.GetProperty("request_raw").GetString()!).RootElement.GetProperty("params").GetProperty("node_id").GetString()!;

        await socket.SendAsync(record.GetProperty("request_raw").GetString()!.Replace(recordedB, bob.IdHex, StringComparison.Ordinal));

        Assert.Equal(record.GetProperty("response_raw").GetString(), Assert.Single(await socket.ReceiveAsync(1)));
        var violation = await alice.WaitForViolationAsync();
        Assert.Equal(ViolationConsequence.ConnectdCrashes, violation.Consequence);
        await CustomMessageTests.WaitUntil(() => bob.Peers.Count == 0);
        Assert.False(record.GetProperty("B_connected_to_A").GetBoolean());
        Assert.Empty(bob.ReceivedCustomMessages);
        Assert.Contains(alice.Log, l => l.ToString() == "**BROKEN** connectd: FATAL SIGNAL 6 (version v26.06.6)");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Even_types_behave_as_recorded(int index)
    {
        var record = Fixtures.Records("even_type_results.jsonl")[index];
        bool declared = record.GetProperty("B_plugin_custommessages").ValueKind == JsonValueKind.Array;
        string requestRaw = record.GetProperty("request_raw").GetString()!;
        string recordedB = JsonDocument.Parse(requestRaw).RootElement.GetProperty("params").GetProperty("node_id").GetString()!;
        string recordedA = record.GetProperty("B_log")[0].GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Split('-')[0];

        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("A");
        var bob = ln.AddNode("B");
        await bob.StartPluginAsync("py_custommsg_plugin.py", new RawJsonPlugin
        {
            Manifest = declared
                ? """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg"}],"custommessages":[32768]}"""
                : """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg"}]}""",
        }.RunAsync);
        await ln.ConnectAsync(alice, bob);
        await using var socket = await RawSocket.ConnectAsync(alice.RpcPath);
        string Ours(string s) => s.Replace(recordedB, bob.IdHex, StringComparison.Ordinal).Replace(recordedA, alice.IdHex, StringComparison.Ordinal);

        await socket.SendAsync(Ours(requestRaw));
        Assert.Equal(record.GetProperty("response_raw").GetString(), Assert.Single(await socket.ReceiveAsync(1)));
        if (declared)
            await bob.WaitForCustomMessageAsync(0x8000);
        else
            await CustomMessageTests.WaitUntil(() => bob.Peers.Count == 0 && alice.Peers.Count == 0);

        Assert.Equal(record.GetProperty("A_connected_to_B").GetBoolean(), alice.Peers.Contains(bob.Id));
        Assert.Equal(record.GetProperty("B_connected_to_A").GetBoolean(), bob.Peers.Contains(alice.Id));
        Assert.Equal(record.GetProperty("B_hook_received").EnumerateArray().Select(e => e.GetString()!), bob.ReceivedCustomMessages.Select(m => m.Hex));
        foreach (var line in record.GetProperty("A_log").EnumerateArray())
            Assert.Contains(Ours(line.GetString()!), alice.Log.Select(l => l.ToString()));
        foreach (var line in record.GetProperty("B_log").EnumerateArray())
            Assert.Contains(Ours(line.GetString()!), bob.Log.Select(l => l.ToString()));

        await socket.SendAsync(Ours(record.GetProperty("followup_request_raw").GetString()!));
        Assert.Equal(Ours(record.GetProperty("followup_response_raw").GetString()!), Assert.Single(await socket.ReceiveAsync(1)));
        var after = record.GetProperty("B_hook_received_after_followup").EnumerateArray().Select(e => e.GetString()!).ToArray();
        if (after.Length > 0)
            await bob.WaitForCustomMessageAsync(m => m.Hex == after[^1]);
        Assert.Equal(after, bob.ReceivedCustomMessages.Select(m => m.Hex));
    }

    [Fact]
    public async Task Plugin_started_and_warning_notifications_have_the_recorded_shape()
    {
        var recorded = Fixtures.Transcript("variant_subscribe_all_nodeB_py_custommsg_plugin.jsonl")
            .Where(t => t.Direction == "in").SelectMany(t => Fixtures.Messages(t.Raw)).ToList();
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("B");
        var plugin = await node.StartPluginAsync("py_custommsg_plugin.py", new ScriptedPlugin(Fixtures.Transcript("variant_subscribe_all_nodeB_py_custommsg_plugin.jsonl")).RunAsync);

        // lightningd tells the plugin about itself first; an in-process plugin's path is its name.
        await CustomMessageTests.WaitUntil(() => plugin.Transcript.Count(t => t.Direction == TranscriptDirection.In) >= 3);
        string ours = plugin.Transcript.Where(t => t.Direction == TranscriptDirection.In).ElementAt(2).Text;
        Assert.Equal(recorded[2].Replace("/home/ln/plugins/py_custommsg_plugin.py", "py_custommsg_plugin.py", StringComparison.Ordinal), ours);

        // An UNUSUAL line becomes a warning notification with lightningd's members, in its order.
        var stranger = new PubKey("0331fbcc6fb3ab8901a171448f216625799b6ba21a829540fbdbe3d150cd5b260e");
        await node.ReceiveCustomMessageAsync(stranger, Convert.FromHexString("8000"));
        await CustomMessageTests.WaitUntil(() => plugin.Transcript.Any(t => t.Text.Contains("\"method\":\"warning\"", StringComparison.Ordinal)));
        string warning = plugin.Transcript.First(t => t.Text.Contains("\"method\":\"warning\"", StringComparison.Ordinal)).Text;
        string recordedWarning = recorded.Single(m => m.Contains("\"method\":\"warning\"", StringComparison.Ordinal));
        static string Shape(string m) => System.Text.RegularExpressions.Regex.Replace(m, "\"(time|timestamp|source|log)\":\"[^\"]*\"", "\"$1\":\"…\"");
        Assert.Equal(Shape(recordedWarning), Shape(warning));
        Assert.Contains($"\"source\":\"{stranger.ToHex()}-connectd\",\"log\":\"Invalid unknown even msg 8000\"", warning);
    }
}
