using System.Text.Json;
using System.Text.RegularExpressions;
using Cln.ProtocolExtensions.Testing.Internal;
using Cln.ProtocolExtensions.Testing.Tests.Plugins;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// Every bad (and borderline) manifest recorded against real lightningd v26.06.6
/// (tests/Fixtures/cln-v26.06.6/manifest_violations.jsonl), replayed on the simulator: the plugin writes
/// the recorded <c>getmanifest</c> answer byte for byte, and the simulator must do what lightningd did:
/// accept it, kill the plugin with lightningd's words and log line, exit, or crash. The expected texts
/// come from the recording only; what legitimately differs (the request id, the plugin's path) is
/// substituted from what the simulator itself sent.
/// </summary>
public partial class RecordedManifestTests
{
    private const string File = "manifest_violations.jsonl";

    /// <summary>One case per recorded row: (line in the file, case, mode, whether <c>"dynamic":true</c> was appended).</summary>
    public static TheoryData<int, string, string, bool> Rows()
    {
        var data = new TheoryData<int, string, string, bool>();
        var rows = Fixtures.Records(File);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            data.Add(i, r.GetProperty("case").GetString()!, r.GetProperty("mode").GetString()!,
                r.TryGetProperty("dynamic_added", out var d) && d.ValueKind == JsonValueKind.True);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task A_recorded_manifest_gets_what_lightningd_did_with_it(int line, string @case, string mode, bool dynamicAdded)
    {
        var row = Fixtures.Records(File)[line];
        Assert.Equal(@case, row.GetProperty("case").GetString());
        bool startup = mode == "startup";
        Assert.True(startup || mode == "plugin start", mode);
        Assert.Equal(dynamicAdded, row.TryGetProperty("dynamic_added", out var added) && added.ValueKind == JsonValueKind.True);

        string[] paths = startup
            ? row.GetProperty("plugin_paths").EnumerateArray().Select(p => p.GetString()!).ToArray()
            : [row.GetProperty("plugin_path").GetString()!];
        var stdio = row.GetProperty("plugin_stdio").EnumerateArray().ToArray();
        bool twoPlugins = row.GetProperty("case").GetString() == "duplicate_option_second_plugin";

        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var start = new PluginStartOptions { Dynamic = !startup };
        var featuresBefore = (await node.Rpc.CallAsync("getinfo")).GetProperty("our_features").Clone();

        // The duplicate-option case: the plugin that answers first takes the name, and lightningd names the
        // other one (at startup the recorded stdout says which; under plugin start one.py was started earlier).
        string recordedPath = twoPlugins && startup ? RecordedSecond(row, paths) : paths[^1];
        if (twoPlugins)
        {
            string firstName = startup ? Path.GetFileName(paths.Single(p => p != recordedPath)) : "one.py";
            await node.StartPluginAsync(firstName, Replay(stdio[0], out _).RunAsync, start);
        }

        string name = Path.GetFileName(recordedPath);
        var plugin = Replay(stdio[^1], out var sentId);
        var starting = node.StartPluginAsync(name, plugin.RunAsync, start);

        string Expected(string recorded) => recorded
            .Replace(RecordedManifestId(stdio[^1]), sentId.Value ?? "(no getmanifest sent)", StringComparison.Ordinal)
            .Replace(recordedPath, name, StringComparison.Ordinal);
        var recordedPluginLines = row.GetProperty("log_lines").EnumerateArray().Select(l => l.GetString()!)
            .Where(l => l.Contains($" plugin-{Path.GetFileName(recordedPath)}: ", StringComparison.Ordinal)).ToArray();
        string[] SimulatorPluginLines() => node.Log.Where(l => l.Source == "plugin-" + name).Select(l => l.ToString()).ToArray();

        if (!row.GetProperty("node_alive").GetBoolean())
        {
            // lightningd died: it crashed (SIGSEGV) or exited (fatal) while reading the manifest.
            var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => starting);
            int exitCode = row.GetProperty("lightningd_exit_code").GetInt32();
            Assert.Equal(exitCode < 0 ? ViolationConsequence.LightningdCrashes : ViolationConsequence.LightningdExits, e.Consequence);
            Assert.Same(e, node.FatalViolation);
            Assert.Equal(PluginState.Stopped, node.Plugins[name].State);
            if (startup)
            {
                // Only lightningd's stdout says why; nothing about it reaches the log.
                var stdout = row.GetProperty("lightningd_stdout");
                string firstLine = stdout.ValueKind == JsonValueKind.Array ? stdout[0].GetString()! : stdout.GetString()!.TrimEnd('\n');
                Assert.Equal(Expected(firstLine), Assert.Single(node.StandardOutput));
                Assert.Empty(SimulatorPluginLines());
                Assert.DoesNotContain(node.Log, l => l.Level == NodeLogLevel.Broken);
            }
            else
            {
                string crashLine = row.GetProperty("log_lines").EnumerateArray().Select(l => l.GetString()!)
                    .First(l => l.StartsWith("**BROKEN** lightningd: ", StringComparison.Ordinal));
                Assert.Contains(crashLine, node.Log.Select(l => l.ToString()));
                Assert.Equal(crashLine["**BROKEN** lightningd: ".Length..], e.LightningdMessage);
                Assert.Empty(node.StandardOutput);
                Assert.Empty(SimulatorPluginLines());
            }
            return;
        }

        if (row.GetProperty("accepted").GetBoolean())
        {
            var running = await starting;
            Assert.Equal(PluginState.Running, running.State);
            Assert.Null(node.FatalViolation);
        }
        else
        {
            // Killed: lightningd's words, its log line (level included), and the same text in plugin start's error.
            var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => starting);
            Assert.Equal(ViolationConsequence.PluginKilled, e.Consequence);
            Assert.Equal(Expected(row.GetProperty("lightningd_message").GetString()!), e.LightningdMessage);
            Assert.Equal(PluginState.Stopped, node.Plugins[name].State);
            Assert.Null(node.FatalViolation);
            if (!startup)
            {
                using var reply = JsonDocument.Parse(row.GetProperty("rpc_response_raw").GetString()!);
                Assert.Equal(-3, reply.RootElement.GetProperty("error").GetProperty("code").GetInt32());
                Assert.Equal(Expected(reply.RootElement.GetProperty("error").GetProperty("message").GetString()!), $"{name}: {e.LightningdMessage}");
            }
        }

