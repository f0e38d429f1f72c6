using System.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

public class ProtocolTests
{
    internal const string PeerA = "028d7a2a5a0ac6508953360bcbce404f9d3e12712a966dcaa7a08e3d929132189b";

    [Fact]
    public async Task Manifest_registers_filtered_custommsg_hook_and_even_types()
    {
        await using var h = new PluginHarness(b =>
        {
            b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask);
            b.HandleMessage<Even8000>((_, _) => ValueTask.CompletedTask);
            b.OrderCustomMessageHook(before: ["chanbackup"]);
        });
        await h.SendAsync(PluginHarness.Manifest("cli:plugin#5/cln:getmanifest#7"));
        var response = await h.ReadAsync();

        Assert.Equal("cli:plugin#5/cln:getmanifest#7", response.GetProperty("id").GetString());
        var m = response.GetProperty("result");
        Assert.Empty(ManifestRules.Check(m));
        Assert.Equal(JsonValueKind.Array, m.GetProperty("options").ValueKind);
        Assert.Equal(JsonValueKind.Array, m.GetProperty("rpcmethods").ValueKind);
        var hook = Assert.Single(m.GetProperty("hooks").EnumerateArray());
        Assert.Equal("custommsg", hook.GetProperty("name").GetString());
        Assert.Equal([0x8000, 0x8001], hook.GetProperty("filters").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["chanbackup"], hook.GetProperty("before").EnumerateArray().Select(e => e.GetString()!));
        Assert.False(hook.TryGetProperty("after", out _));
        Assert.Equal([0x8000], m.GetProperty("custommessages").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(m.GetProperty("nonnumericids").GetBoolean());
        Assert.False(m.GetProperty("dynamic").GetBoolean());
        Assert.Contains("shutdown", m.GetProperty("subscriptions").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Manifest_without_handlers_registers_no_hook()
    {
        await using var h = new PluginHarness(_ => { });
        await h.SendAsync(PluginHarness.Manifest());
        var m = (await h.ReadAsync()).GetProperty("result");
        Assert.Empty(ManifestRules.Check(m));
        Assert.Empty(m.GetProperty("hooks").EnumerateArray());
        Assert.False(m.TryGetProperty("custommessages", out _));
    }

    [Fact]
    public async Task Hook_is_answered_continue_and_dispatched_to_the_typed_handler()
    {
        var received = new TaskCompletionSource<(Blob8001 Message, PubKey Peer)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((ctx, _) =>
        {
            received.TrySetResult((ctx.Message, ctx.PeerId));
            return ValueTask.CompletedTask;
        }));
        await h.HandshakeAsync();

        await h.SendAsync(PluginHarness.Hook("cln:custommsg#53", PeerA, "8001deadbeef"));
        var answer = await h.ReadAsync();

        Assert.Equal("cln:custommsg#53", answer.GetProperty("id").GetString());
        Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
        Assert.False(answer.TryGetProperty("error", out _));
        var (message, peer) = await received.Task.WaitAsync(PluginHarness.Timeout);
        Assert.Equal(Convert.FromHexString("deadbeef"), message.Body);
        Assert.Equal(new PubKey(PeerA), peer);
    }

    [Fact]
    public async Task Hook_whose_id_is_too_long_for_the_fast_path_is_answered_and_dispatched_the_same()
    {
        // The method name comes after the id; past JsonRpcEnvelope.HookMethodWindow bytes the line
        // takes the general parse instead of the hook parser.
        string id = "cln:custommsg#" + new string('x', 300);
        Assert.False(Cln.ProtocolExtensions.Plugin.Internal.JsonRpcEnvelope.MayBeCustomMessageHook(Encoding.UTF8.GetBytes(PluginHarness.Hook(id, PeerA, "8001"))));
        var received = new TaskCompletionSource<Blob8001>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((ctx, _) =>
        {
            received.TrySetResult(ctx.Message);
            return ValueTask.CompletedTask;
        }));
        await h.HandshakeAsync();

        await h.SendAsync(PluginHarness.Hook(id, PeerA, "8001cafe"));
        var answer = await h.ReadAsync();

        Assert.Equal(id, answer.GetProperty("id").GetString());
        Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
        Assert.Equal(Convert.FromHexString("cafe"), (await received.Task.WaitAsync(PluginHarness.Timeout)).Body);
    }

