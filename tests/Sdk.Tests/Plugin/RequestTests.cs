using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Tests.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>Method, hook and check calls: ids of nested calls, message/progress, check callbacks, framing.</summary>
public class RequestTests
{
    private const string PeerA = ProtocolTests.PeerA;

    private static Task<JsonElement> CallAsync(PluginHarness h, string method, string @params, string id) => h.CallAsync(id, method, @params);

    [Fact]
    public async Task Rpc_calls_made_inside_a_method_or_hook_are_prefixed_with_the_callers_id()
    {
        await using var rpc = new FakeLightningRpc();
        await using var h = new PluginHarness(b =>
        {
            b.AddMethod("nested", async (ctx, ct) =>
            {
                var client = ctx.Services.GetRequiredService<ILightningClient>();
                await client.CallAsync("getinfo", cancellationToken: ct);
                await Task.Yield();
                await client.CallAsync("listpeers", cancellationToken: ct);
                return null;
            });
            b.AddHook("peer_connected", async (ctx, ct) =>
            {
                await ctx.Services.GetRequiredService<ILightningClient>().CallAsync("listpeerchannels", cancellationToken: ct);
                return new JsonObject { ["result"] = "continue" };
            });
        });
        await h.HandshakeAsync(rpc.Directory);

        Assert.True((await CallAsync(h, "nested", "{}", "cli:nested#5/cln:nested#6")).TryGetProperty("result", out _));
        Assert.Equal("continue", (await CallAsync(h, "peer_connected", $"{{\"peer\":{{\"id\":\"{PeerA}\"}}}}", "cln:peer_connected#9")).GetProperty("result").GetProperty("result").GetString());

        // Outside any handler: no prefix (the id does not leak out of the handler's async flow).
        await h.Plugin.Services.GetRequiredService<ILightningClient>().CallAsync("getinfo").WaitAsync(PluginHarness.Timeout);

        var ids = rpc.Requests.Select(r => r.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(4, ids.Length);
        Assert.Matches(@"^cli:nested#5/cln:nested#6/testplugin:getinfo#\d+$", ids[0]);
        Assert.Matches(@"^cli:nested#5/cln:nested#6/testplugin:listpeers#\d+$", ids[1]);
        Assert.Matches(@"^cln:peer_connected#9/testplugin:listpeerchannels#\d+$", ids[2]);
        Assert.Matches(@"^testplugin:getinfo#\d+$", ids[3]);
    }

    [Fact]
    public async Task A_method_sends_message_and_progress_notifications_for_its_request()
    {
        await using var h = new PluginHarness(b => b.AddMethod("slow", (ctx, _) =>
        {
            ctx.NotifyMessage("half way", LogLevel.Warning);
            ctx.NotifyProgress(1, 3);
            ctx.NotifyProgress(2, 4, stage: 1, stageCount: 2);
            return ValueTask.FromResult<JsonNode?>(new JsonObject { ["done"] = true });
        }));
        await h.HandshakeAsync();
        await h.SendAsync(PluginHarness.Request("cli:slow#1/cln:slow#2", "slow", "{}"));

        var message = await h.ReadAsync();
        Assert.Equal("message", message.GetProperty("method").GetString());
        Assert.False(message.TryGetProperty("id", out _));
        var p = message.GetProperty("params");
        Assert.Equal("cli:slow#1/cln:slow#2", p.GetProperty("id").GetString());
        Assert.Equal("unusual", p.GetProperty("level").GetString());
        Assert.Equal("half way", p.GetProperty("message").GetString());

        var progress = await h.ReadAsync();
        Assert.Equal("progress", progress.GetProperty("method").GetString());
        Assert.Equal("{\"id\":\"cli:slow#1/cln:slow#2\",\"num\":1,\"total\":3}", progress.GetProperty("params").GetRawText());
        var staged = await h.ReadAsync();
        Assert.Equal("{\"id\":\"cli:slow#1/cln:slow#2\",\"num\":2,\"total\":4,\"stage\":{\"num\":1,\"total\":2}}", staged.GetProperty("params").GetRawText());

        var result = await h.ReadAsync();
        Assert.Equal("cli:slow#1/cln:slow#2", result.GetProperty("id").GetString());
        Assert.True(result.GetProperty("result").GetProperty("done").GetBoolean());
    }

    [Fact]
    public void Progress_arguments_are_checked()
    {
        var ctx = new PluginRequestContext("m", "x", "\"x\""u8.ToArray(), default, new ServiceCollection().BuildServiceProvider(), writer: null);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.NotifyProgress(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.NotifyProgress(-1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.NotifyProgress(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.NotifyProgress(1, 3, stage: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.NotifyProgress(1, 3, stage: 2, stageCount: 2));
        ctx.NotifyProgress(3, 3, stage: 1, stageCount: 2);
    }

    [Fact]
    public async Task A_method_check_callback_validates_the_calls_params_for_check()
    {
        var checkedParams = new List<string>();
        await using var h = new PluginHarness(b =>
        {
            b.CanCheck = true;
            b.AddMethod(
                "spend",
                (_, _) => throw new InvalidOperationException("check must not run the method"),
                usage: "amount",
                check: (ctx, _) =>
                {
                    lock (checkedParams)
                    {
                        checkedParams.Add(ctx.Params.GetRawText());
                    }

                    var amount = ctx.Params.ValueKind == JsonValueKind.Array ? ctx.Params[0] : ctx.Params.GetProperty("amount");
                    return amount.GetInt64() > 0 ? ValueTask.CompletedTask : throw new PluginMethodException(-32602, "amount must be positive");
                });
            b.AddIntegerOption("limit", "x", dynamic: true);
            b.AddIntegerOption("fixed", "x");
        });
        await h.HandshakeAsync();

        var ok = await CallAsync(h, "check", "{\"command_to_check\":\"spend\",\"amount\":5}", "cli:check#1/cln:check#2");
        Assert.Equal("spend", ok.GetProperty("result").GetProperty("command_to_check").GetString());
        var refused = await CallAsync(h, "check", "{\"command_to_check\":\"spend\",\"amount\":-1}", "cli:check#3/cln:check#4");
        Assert.Equal(-32602, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("amount must be positive", refused.GetProperty("error").GetProperty("message").GetString());
        var positional = await CallAsync(h, "check", "[\"spend\",-7]", "cli:check#5/cln:check#6");
        Assert.Equal("amount must be positive", positional.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(["{\"amount\":5}", "{\"amount\":-1}", "[-7]"], checkedParams);

        // check setconfig: the value must read as the option's type, and the option must be dynamic.
        Assert.True((await CallAsync(h, "check", "{\"command_to_check\":\"setconfig\",\"config\":\"limit\",\"val\":\"12\"}", "c#1")).TryGetProperty("result", out _));
        Assert.Contains("Invalid value", (await CallAsync(h, "check", "{\"command_to_check\":\"setconfig\",\"config\":\"limit\",\"val\":\"lots\"}", "c#2")).GetProperty("error").GetProperty("message").GetString());
        Assert.Contains("not dynamic", (await CallAsync(h, "check", "{\"command_to_check\":\"setconfig\",\"config\":\"fixed\",\"val\":\"1\"}", "c#3")).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_hook_result_that_cannot_be_written_is_replaced_by_the_fallback()
    {
        await using var h = new PluginHarness(b => b.AddHook(
            "peer_connected",
            (_, _) => ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "continue", ["bad"] = double.NaN })));
        await h.HandshakeAsync();

        var answer = await CallAsync(h, "peer_connected", $"{{\"peer\":{{\"id\":\"{PeerA}\"}}}}", "cln:peer_connected#3");
        Assert.Equal("{\"result\":\"continue\"}", answer.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task A_request_lightningd_forwards_pretty_printed_is_answered()
    {
        // lightningd passes a caller's request to the plugin verbatim (lightningd/plugin.c
        // json_stream_forward_change_id): a client that indents its JSON sends lines like these.
        await using var h = new PluginHarness(b =>
        {
            b.AddMethod("echo", (ctx, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["got"] = ctx.Params.GetProperty("text").GetString() }));
            b.AddHook("rpc_command", (ctx, _) => ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "continue", ["seen"] = ctx.Params.GetProperty("rpc_command").GetProperty("method").GetString() }));
            b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask);
        });
        await h.HandshakeAsync();

        await h.SendAsync("{\n  \"jsonrpc\": \"2.0\",\n  \"id\": \"cli:echo#1/cln:echo#2\",\n  \"method\": \"echo\",\n  \"params\": {\n    \"text\": \"hi\"\n  }\n}\n\n");
        var echo = await h.ReadAsync();
        Assert.Equal("cli:echo#1/cln:echo#2", echo.GetProperty("id").GetString());
        Assert.Equal("hi", echo.GetProperty("result").GetProperty("got").GetString());

        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cln:rpc_command#3\",\"method\":\"rpc_command\",\"params\":{\"rpc_command\":{\n \"id\": 1,\n \"method\": \"getinfo\",\n \"params\": {}\n}}}\n\n");
        var hook = await h.ReadAsync();
        Assert.Equal("cln:rpc_command#3", hook.GetProperty("id").GetString());
        Assert.Equal("getinfo", hook.GetProperty("result").GetProperty("seen").GetString());

        // Bad lines cost nothing but themselves: a line that is not JSON, a complete but invalid
        // object, and a truncated object cut off by the blank line; the messages after them are answered.
        await h.SendAsync("not json\n{\"jsonrpc\":\"2.0\",}\n{\"jsonrpc\":\"2.0\",\"id\":\n\n"
            + PluginHarness.Hook("cln:custommsg#4", PeerA, "8001aa")
            + PluginHarness.Request("cli:echo#5", "echo", "{\"text\":\"after\"}"));
        var others = new List<JsonElement> { await h.ReadAsync(), await h.ReadAsync() };
        Assert.Contains(others, o => o.GetProperty("id").GetString() == "cln:custommsg#4" && o.GetProperty("result").GetRawText() == "{\"result\":\"continue\"}");
        Assert.Contains(others, o => o.GetProperty("id").GetString() == "cli:echo#5" && o.GetProperty("result").GetProperty("got").GetString() == "after");
        Assert.Equal(3, h.Logs.Count(l => l.Message.Contains("not a JSON-RPC object")));
    }
    [Fact]
    public async Task Setconfig_is_answered_even_when_a_change_listener_throws()
    {
        await using var h = new PluginHarness(b =>
        {
            b.AddIntegerOption("count", "an int", 1, dynamic: true);
            b.Services.Configure<FeatureTests.CountOptions>(b.Configuration.GetSection(ClnPluginContext.ConfigurationSection));
        });
        var context = h.Plugin.Services.GetRequiredService<ClnPluginContext>();
        await h.HandshakeAsync();
        context.OptionChanged += (_, _) => throw new InvalidOperationException("listener bug");
        using var subscription = h.Plugin.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<FeatureTests.CountOptions>>()
            .OnChange((_, _) => throw new InvalidOperationException("monitor bug"));

        var answer = await CallAsync(h, "setconfig", "{\"config\":\"count\",\"val\":\"7\"}", "cli:setconfig#1/cln:setconfig#2");
        Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
        Assert.Equal(7, context.GetInt64("count"));
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("bug", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs, l => l.Level == "broken");
    }
    private static string Notification(string topic, int sequence) =>
        $"{{\"jsonrpc\":\"2.0\",\"method\":\"{topic}\",\"params\":{{\"{topic}\":{{\"id\":\"{PeerA}\",\"seq\":{sequence}}}}}}}\n\n";

    [Fact]
    public async Task Notifications_reach_subscribers_one_at_a_time_in_lightningds_order()
    {
        var seen = new List<string>();
        int active = 0, overlaps = 0;
        async ValueTask Record(PluginNotificationContext ctx)
        {
            if (Interlocked.Increment(ref active) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            int seq = ctx.Payload.GetProperty("seq").GetInt32();
            if (seq % 3 == 0)
            {
                await Task.Yield();
            }

            lock (seen)
            {
                seen.Add(ctx.Topic + seq);
            }

            Interlocked.Decrement(ref active);
        }

        await using var h = new PluginHarness(b =>
        {
            b.Subscribe("connect", (ctx, _) => Record(ctx));
            b.Subscribe("disconnect", (ctx, _) => Record(ctx));
        });
        await h.HandshakeAsync();
        var batch = new System.Text.StringBuilder();
        var expected = new List<string>();
        for (int i = 0; i < 500; i++)
        {
            var topic = i % 2 == 0 ? "connect" : "disconnect";
            batch.Append(Notification(topic, i));
            expected.Add(topic + i);
        }

        await h.SendAsync(batch.ToString());
        await FaultTests.WaitForAsync(() => { lock (seen) { return seen.Count == 500; } });
        Assert.Equal(expected, seen);
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task A_stuck_subscriber_bounds_the_notification_queue_and_drops_are_logged()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentinel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int delivered = 0;
        await using var h = new PluginHarness(b => b.Subscribe("connect", async (ctx, _) =>
        {
            if (ctx.Payload.GetProperty("seq").GetInt32() < 0)
            {
                sentinel.TrySetResult();
                return;
            }

            await release.Task;
            Interlocked.Increment(ref delivered);
        }));
        await h.HandshakeAsync();
        int sent = Cln.ProtocolExtensions.Plugin.Internal.PluginServer.MaxQueuedNotifications + 50;
        var batch = new System.Text.StringBuilder();
        for (int i = 0; i < sent; i++)
        {
            batch.Append(Notification("connect", i));
        }

        await h.SendAsync(batch.ToString());
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("dropped a 'connect' notification", StringComparison.Ordinal));

        // A method call still goes through while the subscriber is stuck.
        await h.SendAsync(PluginHarness.Request("cli:x#1", "nosuch", "{}"));
        Assert.Equal(-32601, (await h.ReadAsync()).GetProperty("error").GetProperty("code").GetInt32());

        release.SetResult();
        await FaultTests.WaitForAsync(() => Volatile.Read(ref delivered) >= Cln.ProtocolExtensions.Plugin.Internal.PluginServer.MaxQueuedNotifications);

        // Delivered in order: once a later notification arrives, every queued one has. One was being
        // delivered when the flood arrived (maybe), then at most the limit waited.
        await h.SendAsync(Notification("connect", -1));
        await sentinel.Task.WaitAsync(PluginHarness.Timeout);
        Assert.InRange(Volatile.Read(ref delivered), Cln.ProtocolExtensions.Plugin.Internal.PluginServer.MaxQueuedNotifications, Cln.ProtocolExtensions.Plugin.Internal.PluginServer.MaxQueuedNotifications + 1);
    }
    [Fact]
    public async Task A_hook_that_does_not_answer_in_time_gets_the_fallback_and_a_cancelled_token()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.AddHook(
            "peer_connected",
            async (_, ct) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }

                return new JsonObject { ["result"] = "disconnect" };
            },
            timeout: TimeSpan.FromMilliseconds(50)));
        await h.HandshakeAsync();

        var answer = await CallAsync(h, "peer_connected", $"{{\"peer\":{{\"id\":\"{PeerA}\"}}}}", "cln:peer_connected#7");
        Assert.Equal("{\"result\":\"continue\"}", answer.GetProperty("result").GetRawText());
        await cancelled.Task.WaitAsync(PluginHarness.Timeout);
        Assert.Contains(h.Logs, l => l.Message.Contains("did not answer within 50 ms", StringComparison.Ordinal));

        // Exactly one answer: the next frame is for the next request.
        await h.SendAsync(PluginHarness.Request("cli:x#2", "nosuch", "{}"));
        Assert.Equal("cli:x#2", (await h.ReadAsync()).GetProperty("id").GetString());
    }
}
