using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cln.ProtocolExtensions.Tests.Plugin;

public class FeatureTests
{
    private const string PeerA = ProtocolTests.PeerA;

    private static async Task<JsonElement> ManifestOfAsync(Action<ClnPluginBuilder> configure)
    {
        await using var h = new PluginHarness(configure);
        await h.SendAsync(PluginHarness.Manifest());
        var m = (await h.ReadAsync()).GetProperty("result");
        Assert.Empty(ManifestRules.Check(m));
        return m;
    }

    private static async Task<JsonElement> CallAsync(PluginHarness h, string method, string @params, string id = "cli:x#1/cln:x#2")
    {
        await h.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"{method}\",\"params\":{@params}}}\n\n");
        var answer = await h.ReadAsync();
        Assert.Equal(id, answer.GetProperty("id").GetString());
        return answer;
    }

    [Fact]
    public async Task Options_of_every_type_appear_in_the_manifest_as_lightningd_expects()
    {
        var m = await ManifestOfAsync(b =>
        {
            b.AddStringOption("name-s", "a string", "x");
            b.AddStringOption("secret", "a secret", conceal: true);
            b.AddIntegerOption("count", "an int", -5, dynamic: true);
            b.AddBooleanOption("enabled", "a bool", true);
            b.AddFlagOption("verbose", "a flag");
            b.AddStringOption("peer", "many strings", multi: true);
            b.AddIntegerOption("port", "many ints", multi: true, dynamic: true);
        });

        var options = m.GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal("string", options["name-s"].GetProperty("type").GetString());
        Assert.Equal("x", options["name-s"].GetProperty("default").GetString());
        Assert.Equal("string-conceal", options["secret"].GetProperty("type").GetString());
        Assert.False(options["secret"].TryGetProperty("default", out _));
        Assert.Equal("int", options["count"].GetProperty("type").GetString());
        Assert.Equal(-5, options["count"].GetProperty("default").GetInt64());
        Assert.True(options["count"].GetProperty("dynamic").GetBoolean());
        Assert.Equal("bool", options["enabled"].GetProperty("type").GetString());
        Assert.True(options["enabled"].GetProperty("default").GetBoolean());
        Assert.Equal("flag", options["verbose"].GetProperty("type").GetString());
        Assert.True(options["peer"].GetProperty("multi").GetBoolean());
        Assert.True(options["port"].GetProperty("multi").GetBoolean());
        Assert.All(options.Values, o => Assert.False(string.IsNullOrEmpty(o.GetProperty("description").GetString())));
    }

    [Fact]
    public void Builder_refuses_what_lightningd_would_refuse()
    {
        var b = ClnPlugin.CreateBuilder([]);
        b.UseStreams(new MemoryStream(), new MemoryStream());
        Assert.Throws<ArgumentException>(() => b.AddStringOption("Bad Name", "x"));
        Assert.Throws<ArgumentException>(() => b.AddOption("flag1", PluginOptionType.Flag, "x", defaultValue: true));
        Assert.Throws<ArgumentException>(() => b.AddOption("b1", PluginOptionType.Boolean, "x", multi: true));
        Assert.Throws<ArgumentException>(() => b.AddOption("i1", PluginOptionType.Integer, "x", defaultValue: "seven"));
        Assert.Throws<ArgumentException>(() => b.AddOption("s1", PluginOptionType.String, " "));
        b.AddStringOption("dup", "x");
        Assert.Throws<ArgumentException>(() => b.AddStringOption("dup", "x"));
        Assert.Throws<ArgumentException>(() => b.AddHook("custommsg", (_, _) => ValueTask.FromResult<JsonNode>(new JsonObject())));
        Assert.Throws<ArgumentException>(() => b.AddHook("no_such_hook", (_, _) => ValueTask.FromResult<JsonNode>(new JsonObject())));
        Assert.Throws<ArgumentException>(() => b.AddMethod("getmanifest", (_, _) => ValueTask.FromResult<JsonNode?>(null)));
        Assert.Throws<ArgumentException>(() => b.AddNotificationTopic("connect"));
        b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask);
        Assert.Throws<InvalidOperationException>(() => b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask));

        b.AddFeatureBit(FeatureBitsKind.Node, 729);
        b.Dynamic = true;
        var ex = Assert.Throws<InvalidOperationException>(() => b.Build());
        Assert.Contains("non-dynamic", ex.Message);
    }

    [Fact]
    public async Task Feature_bits_are_big_endian_hex_per_place()
    {
        var m = await ManifestOfAsync(b =>
        {
            b.AddFeatureBit(FeatureBitsKind.Node, 729);
            b.AddFeatureBit(FeatureBitsKind.Init, 729);
            b.AddFeatureBit(FeatureBitsKind.Init, 0);
        });
        var node = m.GetProperty("featurebits").GetProperty("node").GetString()!;
        Assert.Equal(92 * 2, node.Length);
        Assert.Equal("02" + new string('0', 91 * 2), node);
        var init = m.GetProperty("featurebits").GetProperty("init").GetString()!;
        Assert.Equal("02" + new string('0', 90 * 2) + "01", init);
        Assert.Equal(["init", "node"], m.GetProperty("featurebits").EnumerateObject().Select(p => p.Name));
        Assert.False(m.GetProperty("dynamic").GetBoolean());
    }

    [Fact]
    public async Task Custom_message_types_are_listed_ascending_and_once()
    {
        var m = await ManifestOfAsync(b =>
        {
            b.HandleMessage<Byte8003>((_, _) => ValueTask.CompletedTask);
            b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask);
            b.AllowCustomMessageTypes(0x8102, 0x8000, 0x8101);
            b.HandleMessage<Even8000>((_, _) => ValueTask.CompletedTask);
            b.AllowCustomMessageTypes(0x8102, 0x0002);
        });

        var hook = Assert.Single(m.GetProperty("hooks").EnumerateArray());
        Assert.Equal([0x8000, 0x8001, 0x8003], hook.GetProperty("filters").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0x0002, 0x8000, 0x8102], m.GetProperty("custommessages").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("caf\u00e9")]
    [InlineData("Upper")]
    [InlineData("tab\tname")]
    public void Option_and_method_names_outside_lowercase_digits_dash_underscore_are_refused(string name)
    {
        var b = ClnPlugin.CreateBuilder([]);
        b.UseStreams(new MemoryStream(), new MemoryStream());
        Assert.Throws<ArgumentException>(() => b.AddStringOption(name, "x"));
        Assert.Throws<ArgumentException>(() => b.AddMethod(name, (_, _) => ValueTask.FromResult<JsonNode?>(null)));
        b.AddStringOption("ok_name-2", "x");
        b.AddMethod("ok_name-2", (_, _) => ValueTask.FromResult<JsonNode?>(null));
    }

    [Fact]
    public async Task Setconfig_changes_dynamic_options_and_reaches_IOptionsMonitor()
    {
        var changed = new ConcurrentQueue<string>();
        await using var h = new PluginHarness(b =>
        {
            b.AddIntegerOption("count", "an int", 1, dynamic: true);
            b.AddBooleanOption("enabled", "a bool", false, dynamic: true);
            b.AddFlagOption("verbose", "a flag", dynamic: true);
            b.AddStringOption("peer", "many", multi: true, dynamic: true);
            b.AddStringOption("fixed", "not dynamic", "a");
            b.Services.Configure<CountOptions>(b.Configuration.GetSection(ClnPluginContext.ConfigurationSection));
        });
        var context = h.Plugin.Services.GetRequiredService<ClnPluginContext>();
        context.OptionChanged += (_, e) => changed.Enqueue(e.Name);
        var monitor = h.Plugin.Services.GetRequiredService<IOptionsMonitor<CountOptions>>();
        await h.HandshakeAsync(options: "{\"count\":3}");
        Assert.Equal(3, monitor.CurrentValue.Count);

        Assert.True((await CallAsync(h, "setconfig", "{\"config\":\"count\",\"val\":\"12\"}")).TryGetProperty("result", out _));
        Assert.Equal(12, context.GetInt64("count"));
        Assert.Equal(12, monitor.CurrentValue.Count);

        Assert.True((await CallAsync(h, "setconfig", "{\"config\":\"enabled\",\"val\":\"true\"}")).TryGetProperty("result", out _));
        Assert.True(context.GetBoolean("enabled"));
        Assert.True((await CallAsync(h, "setconfig", "{\"config\":\"verbose\"}")).TryGetProperty("result", out _));
        Assert.True(context.GetBoolean("verbose"));
        Assert.True((await CallAsync(h, "setconfig", "{\"config\":\"peer\",\"val\":[\"x\",\"y\"]}")).TryGetProperty("result", out _));
        Assert.Equal(["x", "y"], context.GetStringList("peer"));

        Assert.Equal(-32602, (await CallAsync(h, "setconfig", "{\"config\":\"count\",\"val\":\"many\"}")).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32602, (await CallAsync(h, "setconfig", "{\"config\":\"fixed\",\"val\":\"b\"}")).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32602, (await CallAsync(h, "setconfig", "{\"config\":\"nosuch\",\"val\":\"b\"}")).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(12, context.GetInt64("count"));
        Assert.Equal("a", context.GetString("fixed"));
        Assert.Equal(["count", "enabled", "verbose", "peer"], changed);
    }

    public sealed class CountOptions
    {
        public long Count { get; set; }
    }

    [Fact]
    public async Task Rpc_methods_answer_results_and_errors()
    {
        await using var h = new PluginHarness(b =>
        {
            b.AddMethod("echo", (ctx, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["got"] = ctx.Params.GetProperty("text").GetString(), ["id"] = ctx.RequestId }), usage: "text", description: "Echoes");
            b.AddMethod("fail", (_, _) => throw new InvalidOperationException("kaput"), usage: "");
            b.AddMethod("refuse", (_, _) => throw new PluginMethodException(1234, "not today", new JsonObject { ["why"] = "tired" }));
            b.AddMethod("nothing", (_, _) => ValueTask.FromResult<JsonNode?>(null));
        });
        await h.SendAsync(PluginHarness.Manifest());
        var m = (await h.ReadAsync()).GetProperty("result");
        var echo = m.GetProperty("rpcmethods").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "echo");
        Assert.Equal("text", echo.GetProperty("usage").GetString());
        Assert.Equal("Echoes", echo.GetProperty("description").GetString());
        await h.SendAsync(PluginHarness.Init());
        await h.ReadAsync();

        var ok = await CallAsync(h, "echo", "{\"text\":\"hi\"}", "cli:echo#5/cln:echo#6");
        Assert.Equal("hi", ok.GetProperty("result").GetProperty("got").GetString());
        Assert.Equal("cli:echo#5/cln:echo#6", ok.GetProperty("result").GetProperty("id").GetString());
        var failed = await CallAsync(h, "fail", "{}");
        Assert.Equal(-32600, failed.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("kaput", failed.GetProperty("error").GetProperty("message").GetString());
        var refused = await CallAsync(h, "refuse", "[]");
        Assert.Equal(1234, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("tired", refused.GetProperty("error").GetProperty("data").GetProperty("why").GetString());
        Assert.Empty((await CallAsync(h, "nothing", "{}")).GetProperty("result").EnumerateObject());
    }

    [Fact]
    public async Task Hooks_register_with_ordering_and_filters_and_fall_back_when_the_handler_throws()
    {
        int calls = 0;
        await using var h = new PluginHarness(b =>
        {
            b.AddHook("peer_connected", (ctx, _) =>
                Interlocked.Increment(ref calls) == 1
                    ? ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "disconnect", ["error_message"] = ctx.Params.GetProperty("peer").GetProperty("id").GetString() })
                    : throw new InvalidOperationException("hook bug"),
                before: ["other"], after: ["first"]);
            b.AddHook("rpc_command", (_, _) => ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "continue" }), filters: ["pay", "xpay"]);
        });
        await h.SendAsync(PluginHarness.Manifest());
        var m = (await h.ReadAsync()).GetProperty("result");
        Assert.Empty(ManifestRules.Check(m));
        var hooks = m.GetProperty("hooks").EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!);
        Assert.Equal(["other"], hooks["peer_connected"].GetProperty("before").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["first"], hooks["peer_connected"].GetProperty("after").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["pay", "xpay"], hooks["rpc_command"].GetProperty("filters").EnumerateArray().Select(e => e.GetString()));
        await h.SendAsync(PluginHarness.Init());
        await h.ReadAsync();

        var first = await CallAsync(h, "peer_connected", $"{{\"peer\":{{\"id\":\"{PeerA}\"}}}}");
        Assert.Equal("disconnect", first.GetProperty("result").GetProperty("result").GetString());
        var second = await CallAsync(h, "peer_connected", $"{{\"peer\":{{\"id\":\"{PeerA}\"}}}}");
        Assert.False(second.TryGetProperty("error", out _));
        Assert.Equal("continue", second.GetProperty("result").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Typed_and_wildcard_subscriptions_receive_recorded_notifications()
    {
        var connects = new TaskCompletionSource<ConnectNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var warnings = new TaskCompletionSource<WarningNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var topics = new ConcurrentQueue<string>();
        await using var h = new PluginHarness(b =>
        {
            b.Subscribe<ConnectNotification>((n, _, _) =>
            {
                connects.TrySetResult(n);
                return ValueTask.CompletedTask;
            });
            b.Subscribe<WarningNotification>((n, _, _) =>
            {
                warnings.TrySetResult(n);
                return ValueTask.CompletedTask;
            });
            b.Subscribe("*", (ctx, _) =>
            {
                topics.Enqueue(ctx.Topic);
                return ValueTask.CompletedTask;
            });
        });
        await h.SendAsync(PluginHarness.Manifest());
        var subscriptions = (await h.ReadAsync()).GetProperty("result").GetProperty("subscriptions").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["connect", "warning", "*"], subscriptions);
        await h.SendAsync(PluginHarness.Init());
        await h.ReadAsync();

        foreach (var (_, raw) in Fixtures.Transcript("variant_subscribe_all_nodeB_py_custommsg_plugin.jsonl").Where(r => r.Dir == "in").Skip(2))
        {
            if (!raw.Contains("\"shutdown\"", StringComparison.Ordinal))
            {
                await h.SendAsync(raw);
            }
        }

        var connect = await connects.Task.WaitAsync(PluginHarness.Timeout);
        Assert.Equal("0331fbcc6fb3ab8901a171448f216625799b6ba21a829540fbdbe3d150cd5b260e", connect.PeerId.ToHex());
        Assert.Equal("in", connect.Direction.Value);
        Assert.Equal("JSON-RPC shutdown", (await warnings.Task.WaitAsync(PluginHarness.Timeout)).Log);
        await FaultTests.WaitForAsync(() => topics.Contains("disconnect") && topics.Contains("plugin_started") && topics.Contains("custommsg"));
    }

    [Fact]
    public async Task Custom_notifications_are_emitted_in_both_shapes_and_received_from_either()
    {
        var received = new ConcurrentQueue<(string? Origin, int X)>();
        await using var h = new PluginHarness(b =>
        {
            b.AddNotificationTopic("my-event");
            b.Subscribe("other-event", (ctx, _) =>
            {
                received.Enqueue((ctx.Origin, ctx.Payload.GetProperty("x").GetInt32()));
                return ValueTask.CompletedTask;
            });
        });
        await h.SendAsync(PluginHarness.Manifest());
        var m = (await h.ReadAsync()).GetProperty("result");
        Assert.Equal("my-event", Assert.Single(m.GetProperty("notifications").EnumerateArray()).GetProperty("method").GetString());
        await h.SendAsync(PluginHarness.Init());
        await h.ReadAsync();

        var notifier = h.Plugin.Services.GetRequiredService<IPluginNotifier>();
        notifier.Notify("my-event", new JsonObject { ["x"] = 1 });
        Assert.Throws<InvalidOperationException>(() => notifier.Notify("undeclared", new JsonObject()));
        var sent = await h.ReadAsync();
        Assert.Equal("my-event", sent.GetProperty("method").GetString());
        Assert.False(sent.TryGetProperty("id", out _));
        Assert.Equal(1, sent.GetProperty("params").GetProperty("x").GetInt32());
        Assert.Equal(1, sent.GetProperty("params").GetProperty("my-event").GetProperty("x").GetInt32());

        // v25.09+: origin at the top, params as sent; before: params {origin, payload}.
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"other-event\",\"origin\":\"otherplugin\",\"params\":{\"x\":2,\"other-event\":{\"x\":2}}}\n\n");
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"other-event\",\"params\":{\"origin\":\"oldplugin\",\"payload\":{\"x\":3}}}\n\n");
        await FaultTests.WaitForAsync(() => received.Count == 2);
        Assert.Contains(("otherplugin", 2), received);
        Assert.Contains(("oldplugin", 3), received);
    }

    [Fact]
    public async Task Cancheck_is_declared_and_check_is_answered()
    {
        await using var h = new PluginHarness(b =>
        {
            b.CanCheck = true;
            b.AddMethod("mycmd", (_, _) => ValueTask.FromResult<JsonNode?>(null));
            b.AddStringOption("opt", "x", dynamic: true);
        });
        await h.SendAsync(PluginHarness.Manifest());
        Assert.True((await h.ReadAsync()).GetProperty("result").GetProperty("cancheck").GetBoolean());
        await h.SendAsync(PluginHarness.Init());
        await h.ReadAsync();

        Assert.Equal("mycmd", (await CallAsync(h, "check", "{\"command_to_check\":\"mycmd\"}")).GetProperty("result").GetProperty("command_to_check").GetString());
        Assert.True((await CallAsync(h, "check", "{\"command_to_check\":\"setconfig\",\"config\":\"opt\",\"val\":\"v\"}")).TryGetProperty("result", out _));
        Assert.True((await CallAsync(h, "check", "{\"command_to_check\":\"setconfig\",\"config\":\"nosuch\"}")).TryGetProperty("error", out _));
        Assert.True((await CallAsync(h, "check", "{\"command_to_check\":\"other\"}")).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Init_callback_can_disable_the_plugin()
    {
        await using var h = new PluginHarness(b => b.OnInit((ctx, _) =>
        {
            if (ctx.Configuration.Network == "regtest")
            {
                ctx.Disable("regtest is not supported");
            }

            return ValueTask.CompletedTask;
        }));
        await h.SendAsync(PluginHarness.Manifest());
        await h.ReadAsync();
        await h.SendAsync(PluginHarness.Init());
        var init = await h.ReadAsync();
        Assert.Equal("regtest is not supported", init.GetProperty("result").GetProperty("disable").GetString());
        await h.CloseInputAsync();
        await h.AssertExitsAsync();
    }

    [Fact]
    public async Task Init_callback_that_throws_disables_instead_of_failing_init()
    {
        await using var h = new PluginHarness(b => b.OnInit((_, _) => throw new InvalidOperationException("no database")));
        await h.SendAsync(PluginHarness.Manifest());
        await h.ReadAsync();
        await h.SendAsync(PluginHarness.Init());
        var init = await h.ReadAsync();
        Assert.Contains("no database", init.GetProperty("result").GetProperty("disable").GetString());
    }

    [Fact]
    public async Task DI_handler_class_is_resolved_per_message_in_its_own_scope()
    {
        await using var h = new PluginHarness(b =>
        {
            b.Services.AddSingleton<ConcurrentQueue<(string, int)>>();
            b.Services.AddScoped<ScopedThing>();
            b.HandleMessage<Blob8001, BlobHandler>();
        });
        await h.HandshakeAsync();
        await h.SendAsync(PluginHarness.Hook("cln:custommsg#1", PeerA, "800101"));
        await h.SendAsync(PluginHarness.Hook("cln:custommsg#2", PeerA, "800102"));
        await h.ReadAsync();
        await h.ReadAsync();
        var seen = h.Plugin.Services.GetRequiredService<ConcurrentQueue<(string, int)>>();
        await FaultTests.WaitForAsync(() => seen.Count == 2);
        Assert.Equal(2, seen.Select(s => s.Item2).Distinct().Count());
    }

    public sealed class ScopedThing
    {
        private static int s_next;

        public int Id { get; } = Interlocked.Increment(ref s_next);
    }

    public sealed class BlobHandler(ScopedThing thing, ConcurrentQueue<(string, int)> seen) : ICustomMessageHandler<Blob8001>
    {
        public ValueTask HandleAsync(CustomMessageContext<Blob8001> context, CancellationToken cancellationToken)
        {
            seen.Enqueue((context.PeerId.ToHex(), thing.Id));
            return ValueTask.CompletedTask;
        }
    }
}