    [Fact]
    public async Task Hook_with_an_id_that_is_not_utf8_gets_no_invalid_answer_but_its_message_is_handled()
    {
        var received = new TaskCompletionSource<Blob8001>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((ctx, _) =>
        {
            received.TrySetResult(ctx.Message);
            return ValueTask.CompletedTask;
        }));
        await h.HandshakeAsync();

        // The id's two '~' become bytes 0xff 0xfe: a JSON string that is not UTF-8.
        var hook = Encoding.UTF8.GetBytes(PluginHarness.Hook("bad~~", PeerA, "8001cafe"));
        int at = Array.IndexOf(hook, (byte)'~');
        byte[] bad = [.. hook[..at], 0xff, 0xfe, .. hook[(at + 2)..]];
        await h.SendAsync(bad);
        Assert.Equal(Convert.FromHexString("cafe"), (await received.Task.WaitAsync(PluginHarness.Timeout)).Body);

        // The next hook is answered normally, and nothing was written in between: the reader would
        // have failed on invalid UTF-8 or returned the other answer first.
        await h.SendAsync(PluginHarness.Hook("cln:custommsg#after", PeerA, "8001"));
        var answer = await h.ReadAsync();
        Assert.Equal("cln:custommsg#after", answer.GetProperty("id").GetString());
        Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Init_answers_empty_object_and_exposes_configuration_and_options()
    {
        ClnPluginContext? context = null;
        await using var h = new PluginHarness(b =>
        {
            b.AddStringOption("greeting", "What to say", "hello");
            b.AddIntegerOption("count", "How many", 3);
            b.AddFlagOption("loud", "Shout");
            b.AddStringOption("peers", "Peers", multi: true);
        });
        context = h.Plugin.Services.GetRequiredService<ClnPluginContext>();
        await h.SendAsync(PluginHarness.Manifest());
        await h.ReadAsync();
        await h.SendAsync(PluginHarness.Init("/tmp/ln", "{\"greeting\":\"hi\",\"count\":7,\"loud\":true,\"peers\":[\"a\",\"b\"]}"));
        var init = await h.ReadAsync();

        Assert.Equal(JsonValueKind.Object, init.GetProperty("result").ValueKind);
        Assert.Empty(init.GetProperty("result").EnumerateObject());
        Assert.True(context.IsInitialized);
        Assert.Equal("/tmp/ln/lightning-rpc", context.Configuration.RpcPath);
        Assert.Equal("regtest", context.Configuration.Network);
        Assert.Equal("0800", context.Configuration.FeatureSet["init"]);
        Assert.Equal("hi", context.GetString("greeting"));
        Assert.Equal(7, context.GetInt64("count"));
        Assert.True(context.GetBoolean("loud"));
        Assert.Equal(["a", "b"], context.GetStringList("peers"));
    }

    [Fact]
    public async Task ILogger_becomes_log_notifications_with_cln_levels_and_split_lines()
    {
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((ctx, _) =>
        {
            var logger = ctx.Services.GetRequiredService<ILogger<ProtocolTests>>();
            logger.LogInformation("first line\nsecond line");
            logger.LogWarning("careful");
            logger.LogError("broken thing");
            logger.LogDebug("details");
            return ValueTask.CompletedTask;
        }));
        await h.HandshakeAsync();
        await h.SendAsync(PluginHarness.Hook("cln:custommsg#1", PeerA, "8001"));
        await h.ReadUntilLogAsync((_, m) => m == "details");

