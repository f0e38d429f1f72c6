using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Tests.Plugins;

namespace Cln.ProtocolExtensions.Testing.Tests;

public class StartupTests
{
    [Fact]
    public async Task Getmanifest_and_init_are_lightningds_bytes()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = new RawJsonPlugin
        {
            Manifest = """{"options":[{"name":"greeting","type":"string","default":"hi","description":"d"},{"name":"count","type":"int","default":3,"description":"d"},{"name":"loud","type":"bool","default":"false","description":"d"},{"name":"quiet","type":"flag","description":"d"},{"name":"peer","type":"string","multi":true,"description":"d"}],"rpcmethods":[],"nonnumericids":true}""",
        };

        var simulated = await node.StartPluginAsync("raw", plugin.RunAsync);

        Assert.Equal(PluginState.Running, simulated.State);
        var writes = simulated.Transcript.Where(r => r.Direction == TranscriptDirection.In).Select(r => r.Text).ToArray();
        Assert.Equal(
            """{"jsonrpc":"2.0","id":"cln:getmanifest#0","method":"getmanifest","params":{"allow-deprecated-apis":true}}""" + "\n\n",
            writes[0]);
        Assert.Equal(
            "{\"jsonrpc\":\"2.0\",\"id\":\"cln:init#1\",\"method\":\"init\",\"params\":{\"options\":{\"greeting\":\"hi\",\"count\":3,\"loud\":false,\"peer\":[]},"
            + $"\"configuration\":{{\"lightning-dir\":\"{node.LightningDir}\",\"rpc-file\":\"lightning-rpc\",\"startup\":true,\"network\":\"regtest\","
            + "\"feature_set\":{\"init\":\"800898880a8a59a1\",\"node\":\"808898880a8a59a1\",\"channel\":\"\",\"invoice\":\"02000002024100\",\"bolt12_offer\":\"\",\"bolt12_invreq\":\"\",\"bolt12_invoice\":\"020000\",\"channel_type\":\"08800000800000\"}}}}\n\n",
            writes[1]);
        Assert.Equal(Path.Combine(node.LightningDir, "lightning-rpc"), node.RpcPath);
        Assert.True(File.Exists(node.RpcPath));
    }

    [Fact]
    public async Task Option_values_are_typed_as_lightningd_types_them()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = new RawJsonPlugin
        {
            Manifest = """{"options":[{"name":"count","type":"int","description":"d"},{"name":"loud","type":"bool","description":"d"},{"name":"quiet","type":"flag","description":"d"},{"name":"peer","type":"string","multi":true,"description":"d"}],"rpcmethods":[]}""",
        };

        var simulated = await node.StartPluginAsync("raw", plugin.RunAsync, new PluginStartOptions
        {
            Options = { ["count"] = 42, ["loud"] = "true", ["quiet"] = true, ["peer"] = new[] { "a", "b" } },
        });

        string init = simulated.Transcript[2].Text;
        Assert.Contains("\"options\":{\"count\":42,\"loud\":true,\"quiet\":true,\"peer\":[\"a\",\"b\"]}", init);
    }

    [Fact]
    public async Task Ids_use_one_counter_per_node_across_plugins_and_methods()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var first = await node.StartPluginAsync("one", new RawJsonPlugin().RunAsync);
        var second = await node.StartPluginAsync("two", new RawJsonPlugin().RunAsync);

        Assert.StartsWith("""{"jsonrpc":"2.0","id":"cln:getmanifest#2",""", second.Transcript[0].Text);
        Assert.StartsWith("""{"jsonrpc":"2.0","id":"cln:init#3",""", second.Transcript.First(r => r.Text.Contains("\"init\"") && r.Direction == TranscriptDirection.In).Text);
        Assert.StartsWith("""{"jsonrpc":"2.0","id":"cln:getmanifest#0",""", first.Transcript[0].Text);
    }

    [Fact]
    public async Task Dynamic_start_nests_the_id_and_says_startup_false()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var simulated = await node.StartPluginAsync("raw", new RawJsonPlugin().RunAsync, new PluginStartOptions { Dynamic = true });

        Assert.Matches("^\\{\"jsonrpc\":\"2.0\",\"id\":\"cli:plugin#\\d+/cln:getmanifest#0\",", simulated.Transcript[0].Text);
        Assert.Contains("\"startup\":false", simulated.Transcript.Single(r => r.Direction == TranscriptDirection.In && r.Text.Contains("\"method\":\"init\"")).Text);
    }

    [Fact]
    public async Task A_non_dynamic_plugin_cannot_be_started_at_runtime()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = new RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[],"dynamic":false}""" };

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(
            () => node.StartPluginAsync("raw", plugin.RunAsync, new PluginStartOptions { Dynamic = true }));
        Assert.Equal("Not a dynamic plugin", e.LightningdMessage);
    }

    [Fact]
    public async Task A_plugin_can_disable_itself_in_the_manifest_or_at_init()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");

        var atManifest = await node.StartPluginAsync("m", new RawJsonPlugin { Manifest = """{"disable":"no bitcoind"}""" }.RunAsync);
        var atInit = await node.StartPluginAsync("i", new RawJsonPlugin
        {
            OnRequest = (method, id, _) => method == "init" ? RawJsonPlugin.Reply(id, """{"disable":"not today"}""") : null,
        }.RunAsync);

        Assert.Equal(PluginState.Disabled, atManifest.State);
        Assert.Equal("no bitcoind", atManifest.DisabledReason);
        Assert.Equal(PluginState.Disabled, atInit.State);
        Assert.Equal("not today", atInit.DisabledReason);
        await node.WaitForLogAsync("Killing plugin: disabled itself at init: not today");
        Assert.Empty(node.GetHookOrder("custommsg"));
    }

    [Fact]
    public async Task A_plugin_that_never_answers_getmanifest_times_out()
    {
        await using var ln = new LightningdSimulator(new LightningdSimulatorOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var node = ln.AddNode("bob");

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("mute",
            async (input, _, ct) => await Task.Delay(Timeout.Infinite, ct)));
        Assert.Equal("timed out before replying to getmanifest", e.LightningdMessage);
    }

    [Fact]
    public async Task A_plugin_that_exits_before_init_fails_the_start_with_its_exception()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => node.StartPluginAsync("crash",
            (_, _, _) => Task.FromException(new InvalidOperationException("boom"))));
        Assert.Equal("exited before replying to getmanifest", e.LightningdMessage);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public async Task A_child_process_runs_in_the_network_dir_with_lightningds_environment()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Plugins", "raw-plugin.sh");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);
        await using var ln = new LightningdSimulator(new LightningdSimulatorOptions { Developer = true });
        var node = ln.AddNode("carol");

        var plugin = await node.StartPluginProcessAsync(script);

        Assert.Equal("raw-plugin.sh", plugin.Name);
        Assert.Equal("shhello", Assert.Single(plugin.Manifest!.RpcMethods).Name);
        var line = await plugin.WaitForLogAsync("cwd=");
        Assert.Equal($"cwd={node.LightningDir} plugin=1 version=v26.06.6 args=--developer", line.Message);
        Assert.EndsWith("/carol/regtest", node.LightningDir);

        var result = await node.Rpc.CallAsync("shhello");
        Assert.Equal("from sh", result.GetProperty("hello").GetString());

        await plugin.StopAsync();
        Assert.Equal(PluginState.Stopped, plugin.State);
        Assert.Contains("started on stderr", plugin.StandardError);
        await plugin.Exited.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
