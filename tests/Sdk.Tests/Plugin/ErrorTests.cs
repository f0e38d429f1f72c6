using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Tests.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// How failures are answered and logged: a refusal and lightningd's own error pass through as the
/// answer, a timeout or cancellation is a clean error, an unexpected exception is one unusual line
/// (stack at debug); nothing is ever logged at broken. The logs are the plugin's own log notifications.
/// </summary>
public class ErrorTests
{
    private const string PeerA = ProtocolTests.PeerA;

    private static Task<JsonElement> CallAsync(PluginHarness h, string method, string @params = "{}", string? id = null) =>
        h.CallAsync(id ?? $"cli:{method}#1/cln:{method}#2", method, @params);

    /// <summary>Waits until the plugin has written everything it will (a marker log line round trip), then returns all logs.</summary>
    private static async Task<List<(string Level, string Message)>> SettledLogsAsync(PluginHarness h)
    {
        await h.SendAsync(PluginHarness.Request("cli:marker#1", "marker", "{}"));
        await h.ReadUntilLogAsync((_, m) => m == "marker reached");
        return h.Logs;
    }

    private static void AddMarker(ClnPluginBuilder b) =>
        b.AddMethod("marker", (ctx, ct) =>
        {
            ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger("t").LogInformation("marker reached");
            return ValueTask.FromResult<JsonNode?>(null);
        });

    private static void AssertNotAboveDebug(List<(string Level, string Message)> logs, string about)
    {
        Assert.DoesNotContain(logs, l => l.Message.Contains(about, StringComparison.Ordinal) && l.Level is not ("debug" or "trace"));
        Assert.DoesNotContain(logs, l => l.Level == "broken");
    }

