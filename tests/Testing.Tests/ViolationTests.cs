using Cln.ProtocolExtensions.Testing.Tests.Plugins;

namespace Cln.ProtocolExtensions.Testing.Tests;

public class ViolationTests
{
    // Bad manifests, with lightningd's words for each: RecordedManifestTests replays every row recorded
    // from lightningd v26.06.6 (tests/Fixtures/cln-v26.06.6/manifest_violations.jsonl).

    [Fact]
    public async Task A_good_manifest_is_accepted_and_read()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");

        var plugin = await node.StartPluginAsync("good", new RawJsonPlugin
        {
            Manifest = """{"options":[{"name":"x","type":"int","default":5,"description":"d","dynamic":true}],"rpcmethods":[{"name":"hello","usage":"[name]","description":"hi"}],"subscriptions":["*"],"hooks":[{"name":"custommsg","filters":[32769]}],"featurebits":{"init":"100000"},"custommessages":[32768],"notifications":[{"method":"pingpong"}],"nonnumericids":true}""",
        }.RunAsync);

        var m = plugin.Manifest!;
        Assert.Equal(new PluginOptionInfo("x", "int", "5", "d", false, true), Assert.Single(m.Options));
        Assert.Equal(new PluginRpcMethodInfo("hello", "[name]", "hi"), Assert.Single(m.RpcMethods));
        Assert.Equal(["*"], m.Subscriptions);
        Assert.Equal([32769UL], Assert.Single(m.Hooks).IntFilters!);
        Assert.Equal([(ushort)32768], m.CustomMessages);
        Assert.Equal(["pingpong"], m.Notifications);
        Assert.Equal("100000", m.FeatureBits["init"]);
        Assert.True(m.NonNumericIds);
        Assert.False(m.Dynamic);
    }

    [Fact]
    public async Task Feature_bits_are_added_to_the_node_and_a_bit_already_offered_is_refused()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        // Bits 20/21 of "node" are free in the recorded set 808898880a8a59a1 (its 0x8a byte holds 17, 19, 23).
        var first = new RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[],"featurebits":{"node":"100000"}}""" };
        await node.StartPluginAsync("first", first.RunAsync);
        Assert.Equal("808898880a9a59a1", Convert.ToHexStringLower((await node.Rpc.GetInfoAsync()).OurFeatures!.Node));

        // Bit 21 is bit 20's pair, and bit 8 is offered by lightningd itself: both refused (feature_set_or).
        foreach (var bits in new[] { "200000", "0100" })
        {
            var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("second",
                new RawJsonPlugin { Manifest = "{\"options\":[],\"rpcmethods\":[],\"featurebits\":{\"node\":\"" + bits + "\"}}" }.RunAsync));
            Assert.Equal("Custom featurebits already present", e.LightningdMessage);
        }

        var third = await node.StartPluginAsync("third", new RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[]}""" }.RunAsync);
        Assert.Contains("\"node\":\"808898880a9a59a1\"", third.Transcript.Single(t => t.Text.Contains("\"method\":\"init\"", StringComparison.Ordinal)).Text);
    }

    [Fact]
    public async Task Non_json_on_stdout_kills_the_plugin()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("chatty", new RawJsonPlugin { AfterInit = "Hello from Console.WriteLine\n" }.RunAsync);

        var e = await plugin.WaitForViolationAsync();
        Assert.Equal("Failed to parse RPC JSON response 'Hello from Console.WriteLine\n'", e.LightningdMessage);
        Assert.Equal(PluginState.Stopped, plugin.State);
    }

    [Fact]
    public async Task Non_json_before_the_manifest_fails_the_start()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("chatty", new RawJsonPlugin
        {
            OnRequest = (method, id, _) => method == "getmanifest" ? "Starting up...\n" : null,
        }.RunAsync));
        Assert.Equal("Failed to parse RPC JSON response 'Starting up...\n'", e.LightningdMessage);
    }

    [Fact]
    public async Task A_message_without_jsonrpc_kills_the_plugin()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("sloppy", new RawJsonPlugin
        {
            AfterInit = """{"method":"log","params":{"message":"hi"}}""",
        }.RunAsync);

        var e = await plugin.WaitForViolationAsync();
        Assert.Equal("JSON-RPC message does not contain \"jsonrpc\" field: '{\"method\":\"log\",\"params\":{\"message\":\"hi\"}}'", e.LightningdMessage);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"log","params":{"level":"verbose","message":"hi"}}""", "Unknown log-level \"verbose\", valid values are \"trace\", \"debug\", \"info\", \"warn\", or \"error\".")]
    [InlineData("""{"jsonrpc":"2.0","method":"log","params":{"level":"io","message":"hi"}}""", "Unknown log-level \"io\", valid values are \"trace\", \"debug\", \"info\", \"warn\", or \"error\".")]
    [InlineData("""{"jsonrpc":"2.0","method":"log","params":{"level":"info","message":42}}""", "Log notification from plugin doesn't have a string \"message\" field")]
    [InlineData("""{"jsonrpc":"2.0","method":"log"}""", "Malformed JSON-RPC notification missing \"method\" or \"params\": {\"jsonrpc\":\"2.0\",\"method\":\"log\"}")]
    [InlineData("""{"jsonrpc":"2.0","method":"progress","params":{"num":1}}""", "JSON-RPC notify \"id\"-field is not present")]
    public async Task A_bad_notification_kills_the_plugin(string notification, string expected)
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("noisy", new RawJsonPlugin { AfterInit = notification + "\n\n" }.RunAsync);

        var e = await plugin.WaitForViolationAsync();
        Assert.Equal(expected, e.LightningdMessage);
        Assert.Equal(PluginState.Stopped, plugin.State);
    }

    [Fact]
    public async Task Log_levels_are_parsed_like_lightningd_and_escaped_newlines_split_lines()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("logger", new RawJsonPlugin
        {
            AfterInit = RawJsonPlugin.Log("WARN", "careful") + RawJsonPlugin.Log("error", "broken")
                + """{"jsonrpc":"2.0","method":"log","params":{"message":"no level"}}""" + "\n\n"
                + RawJsonPlugin.Log("debug", "line one\nline two"),
        }.RunAsync);

        await plugin.WaitForLogAsync("line two");
        Assert.Equal(
            ["UNUSUAL plugin-logger: careful", "**BROKEN** plugin-logger: broken", "INFO    plugin-logger: no level", "DEBUG   plugin-logger: line one", "DEBUG   plugin-logger: line two"],
            plugin.Log.Select(l => l.ToString()));
    }

    [Fact]
    public async Task An_undeclared_custom_notification_is_dropped_with_an_unusual_line_and_a_declared_one_is_forwarded()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var listener = new RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[],"subscriptions":["pingpong","other"]}""" };
        await node.StartPluginAsync("listener", listener.RunAsync);
        await node.StartPluginAsync("emitter", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"notifications":[{"method":"pingpong"}]}""",
            AfterInit = """{"jsonrpc":"2.0","method":"other","params":{"a":1}}""" + "\n\n" + """{"jsonrpc":"2.0","method":"pingpong","params":{"n":2}}""" + "\n\n",
        }.RunAsync);

        await node.WaitForLogAsync("Plugin attempted to send a notification to topic \"other\" it hasn't declared in its manifest, not forwarding to subscribers.");
        await CustomMessageTests.WaitUntil(() => listener.ReceivedNotifications.Contains("pingpong {\"n\":2}"));
        Assert.DoesNotContain(listener.ReceivedNotifications, n => n.StartsWith("other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unobserved_violation_fails_the_test_on_dispose()
    {
        var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        await node.StartPluginAsync("chatty", new RawJsonPlugin { AfterInit = "oops" + "\n" }.RunAsync);
        await node.WaitForLogAsync("Killing plugin");

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(async () => await ln.DisposeAsync());
        Assert.Equal("chatty", e.PluginName);
        Assert.False(Directory.Exists(ln.RootDirectory));
    }

    [Fact]
    public async Task A_plugin_that_exits_while_running_is_a_violation_with_its_exception()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("fragile", new RawJsonPlugin
        {
            OnRequest = (method, _, _) => method == "custommsg" ? throw new InvalidOperationException("handler crashed") : null,
        }.RunAsync);

        await node.ReceiveCustomMessageAsync(ln.AddNode("peer").Id, new byte[] { 0x80, 0x01 });

        var e = await plugin.WaitForViolationAsync();
        Assert.Equal("exited during normal operation", e.LightningdMessage);
        Assert.Equal(ViolationConsequence.PluginExited, e.Consequence);
        Assert.Equal("handler crashed", e.InnerException?.Message);
        // lightningd skips a plugin that died during a hook call and finishes the chain.
        Assert.Equal(["fragile"], (await node.WaitForCustomMessageAsync()).HookCalls);
    }

    [Fact]
    public async Task A_plugin_that_ignores_end_of_stdin_is_killed_on_shutdown()
    {
        var ln = new LightningdSimulator(new LightningdSimulatorOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var node = ln.AddNode("bob");
        var raw = new RawJsonPlugin();
        await node.StartPluginAsync("stubborn", async (input, output, ct) =>
        {
            try { await raw.RunAsync(input, output, ct); } catch (OperationCanceledException) { }
            await Task.Delay(Timeout.Infinite, ct);
        }, new PluginStartOptions { Timeout = TimeSpan.FromSeconds(60) }); // a slow CI machine must not fail the start

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(async () => await ln.DisposeAsync());
        Assert.Equal("failed to self-terminate in time, killing.", e.LightningdMessage);
    }
}

public class HungPluginTests
{
    [Fact]
    public async Task A_plugin_that_stops_reading_stdin_is_reported_instead_of_hanging_the_test()
    {
        var ln = new LightningdSimulator(new LightningdSimulatorOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        var node = ln.AddNode("bob");
        var raw = new Plugins.RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[],"subscriptions":["custommsg"]}""" };
        var plugin = await node.StartPluginAsync("deaf", async (input, output, ct) =>
        {
            // Answers startup, then never reads again.
            var buffer = new byte[1];
            var text = new System.Text.StringBuilder();
            int seen = 0;
            while (seen < 2)
            {
                if (await input.ReadAsync(buffer, ct) == 0) return;
                text.Append((char)buffer[0]);
                if (text.ToString().EndsWith("\n\n", StringComparison.Ordinal))
                {
                    string id = System.Text.Json.JsonDocument.Parse(text.ToString()).RootElement.GetProperty("id").GetString()!;
                    string reply = seen == 0 ? Plugins.RawJsonPlugin.Reply(id, raw.Manifest) : Plugins.RawJsonPlugin.Reply(id, "{}");
                    await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(reply), ct);
                    await output.FlushAsync(ct);
                    text.Clear();
                    seen++;
                }
            }
            await Task.Delay(Timeout.Infinite, ct);
        }, new PluginStartOptions { Timeout = TimeSpan.FromSeconds(60) }); // a slow CI machine must not fail the start

        var peer = ln.AddNode("peer").Id;
        var big = new byte[60000];
        big[0] = 0x80;
        big[1] = 0x01;
        for (int i = 0; i < 200; i++)
            await node.ReceiveCustomMessageAsync(peer, big);

        var e = await plugin.WaitForViolationAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("stopped reading its stdin", e.LightningdMessage);
        await ln.DisposeAsync();
    }
}