        Assert.Equal(recordedPluginLines.Select(Expected), SimulatorPluginLines());
        Assert.Empty(node.StandardOutput);

        // Feature bits the node offers afterwards. Startup rows ran on a fresh node: the whole set. Plugin-start
        // rows ran one after another on one node, so the change is compared (a plugin killed for not being
        // dynamic keeps its bit, row 31).
        var ours = (await node.Rpc.CallAsync("getinfo")).GetProperty("our_features");
        if (startup && row.TryGetProperty("our_features", out var recorded))
        {
            foreach (var place in recorded.EnumerateObject())
                Assert.Equal(place.Value.GetString(), ours.GetProperty(place.Name).GetString());
        }
        else if (!startup)
        {
            var before = row.GetProperty("our_features_before");
            foreach (var place in row.GetProperty("our_features_after").EnumerateObject())
            {
                Assert.Equal(
                    Xor(place.Value.GetString()!, before.GetProperty(place.Name).GetString()!),
                    Xor(ours.GetProperty(place.Name).GetString()!, featuresBefore.GetProperty(place.Name).GetString()!));
            }
        }
    }

    /// <summary>The bits that differ between two feature bitmaps (big-endian hex, aligned on the right).</summary>
    private static string Xor(string a, string b)
    {
        var x = Convert.FromHexString(a.PadLeft(Math.Max(a.Length, b.Length), '0'));
        var y = Convert.FromHexString(b.PadLeft(Math.Max(a.Length, b.Length), '0'));
        return Convert.ToHexStringLower(x.Zip(y, (p, q) => (byte)(p ^ q)).ToArray());
    }

    [Fact]
    public void Every_recorded_row_is_replayed()
    {
        // 92 rows: a row the theory skipped, or a file cut short, shows here.
        Assert.Equal(System.IO.File.ReadLines(Fixtures.PathOf(File)).Count(l => l.Length > 0), Rows().Count());
        Assert.Equal(Enumerable.Range(1, 33), Fixtures.Records(File).Select(r => r.GetProperty("n").GetInt32()).Distinct().Order());
    }

    [Fact]
    public async Task A_method_named_like_a_built_in_plugins_command_gets_the_plugin_killed_in_lightningds_words()
    {
        // Recorded (lightningd_names.json facts): pay gets the plugin killed with this text.
        string fact = Facts().Single(f => f.Contains("(pay)", StringComparison.Ordinal));
        string template = FactQuote().Match(fact).Groups[1].Value;
        Assert.Contains("<path>", template, StringComparison.Ordinal);

        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("mine",
            new RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[{"name":"pay","usage":""}]}""" }.RunAsync));

        Assert.Equal(ViolationConsequence.PluginKilled, e.Consequence);
        Assert.Equal(template.Replace("<path>", BuiltInPlugins.Directory + "/pay", StringComparison.Ordinal), e.LightningdMessage);
        Assert.Contains(node.Log, l => l.ToString() == $"UNUSUAL plugin-mine: Killing plugin: {e.LightningdMessage}");
        Assert.Null(node.FatalViolation);
    }

    [Theory]
    [InlineData("getinfo")]
    [InlineData("sendcustommsg")]
    [InlineData("help")]
    [InlineData("check")]
    [InlineData("stop")]
    [InlineData("plugin")]
    public async Task A_method_named_like_a_lightningd_command_crashes_the_node(string method)
    {
        // The names lightningd_names.json's facts list as crashing v26.06.6; row 6 of the recording has the words.
        Assert.Contains(Facts(), f => f.Contains("FATAL SIGNAL 11", StringComparison.Ordinal) && f.Contains(method, StringComparison.Ordinal));
        string crash = Fixtures.Records(File).Where(r => r.GetProperty("case").GetString() == "rpcmethod_getinfo_taken" && r.GetProperty("mode").GetString() == "startup")
            .Select(r => r.GetProperty("lightningd_stdout")[0].GetString()!).Single();

        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("mine",
            new RawJsonPlugin { Manifest = "{\"options\":[],\"rpcmethods\":[{\"name\":\"" + method + "\",\"usage\":\"\"}]}" }.RunAsync));

        Assert.Equal(ViolationConsequence.LightningdCrashes, e.Consequence);
        Assert.Contains("lightningd would crash", e.Message, StringComparison.Ordinal);
        Assert.Equal([crash], node.StandardOutput);
        Assert.Same(e, node.FatalViolation);
    }

    [Fact]
    public async Task An_option_named_like_one_of_lightningds_stops_it_from_starting_and_is_refused_under_plugin_start()
    {
        // lightningd_names.json's fact: "error starting plugin '<path>': option name 'alias' is already taken".
        string fact = Facts().Single(f => f.Contains("option name 'alias'", StringComparison.Ordinal));
        string template = FactQuote().Match(fact).Groups[1].Value;
        // Under plugin start lightningd refuses the plugin with the duplicate option's recorded words (row 32).
        string refused = Fixtures.Records(File).Single(r => r.GetProperty("n").GetInt32() == 32 && r.GetProperty("mode").GetString() == "plugin start")
            .GetProperty("lightningd_message").GetString()!.Replace("\"same\"", "\"alias\"", StringComparison.Ordinal);

        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        const string Manifest = """{"options":[{"name":"alias","type":"string","description":"d"}],"rpcmethods":[],"dynamic":true}""";
        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("late",
            new RawJsonPlugin { Manifest = Manifest }.RunAsync, new PluginStartOptions { Dynamic = true }));
        Assert.Equal(ViolationConsequence.PluginKilled, e.Consequence);
        Assert.Equal(refused, e.LightningdMessage);

        e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("early", new RawJsonPlugin { Manifest = Manifest }.RunAsync));
        Assert.Equal(ViolationConsequence.LightningdExits, e.Consequence);
        Assert.Equal(template.Replace("<path>", "early", StringComparison.Ordinal), e.LightningdMessage);
        Assert.Equal([e.LightningdMessage], node.StandardOutput);
    }

    [Fact]
    public async Task Every_recorded_command_and_option_is_taken_on_a_simulated_node()
    {
        // A plugin method named like any recorded command is never accepted: lightningd's own crash the
        // node, built-in plugins' get the plugin killed. Every recorded option name is taken.
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var commands = Names("commands");
        Assert.All(BuiltInPlugins.Commands.Values.SelectMany(c => c), c => Assert.Contains(c, commands));
        Assert.All(commands, c => Assert.Equal(BuiltInPlugins.PathOf(c) ?? ManifestParser.Lightningd, node.ManifestMethodOwner(c)));
        Assert.All(Names("options"), o => Assert.True(node.IsOptionTaken(o), o));
        Assert.Null(node.ManifestMethodOwner("pingpong-send"));
        Assert.False(node.IsOptionTaken("pingpong-alias"));
    }

    private static string[] Names(string list)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(Fixtures.PathOf("lightningd_names.json")));
        return doc.RootElement.GetProperty(list).EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static string[] Facts() => Names("facts");

    /// <summary>A plugin that answers every request with the recorded answer to the same method, under the simulator's id.</summary>
    private static RawJsonPlugin Replay(JsonElement stdio, out StrongBox<string?> getManifestId)
    {
        var records = stdio.EnumerateArray().Select(r => (Dir: r.GetProperty("dir").GetString()!, Raw: r.GetProperty("raw").GetString()!)).ToArray();
        var answers = new Dictionary<string, string>();
        for (int i = 0; i < records.Length; i++)
        {
            if (records[i].Dir != "in")
                continue;
            using var request = JsonDocument.Parse(records[i].Raw);
            string method = request.RootElement.GetProperty("method").GetString()!;
            string id = request.RootElement.GetProperty("id").GetString()!;
            var answer = records.Skip(i + 1).FirstOrDefault(r => r.Dir == "out" && r.Raw.Contains(id, StringComparison.Ordinal));
            if (answer.Raw is not null)
                answers[method] = answer.Raw.Replace(id, "\u0000", StringComparison.Ordinal);
        }

        var box = new StrongBox<string?>();
        getManifestId = box;
        return new RawJsonPlugin
        {
            OnRequest = (method, id, _) =>
            {
                if (method == "getmanifest")
                    box.Value = id;
                return answers.TryGetValue(method, out var raw) ? raw.Replace("\u0000", id, StringComparison.Ordinal) : null;
            },
        };
    }

    private static string RecordedManifestId(JsonElement stdio)
    {
        using var request = JsonDocument.Parse(stdio[0].GetProperty("raw").GetString()!);
        Assert.Equal("getmanifest", request.RootElement.GetProperty("method").GetString());
        return request.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The path lightningd named in its stdout line: the plugin that answered getmanifest second.</summary>
    private static string RecordedSecond(JsonElement row, string[] paths)
    {
        var stdout = row.GetProperty("lightningd_stdout");
        string line = stdout.ValueKind == JsonValueKind.Array ? stdout[0].GetString()! : stdout.GetString()!;
        return paths.Single(p => line.Contains($"'{p}'", StringComparison.Ordinal));
    }

    [GeneratedRegex(": (.*?)\\.?$")]
    private static partial Regex FactQuote();

    /// <summary>A mutable holder an <c>out</c> parameter can hand to a lambda.</summary>
    private sealed class StrongBox<T>
    {
        public T? Value { get; set; }
    }
}