        Assert.Contains(("info", "first line"), h.Logs);
        Assert.Contains(("info", "second line"), h.Logs);
        Assert.Contains(("unusual", "careful"), h.Logs);
        Assert.Contains(("broken", "broken thing"), h.Logs);
        Assert.Contains(("debug", "details"), h.Logs);
        Assert.All(h.Logs, l => Assert.DoesNotContain('\n', l.Message));
    }

    [Fact]
    public async Task Stdin_EOF_stops_the_host()
    {
        var h = new PluginHarness(b => b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask));
        await using (h)
        {
            await h.HandshakeAsync();
            await h.CloseInputAsync();
            await h.AssertExitsAsync();
        }
    }

    [Fact]
    public async Task Shutdown_notification_stops_the_host()
    {
        await using var h = new PluginHarness(_ => { });
        await h.HandshakeAsync();
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"shutdown\",\"params\":{\"shutdown\":{}}}\n\n");
        await h.AssertExitsAsync();
    }

    [Fact]
    public async Task Help_mode_stdin_closed_after_getmanifest_exits_cleanly()
    {
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask));
        await h.SendAsync(PluginHarness.Manifest());
        Assert.True((await h.ReadAsync()).TryGetProperty("result", out _));
        await h.CloseInputAsync();
        await h.AssertExitsAsync();
    }

    [Fact]
    public async Task Replays_run1_nodeB_transcript_answering_every_hook()
    {
        var received = new ConcurrentQueue<(string Peer, string Body)>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b =>
        {
            b.HandleMessage<Blob8001>((ctx, _) =>
            {
                received.Enqueue((ctx.PeerId.ToHex(), Convert.ToHexStringLower(ctx.Message.Body)));
                if (received.Count == 2)
                {
                    all.TrySetResult();
                }

                return ValueTask.CompletedTask;
            });
        });

        var context = h.Plugin.Services.GetRequiredService<ClnPluginContext>();
        var transcript = Fixtures.Transcript("run1_nodeB_py_custommsg_plugin.jsonl");
        var expectedIds = new List<string>();
        foreach (var (dir, raw) in transcript.Where(r => r.Dir == "in"))
        {
            await h.SendAsync(raw);
            foreach (var message in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(message);
                if (!doc.RootElement.TryGetProperty("id", out var id))
                {
                    continue;
                }

                var answer = await h.ReadAsync();
                Assert.Equal(id.GetString(), answer.GetProperty("id").GetString());
                Assert.True(answer.TryGetProperty("result", out var result), "every request gets a result: " + answer);
                if (doc.RootElement.GetProperty("method").GetString() == "custommsg")
                {
                    Assert.Equal("continue", result.GetProperty("result").GetString());
                    expectedIds.Add(id.GetString()!);
                }
                else if (doc.RootElement.GetProperty("method").GetString() == "getmanifest")
                {
                    Assert.Empty(ManifestRules.Check(result));
                }
            }
        }

        Assert.Equal(["cln:custommsg#52", "cln:custommsg#53", "cln:custommsg#54", "cln:custommsg#55", "cln:custommsg#57"], expectedIds);
        Assert.True(context.AllowDeprecatedApis);
        Assert.Equal("/home/ln/nodes/B/regtest/lightning-rpc", context.Configuration.RpcPath);
        await all.Task.WaitAsync(PluginHarness.Timeout);
        Assert.Equal(
            [(PeerA, "deadbeef"), (PeerA, string.Concat(Enumerable.Repeat("ab", 1000)))],
            received.ToArray());

        // The transcript ends with lightningd's shutdown notification: the plugin exits.
        await h.AssertExitsAsync();
    }

    [Fact]
    public async Task Replays_even_type_transcript_with_custommessages()
    {
        var got = new TaskCompletionSource<Even8000>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.HandleMessage<Even8000>((ctx, _) =>
        {
            got.TrySetResult(ctx.Message);
            return ValueTask.CompletedTask;
        }));
        foreach (var (_, raw) in Fixtures.Transcript("even_type_allow32768_nodeB_py_custommsg_plugin.jsonl").Where(r => r.Dir == "in"))
        {
            await h.SendAsync(raw);
            foreach (var message in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(message);
                if (doc.RootElement.TryGetProperty("id", out var id))
                {
                    var answer = await h.ReadAsync();
                    Assert.Equal(id.GetString(), answer.GetProperty("id").GetString());
                    if (doc.RootElement.GetProperty("method").GetString() == "getmanifest")
                    {
                        Assert.Equal([32768], answer.GetProperty("result").GetProperty("custommessages").EnumerateArray().Select(e => e.GetInt32()));
                    }
                }
            }
        }

        Assert.Equal(Convert.FromHexString("beef"), (await got.Task.WaitAsync(PluginHarness.Timeout)).Body);
        await h.AssertExitsAsync();
    }
}
