using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing.Tests;

[CustomMessage(0x8001)]
public partial record Ping(ulong Nonce);

[CustomMessage(0x8003)]
public partial record Pong(ulong Nonce);

[CustomMessage(0x8000, AllowEven = true)]
public partial record EvenHello(uint Value);

/// <summary>Real SDK plugins (ClnPluginBuilder, generated messages) running on the simulator.</summary>
public class SdkPluginTests
{
    private static void PingPong(ClnPluginBuilder builder)
    {
        builder.HandleMessage<Ping>(async (ctx, ct) =>
        {
            ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger("pingpong").LogInformation("ping {Nonce} from {Peer}", ctx.Message.Nonce, ctx.PeerId);
            await ctx.ReplyAsync(new Pong(ctx.Message.Nonce), ct);
        });
        builder.HandleMessage<Pong>((ctx, _) =>
        {
            ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger("pingpong").LogInformation("pong {Nonce} from {Peer}", ctx.Message.Nonce, ctx.PeerId);
            return ValueTask.CompletedTask;
        });
        builder.AddMethod("sendping", async (ctx, ct) =>
        {
            var peer = new PubKey(ctx.Params.GetProperty("peer").GetString()!);
            ulong nonce = ctx.Params.GetProperty("nonce").GetUInt64();
            await ctx.Services.GetRequiredService<ICustomMessageSender>().SendAsync(peer, new Ping(nonce), ct);
            return new JsonObject { ["sent"] = nonce };
        }, usage: "peer nonce");
    }

    [Fact]
    public async Task A_ping_from_one_sdk_plugin_gets_a_pong_from_the_other_through_two_nodes()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var alicePlugin = await alice.StartPluginAsync("pingpong", PingPong);
        var bobPlugin = await bob.StartPluginAsync("pingpong", PingPong);
        await ln.ConnectAsync(alice, bob);

        // The test calls alice's plugin method; the plugin sends with its own lightning-rpc client.
        var result = await alice.Rpc.CallAsync("sendping", new JsonObject { ["peer"] = bob.IdHex, ["nonce"] = 42 });
        Assert.Equal(42, result.GetProperty("sent").GetInt32());