    [Fact]
    public async Task A_refusal_is_answered_with_its_code_message_and_data_and_logged_at_debug_only()
    {
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.AddMethod("refuse", (ctx, ct) => throw new PluginMethodException(1401, "no such offer: abc", new JsonObject { ["offer"] = "abc" }));
        });
        await h.HandshakeAsync();

        var error = (await CallAsync(h, "refuse")).GetProperty("error");

        Assert.Equal(1401, error.GetProperty("code").GetInt32());
        Assert.Equal("no such offer: abc", error.GetProperty("message").GetString());
        Assert.Equal("abc", error.GetProperty("data").GetProperty("offer").GetString());
        var logs = await SettledLogsAsync(h);
        Assert.Contains(logs, l => l.Level == "debug" && l.Message.Contains("no such offer: abc", StringComparison.Ordinal));
        AssertNotAboveDebug(logs, "no such offer");
    }

    [Fact]
    public async Task An_error_from_lightningd_passes_through_with_its_code_message_and_data()
    {
        await using var rpc = new FakeLightningRpc();
        rpc.Respond = _ => "\"error\":{\"code\":-32602,\"message\":\"id: should be a node id: invalid token '\\\"nope\\\"'\",\"data\":{\"param\":\"id\",\"n\":[1,2]}}";
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.AddMethod("connectto", async (ctx, ct) =>
            {
                await ctx.Services.GetRequiredService<ILightningClient>().CallAsync("connect", new JsonObject { ["id"] = "nope" }, ct);
                return null;
            });
        });
        await h.HandshakeAsync(rpc.Directory);

        var error = (await CallAsync(h, "connectto")).GetProperty("error");

        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Equal("id: should be a node id: invalid token '\"nope\"'", error.GetProperty("message").GetString());
        Assert.Equal("{\"param\":\"id\",\"n\":[1,2]}", error.GetProperty("data").GetRawText());
        AssertNotAboveDebug(await SettledLogsAsync(h), "should be a node id");
    }

    [Fact]
    public async Task An_error_with_data_from_lightningd_is_read_and_keeps_the_connection()
    {
        await using var rpc = new FakeLightningRpc();
        rpc.Respond = r => r.GetProperty("method").GetString() == "pay"
            ? "\"error\":{\"code\":205,\"message\":\"Could not find a route\",\"data\":{\"attempts\":[{\"status\":\"failed\"}]}}"
            : "\"result\":{}";
        await using var h = new PluginHarness(_ => { });
        await h.HandshakeAsync(rpc.Directory);
        var client = h.Plugin.Services.GetRequiredService<ILightningClient>();

        var refused = await Assert.ThrowsAsync<ClnRpcException>(() => client.CallAsync("pay", new JsonObject { ["bolt11"] = "lnbc1" }).WaitAsync(PluginHarness.Timeout));
        await client.CallAsync("getinfo").WaitAsync(PluginHarness.Timeout);

        Assert.Equal(205, refused.Code);
        Assert.Equal("Could not find a route", refused.ClnMessage);
        Assert.Equal("{\"attempts\":[{\"status\":\"failed\"}]}", refused.ErrorData);
        Assert.Equal(1, rpc.Connections);
    }

    [Fact]
    public async Task A_recorded_lightningd_refusal_passes_through_unchanged()
    {
        // lightningd v26.06.6's own answer to sendcustommsg for an unknown peer.
        var recorded = Fixtures.Lines("sendcustommsg_results.jsonl").Single(l => l.GetProperty("case").GetString() == "unknown peer").GetProperty("response_raw").GetString()!;
        using var recordedDoc = JsonDocument.Parse(recorded);
        var recordedError = recordedDoc.RootElement.GetProperty("error").Clone();
        await using var rpc = new FakeLightningRpc { Respond = _ => "\"error\":" + recordedError.GetRawText() };
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.AddMethod("send", async (ctx, ct) =>
            {
                await ctx.Services.GetRequiredService<ICustomMessageSender>().SendRawAsync(new NBitcoin.PubKey(PeerA), 0x8001, new byte[] { 1 }, ct);
                return null;
            });
        });
        await h.HandshakeAsync(rpc.Directory);

        var error = (await CallAsync(h, "send")).GetProperty("error");

        Assert.Equal(recordedError.GetProperty("code").GetInt32(), error.GetProperty("code").GetInt32());
        Assert.Equal(recordedError.GetProperty("message").GetString(), error.GetProperty("message").GetString());
        AssertNotAboveDebug(await SettledLogsAsync(h), "No such peer");
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_unusual_line_with_type_and_message_and_its_stack_at_debug()
    {
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.AddMethod("crash", (ctx, ct) => throw new InvalidOperationException("the widget is gone"));
        });
        await h.HandshakeAsync();

        var error = (await CallAsync(h, "crash")).GetProperty("error");

        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Equal("crash failed: the widget is gone", error.GetProperty("message").GetString());
        var logs = await SettledLogsAsync(h);
        var unusual = Assert.Single(logs, l => l.Level == "unusual");
        Assert.Contains("'crash'", unusual.Message);
        Assert.Contains("InvalidOperationException: the widget is gone", unusual.Message);
        Assert.DoesNotContain(" at ", unusual.Message);
        Assert.Contains(logs, l => l.Level == "debug" && l.Message.Contains("ErrorTests", StringComparison.Ordinal) && l.Message.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Level == "broken");
    }

    [Fact]
    public async Task A_timeout_is_a_clean_error()
    {
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.AddMethod("slow", async (ctx, ct) =>
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(TimeSpan.FromMilliseconds(50));
                await Task.Delay(Timeout.Infinite, deadline.Token);
                return null;
            });
            b.AddMethod("slower", (ctx, ct) => throw new TimeoutException("lightningd took too long"));
        });
        await h.HandshakeAsync();

        var cancelled = (await CallAsync(h, "slow")).GetProperty("error");
        var timedOut = (await CallAsync(h, "slower")).GetProperty("error");

        Assert.Equal(-32600, cancelled.GetProperty("code").GetInt32());
        Assert.StartsWith("slow was cancelled: ", cancelled.GetProperty("message").GetString());
        Assert.Equal(-32600, timedOut.GetProperty("code").GetInt32());
        Assert.Equal("slower timed out: lightningd took too long", timedOut.GetProperty("message").GetString());
        var logs = await SettledLogsAsync(h);
        Assert.Equal(2, logs.Count(l => l.Level == "unusual"));
        Assert.DoesNotContain(logs, l => l.Level == "broken");
    }

    [Fact]
    public async Task A_method_cancelled_because_the_plugin_stops_answers_error_minus_5_logged_at_debug()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.AddMethod("test-wait", async (ctx, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }));
        await h.HandshakeAsync();

        await h.SendAsync(PluginHarness.Request("cli:test-wait#1/cln:test-wait#2", "test-wait", "{}"));
        await started.Task.WaitAsync(PluginHarness.Timeout);
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"shutdown\",\"params\":{\"shutdown\":{}}}\n\n");

        var answer = await h.ReadAsync();
        Assert.Equal("cli:test-wait#1/cln:test-wait#2", answer.GetProperty("id").GetString());
        Assert.Equal(-5, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("test-wait was cancelled: the plugin is stopping", answer.GetProperty("error").GetProperty("message").GetString());
        var rest = await h.DrainAsync(TimeSpan.FromMilliseconds(300));
        var levels = h.Logs.Select(l => l.Level).Concat(rest.Where(e => e.TryGetProperty("method", out var m) && m.GetString() == "log")
            .Select(e => e.GetProperty("params").GetProperty("level").GetString()!)).ToList();
        Assert.DoesNotContain("unusual", levels);
        Assert.DoesNotContain("broken", levels);
    }

    [Fact]
    public async Task A_hook_that_throws_answers_continue_with_one_unusual_line()
    {
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.AddHook("peer_connected", (ctx, ct) => throw new FormatException("bad peer"));
        });
        await h.HandshakeAsync();

        var answer = await CallAsync(h, "peer_connected", $"{{\"peer\":{{\"id\":\"{PeerA}\",\"direction\":\"in\",\"addr\":\"127.0.0.1:1\",\"features\":\"\"}}}}", "cln:peer_connected#3");

        Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
        var logs = await SettledLogsAsync(h);
        var unusual = Assert.Single(logs, l => l.Level == "unusual");
        Assert.Contains("FormatException: bad peer", unusual.Message);
        Assert.DoesNotContain(logs, l => l.Level == "broken");
    }

    [Fact]
    public async Task A_hook_cancelled_because_the_plugin_stops_still_answers_its_safe_default()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.AddHook("htlc_accepted", async (ctx, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new JsonObject { ["result"] = "fail" };
        }));
        await h.HandshakeAsync();

        await h.SendAsync(PluginHarness.Request("cln:htlc_accepted#4", "htlc_accepted", "{}"));
        await started.Task.WaitAsync(PluginHarness.Timeout);
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"shutdown\",\"params\":{\"shutdown\":{}}}\n\n");

        var answer = await h.ReadAsync();
        Assert.Equal("cln:htlc_accepted#4", answer.GetProperty("id").GetString());
        Assert.Equal("{\"result\":\"continue\"}", answer.GetProperty("result").GetRawText());
        await h.AssertExitsAsync();
        Assert.DoesNotContain(h.Logs, l => l.Level is "unusual" or "broken");
    }

    [Fact]
    public async Task A_subscriber_that_throws_is_one_unusual_line()
    {
        await using var h = new PluginHarness(b =>
        {
            AddMarker(b);
            b.Subscribe("connect", (ctx, ct) => throw new ArgumentException("subscriber bug"));
        });
        await h.HandshakeAsync();

        await h.SendAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"connect\",\"params\":{{\"connect\":{{\"id\":\"{PeerA}\",\"direction\":\"in\",\"address\":{{\"type\":\"ipv4\",\"address\":\"127.0.0.1\",\"port\":1}}}}}}}}\n\n");
        await h.ReadUntilLogAsync((l, m) => m.Contains("subscriber bug", StringComparison.Ordinal) && l == "unusual");
        var logs = await SettledLogsAsync(h);

        Assert.Single(logs, l => l.Level == "unusual");
        Assert.Contains("ArgumentException: subscriber bug", logs.Single(l => l.Level == "unusual").Message);
        Assert.DoesNotContain(logs, l => l.Level == "broken");
    }

    [Fact]
    public async Task A_check_callback_refusal_and_lightningd_error_pass_through()
    {
        await using var h = new PluginHarness(b =>
        {
            b.CanCheck = true;
            b.AddMethod("m", (ctx, ct) => ValueTask.FromResult<JsonNode?>(null), check: (ctx, ct) => throw new ClnRpcException("listpeers", -32602, "id: should be a node id", "{\"x\":1}"));
        });
        await h.HandshakeAsync();

        var error = (await CallAsync(h, "check", "{\"command_to_check\":\"m\"}", "cli:check#1")).GetProperty("error");

        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Equal("id: should be a node id", error.GetProperty("message").GetString());
        Assert.Equal(1, error.GetProperty("data").GetProperty("x").GetInt32());
    }
}