        await bobPlugin.WaitForLogAsync($"ping 42 from {alice.IdHex}");
        await alicePlugin.WaitForLogAsync($"pong 42 from {bob.IdHex}");
        var ping = await bob.WaitForCustomMessageAsync(0x8001);
        Assert.Equal(Convert.ToHexStringLower(Wire.WireMessage.ToArray(new Ping(42))), ping.Hex);
        Assert.Equal(["pingpong"], ping.HookCalls);
        Assert.Empty(ln.Violations);
    }

    [Fact]
    public async Task The_sdk_manifest_is_accepted_with_filters_and_even_types()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");

        var plugin = await bob.StartPluginAsync("even", b => b.HandleMessage<EvenHello>((_, _) => ValueTask.CompletedTask));

        var manifest = plugin.Manifest!;
        Assert.Equal([(ushort)0x8000], manifest.CustomMessages);
        var hook = Assert.Single(manifest.Hooks, h => h.Name == "custommsg");
        Assert.Equal([0x8000UL], hook.IntFilters!);
        Assert.NotEqual(false, manifest.NonNumericIds);
        Assert.Contains((ushort)0x8000, bob.AllowedEvenTypes);
    }

    [Fact]
    public async Task An_even_message_an_sdk_plugin_declared_is_delivered_and_one_it_did_not_declare_disconnects()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var received = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.StartPluginAsync("even", b => b.HandleMessage<EvenHello>((ctx, _) =>
        {
            received.TrySetResult(ctx.Message.Value);
            return ValueTask.CompletedTask;
        }));
        await ln.ConnectAsync(alice, bob);

        await alice.Rpc.SendCustomMessageAsync(bob.Id, new EvenHello(7));
        Assert.Equal(7u, await received.Task.WaitAsync(TimeSpan.FromSeconds(60)));

        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8002"));
        await bob.WaitForLogAsync("Invalid unknown even msg 8002");
        await CustomMessageTests.WaitUntil(() => alice.Peers.Count == 0);
    }

    [Fact]
    public async Task Sdk_plugin_log_lines_and_shutdown_are_clean()
    {
        var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("quiet", b => b.OnInit((init, _) =>
        {
            init.Services.GetRequiredService<ILoggerFactory>().CreateLogger("quiet").LogWarning("started on {Network}", init.Configuration.Network);
            return ValueTask.CompletedTask;
        }));

        var line = await plugin.WaitForLogAsync("started on regtest");
        Assert.Equal(NodeLogLevel.Unusual, line.Level);
        await ln.DisposeAsync(); // throws if the plugin broke the protocol or did not exit on EOF
        Assert.Equal(PluginState.Stopped, plugin.State);
        await plugin.Exited.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task The_sdk_test_plugin_runs_as_a_child_process_and_echoes_between_nodes()
    {
        string apphost = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "TestPlugin", "bin",
#if DEBUG
            "Debug",
#else
            "Release",
#endif
            "net10.0", "TestPlugin"));
        Assert.True(File.Exists(apphost), $"TestPlugin was not built at {apphost}");
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var echo = await bob.StartPluginProcessAsync(apphost, new PluginStartOptions { Options = { ["testplugin-greeting"] = "hello" } });
        await alice.StartPluginAsync("listener", new Plugins.RawJsonPlugin().RunAsync);
        await ln.ConnectAsync(alice, bob);

        Assert.Equal("hello", (await bob.Rpc.CallAsync("testplugin-ping")).GetProperty("answer").GetString());
        await echo.WaitForLogAsync("initialised on regtest");
        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8001cafe"));

        var back = await alice.WaitForCustomMessageAsync(0x8003);
        Assert.Equal("8003cafe", back.Hex);
        await echo.WaitForLogAsync("echoing 2 bytes to");
    }

    [Fact]
    public async Task Typed_subscriptions_get_the_simulators_connect_and_disconnect()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var connected = new TaskCompletionSource<ConnectNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<DisconnectNotification>(TaskCreationOptions.RunContinuationsAsynchronously);
        await bob.StartPluginAsync("watcher", b =>
        {
            b.Subscribe<ConnectNotification>((n, _, _) => { connected.TrySetResult(n); return ValueTask.CompletedTask; });
            b.Subscribe<DisconnectNotification>((n, _, _) => { disconnected.TrySetResult(n); return ValueTask.CompletedTask; });
        });

        await ln.ConnectAsync(alice, bob);
        await ln.DisconnectAsync(alice, bob);

        var c = await connected.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(alice.Id, c.PeerId);
        Assert.Equal("in", c.Direction.Value);
        Assert.Equal(alice.Id, (await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(60))).PeerId);
    }

    [Fact]
    public async Task A_throwing_handler_is_logged_and_the_peer_keeps_being_served_without_a_violation()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var handled = new List<ulong>();
        var plugin = await bob.StartPluginAsync("fragile", b => b.HandleMessage<Ping>((ctx, _) =>
        {
            if (ctx.Message.Nonce == 1)
                throw new InvalidOperationException("bad nonce");
            lock (handled) handled.Add(ctx.Message.Nonce);
            return ValueTask.CompletedTask;
        }));
        await ln.ConnectAsync(alice, bob);

        await alice.Rpc.SendCustomMessageAsync(bob.Id, new Ping(1));
        await alice.Rpc.SendCustomMessageAsync(bob.Id, new Ping(2));

        await bob.WaitForCustomMessageAsync(m => m.Hex == Convert.ToHexStringLower(Wire.WireMessage.ToArray(new Ping(2))));
        await plugin.WaitForLogAsync("bad nonce");
        await CustomMessageTests.WaitUntil(() => { lock (handled) return handled.Contains(2UL); });
        Assert.Equal(PluginState.Running, plugin.State);
        Assert.Empty(ln.Violations);
    }

    [Fact]
    public async Task Option_values_given_to_the_simulator_reach_the_plugin()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var seen = new TaskCompletionSource<(string?, long?, bool?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.StartPluginAsync("configured", b =>
        {
            b.AddStringOption("configured-name", "a name", "none");
            b.AddIntegerOption("configured-count", "a count", 1);
            b.AddBooleanOption("configured-loud", "loud", false);
            b.OnInit((init, _) =>
            {
                var ctx = init.Services.GetRequiredService<ClnPluginContext>();
                seen.TrySetResult((ctx.GetString("configured-name"), ctx.GetInt64("configured-count"), ctx.GetBoolean("configured-loud")));
                return ValueTask.CompletedTask;
            });
        }, new PluginStartOptions { Options = { ["configured-name"] = "carol", ["configured-count"] = 7, ["configured-loud"] = true } });

        Assert.Equal(("carol", 7L, true), await seen.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_custom_notification_from_one_sdk_plugin_reaches_another_with_its_origin()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var received = new TaskCompletionSource<(string?, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.StartPluginAsync("listener", b => b.Subscribe("pingpong-event", (ctx, _) =>
        {
            received.TrySetResult((ctx.Origin, ctx.Payload.GetProperty("x").GetInt32()));
            return ValueTask.CompletedTask;
        }));
        var emitter = await node.StartPluginAsync("emitter", b =>
        {
            b.AddNotificationTopic("pingpong-event");
            b.AddMethod("emit", (ctx, _) =>
            {
                ctx.Services.GetRequiredService<IPluginNotifier>().Notify("pingpong-event", new JsonObject { ["x"] = 5 });
                return ValueTask.FromResult<JsonNode?>(new JsonObject());
            });
        });
        Assert.Equal(["pingpong-event"], emitter.Manifest!.Notifications);

        await node.Rpc.CallAsync("emit");

        Assert.Equal(("emitter", 5), await received.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Empty(ln.Violations);
    }

    [Fact]
    public async Task An_sdk_peer_connected_hook_can_turn_a_peer_away()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await bob.StartPluginAsync("bouncer", b => b.AddHook("peer_connected", (ctx, _) =>
            ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "disconnect", ["error_message"] = "not on the list" })));

        await ln.ConnectAsync(alice, bob);

        await bob.WaitForLogAsync("not on the list");
        await CustomMessageTests.WaitUntil(() => alice.Peers.Count == 0 && bob.Peers.Count == 0);
    }

    [Fact]
    public async Task Setconfig_on_the_node_changes_an_sdk_plugins_dynamic_option()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("bob");
        var plugin = await node.StartPluginAsync("tunable", b =>
        {
            b.AddIntegerOption("tunable-count", "a count", 1, dynamic: true);
            b.AddStringOption("tunable-fixed", "not dynamic", "a");
            b.AddMethod("tunable-show", (ctx, _) => ValueTask.FromResult<JsonNode?>(
                new JsonObject { ["count"] = ctx.Services.GetRequiredService<ClnPluginContext>().GetInt64("tunable-count") }));
        });

        var result = await node.Rpc.CallAsync("setconfig", new JsonObject { ["config"] = "tunable-count", ["val"] = "12" });

        var config = result.GetProperty("config");
        Assert.Equal("tunable-count", config.GetProperty("config").GetString());
        Assert.Equal(12, config.GetProperty("value_int").GetInt32());
        Assert.True(config.GetProperty("dynamic").GetBoolean());
        Assert.Equal(12, (await node.Rpc.CallAsync("tunable-show")).GetProperty("count").GetInt32());
        Assert.Contains(plugin.Transcript, t => t.Direction == TranscriptDirection.In
            && t.Text.Contains("\"method\":\"setconfig\",\"params\":{\"config\":\"tunable-count\",\"val\":\"12\"}", StringComparison.Ordinal));

        var notDynamic = await Assert.ThrowsAsync<ClnRpcException>(() => node.Rpc.CallAsync("setconfig", new JsonObject { ["config"] = "tunable-fixed", ["val"] = "b" }));
        Assert.Equal(-32602, notDynamic.Code);
        Assert.Contains("Not a dynamic config option", notDynamic.ClnMessage);
        var refused = await Assert.ThrowsAsync<ClnRpcException>(() => node.Rpc.CallAsync("setconfig", new JsonObject { ["config"] = "tunable-count", ["val"] = "many" }));
        Assert.Equal(-32602, refused.Code); // the plugin's own refusal, relayed
        Assert.Equal(12, (await node.Rpc.CallAsync("tunable-show")).GetProperty("count").GetInt32());
    }
}
