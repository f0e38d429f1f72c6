using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.DependencyInjection;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>Bad input from lightningd or peers, and bad handlers: every hook answered, the host alive until EOF, then a clean exit.</summary>
public class FaultTests
{
    private const string PeerA = ProtocolTests.PeerA;
    private const string PeerB = "0252b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4c6";

    /// <summary>Sends one hook, asserts it is answered continue, returns nothing else.</summary>
    private static async Task AssertContinueAsync(PluginHarness h, string id, string payload, string peer = PeerA)
    {
        await h.SendAsync(PluginHarness.Hook(id, peer, payload));
        var answer = await h.ReadAsync();
        Assert.Equal(id, answer.GetProperty("id").GetString());
        Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
    }

    /// <summary>A plugin handling 0x8001 and 0x8003 that records what reaches the handlers.</summary>
    private static PluginHarness Recording(ConcurrentQueue<string> seen, Action<ClnPluginBuilder>? more = null) => new(b =>
    {
        b.HandleMessage<Blob8001>((ctx, _) =>
        {
            seen.Enqueue("8001:" + Convert.ToHexStringLower(ctx.Message.Body));
            return ValueTask.CompletedTask;
        });
        b.HandleMessage<Byte8003>((ctx, _) =>
        {
            seen.Enqueue("8003:" + ctx.Message.Value.ToString("x2"));
            return ValueTask.CompletedTask;
        });
        more?.Invoke(b);
    });

    /// <summary>After the faults, a good message must still be handled, then EOF must end the host.</summary>
    private static async Task AssertStillWorksThenExitsAsync(PluginHarness h, ConcurrentQueue<string> seen)
    {
        await AssertContinueAsync(h, "cln:custommsg#999", "8001c0ffee");
        await WaitForAsync(() => seen.Contains("8001:c0ffee"));
        await h.CloseInputAsync();
        await h.AssertExitsAsync();
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + PluginHarness.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }

    [Theory]
    [InlineData("8001zz", "not hex")]
    [InlineData("8001a", "not hex")]
    [InlineData("80", "fewer than the 2-byte type")]
    [InlineData("", "fewer than the 2-byte type")]
    [InlineData("00070000", "no handler")]
    [InlineData("8003bbcc", "does not decode")]
    [InlineData("8003", "does not decode")]
    public async Task Bad_payloads_are_answered_continue_logged_and_dropped(string payload, string logged)
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = Recording(seen);
        await h.HandshakeAsync();

        await AssertContinueAsync(h, "cln:custommsg#1", payload);
        await h.ReadUntilLogAsync((_, m) => m.Contains(logged, StringComparison.Ordinal));
        await AssertStillWorksThenExitsAsync(h, seen);
        Assert.Equal(["8001:c0ffee"], seen);
    }

    [Fact]
    public async Task Undecodable_message_is_logged_with_its_name_type_length_and_error()
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = Recording(seen);
        await h.HandshakeAsync();

        await AssertContinueAsync(h, "cln:custommsg#1", "8003bbcc");
        await h.ReadUntilLogAsync((_, m) => m.Contains("does not decode", StringComparison.Ordinal));
        string line = Assert.Single(h.Logs, l => l.Message.Contains("does not decode", StringComparison.Ordinal)).Message;
        Assert.StartsWith($"Dropped a message of type {nameof(Byte8003)} (32771, 4 bytes) from {PeerA}: it does not decode (", line, StringComparison.Ordinal);
        await AssertStillWorksThenExitsAsync(h, seen);
    }

    [Fact]
    public async Task Oversize_payload_is_answered_continue_and_dropped()
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = Recording(seen);
        await h.HandshakeAsync();

        await AssertContinueAsync(h, "cln:custommsg#1", "8001" + new string('a', 2 * 65534));
        await h.ReadUntilLogAsync((_, m) => m.Contains("65,535", StringComparison.Ordinal));
        await AssertStillWorksThenExitsAsync(h, seen);
        Assert.Equal(["8001:c0ffee"], seen);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#1\",\"method\":\"custommsg\",\"params\":{\"peer_id\":\"02zz\",\"payload\":\"8001aa\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#1\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001aa\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#1\",\"method\":\"custommsg\",\"params\":[1,2]}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#1\",\"method\":\"custommsg\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#1\",\"method\":\"custommsg\",\"params\":{\"payload\":8001,\"peer_id\":\"" + PeerA + "\"}}")]
    public async Task Malformed_hook_params_are_still_answered_continue(string request)
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = Recording(seen);
        await h.HandshakeAsync();

        await h.SendAsync(request + "\n\n");
        var answer = await h.ReadAsync();
        Assert.Equal("cln:custommsg#1", answer.GetProperty("id").GetString());
        Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
        await AssertStillWorksThenExitsAsync(h, seen);
        Assert.Equal(["8001:c0ffee"], seen);
    }

    [Fact]
    public async Task Garbage_on_stdin_is_logged_and_skipped()
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = Recording(seen);
        await h.HandshakeAsync();

        await h.SendAsync("this is not json\n\n");
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cln:x#1\",\"method\":\n\n");
        await h.SendAsync("[1,2,3]\n\n{}}\n\n\u0001\u0002\u00ff\n\n");
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"a\"}{\"jsonrpc\":\"2.0\"}\n\n");
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("not a JSON-RPC object", StringComparison.Ordinal));
        await AssertStillWorksThenExitsAsync(h, seen);
        Assert.Equal(["8001:c0ffee"], seen);
    }

    [Fact]
    public async Task Handler_that_throws_is_logged_and_the_peer_keeps_being_served()
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((ctx, _) =>
        {
            if (ctx.Message.Body.Length == 1)
            {
                throw new InvalidOperationException("boom");
            }

            seen.Enqueue("8001:" + Convert.ToHexStringLower(ctx.Message.Body));
            return ValueTask.CompletedTask;
        }));
        await h.HandshakeAsync();

        await AssertContinueAsync(h, "cln:custommsg#1", "8001aa");
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("InvalidOperationException: boom", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs, l => l.Level == "broken");
        await AssertStillWorksThenExitsAsync(h, seen);
    }

    [Fact]
    public async Task Handler_that_hangs_blocks_neither_hooks_nor_other_peers_nor_exit()
    {
        var seen = new ConcurrentQueue<string>();
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>(async (ctx, _) =>
        {
            if (ctx.PeerId.ToHex() == PeerB)
            {
                hung.TrySetResult();
                await Task.Delay(Timeout.Infinite, CancellationToken.None); // ignores cancellation on purpose
            }

            seen.Enqueue("8001:" + Convert.ToHexStringLower(ctx.Message.Body));
        }));
        await h.HandshakeAsync();

        await AssertContinueAsync(h, "cln:custommsg#1", "8001aa", PeerB);
        await hung.Task.WaitAsync(PluginHarness.Timeout);
        for (int i = 0; i < 50; i++)
        {
            await AssertContinueAsync(h, $"cln:custommsg#{i + 2}", "8001bb", PeerB);
        }

        await AssertStillWorksThenExitsAsync(h, seen);
        Assert.DoesNotContain("8001:aa", seen);
    }

    [Fact]
    public async Task Handler_token_is_cancelled_when_the_host_stops()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>(async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        }));
        await h.HandshakeAsync();
        await AssertContinueAsync(h, "cln:custommsg#1", "8001aa");
        await started.Task.WaitAsync(PluginHarness.Timeout);
        await h.CloseInputAsync();
        await cancelled.Task.WaitAsync(PluginHarness.Timeout);
        await h.AssertExitsAsync();
    }

    [Fact]
    public async Task Messages_from_one_peer_are_handled_in_order()
    {
        var order = new ConcurrentQueue<int>();
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>(async (ctx, _) =>
        {
            // Uneven work per message: ordering must not depend on timing.
            if (ctx.Message.Body[0] % 7 == 0)
            {
                await Task.Yield();
            }

            order.Enqueue(ctx.Message.Body[0] << 8 | ctx.Message.Body[1]);
        }));
        await h.HandshakeAsync();

        var batch = new StringBuilder();
        for (int i = 0; i < 1000; i++)
        {
            batch.Append(PluginHarness.Hook($"cln:custommsg#{i}", PeerA, "8001" + i.ToString("x4")));
        }

        await h.SendAsync(batch.ToString());
        for (int i = 0; i < 1000; i++)
        {
            var answer = await h.ReadAsync();
            Assert.Equal($"cln:custommsg#{i}", answer.GetProperty("id").GetString());
            Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
        }

        await WaitForAsync(() => order.Count == 1000);
        Assert.Equal(Enumerable.Range(0, 1000), order);
    }

    [Fact]
    public async Task A_flooding_peer_is_bounded_and_drops_are_logged()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentinel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        await using var h = new PluginHarness(b =>
        {
            b.Services.Configure<CustomMessageQueueOptions>(o => o.MaxQueuedMessagesPerPeer = 10);
            b.HandleMessage<Blob8001>(async (ctx, _) =>
            {
                if (ctx.Message.Body[0] == 0xbb)
                {
                    sentinel.TrySetResult();
                    return;
                }

                await release.Task;
                Interlocked.Increment(ref handled);
            });
        });
        await h.HandshakeAsync();

        var batch = new StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            batch.Append(PluginHarness.Hook($"cln:custommsg#{i}", PeerA, "8001aa"));
        }

        await h.SendAsync(batch.ToString());
        var answers = await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("dropped 1 message", StringComparison.Ordinal));
        while (answers.Count < 100)
        {
            answers.Add(await h.ReadAsync());
        }

        Assert.All(answers, a => Assert.Equal("continue", a.GetProperty("result").GetProperty("result").GetString()));
        release.SetResult();
        await FaultTests.WaitForAsync(() => Volatile.Read(ref handled) >= 10);

        // Messages from one peer are handled in order: once a later message is handled, every
        // queued one has been (no sleeping and hoping).
        await AssertContinueAsync(h, "cln:custommsg#100", "8001bb");
        await sentinel.Task.WaitAsync(PluginHarness.Timeout);

        // One in the handler when the flood arrived, then at most 10 waiting.
        Assert.InRange(Volatile.Read(ref handled), 10, 11);
    }

    [Fact]
    public async Task Numeric_ids_are_echoed_and_unknown_methods_get_an_error()
    {
        var seen = new ConcurrentQueue<string>();
        await using var h = Recording(seen);
        await h.HandshakeAsync();

        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001ab\",\"peer_id\":\"" + PeerA + "\"}}\n\n");
        var numeric = await h.ReadAsync();
        Assert.Equal(JsonValueKind.Number, numeric.GetProperty("id").ValueKind);
        Assert.Equal(42, numeric.GetProperty("id").GetInt32());

        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cln:nosuch#1\",\"method\":\"nosuch\",\"params\":{}}\n\n");
        var error = await h.ReadAsync();
        Assert.Equal(-32601, error.GetProperty("error").GetProperty("code").GetInt32());

        // The custommsg notification (no id) gets no answer; the next answer is for the next request.
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"custommsg\",\"params\":{\"custommsg\":{\"peer_id\":\"" + PeerA + "\",\"payload\":\"8001cd\"}}}\n\n");
        await AssertStillWorksThenExitsAsync(h, seen);
        Assert.Equal(["8001:ab", "8001:c0ffee"], seen);
    }

    [Fact]
    public async Task Stdin_EOF_mid_message_exits_cleanly()
    {
        await using var h = new PluginHarness(b => b.HandleMessage<Blob8001>((_, _) => ValueTask.CompletedTask));
        await h.HandshakeAsync();
        await h.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#1\",\"method\":\"custo");
        await h.CloseInputAsync();
        await h.AssertExitsAsync();
    }

    [Fact]
    public async Task Exits_even_before_the_handshake()
    {
        await using var h = new PluginHarness(_ => { });
        var context = h.Plugin.Services.GetRequiredService<ClnPluginContext>();
        await h.CloseInputAsync();
        await h.AssertExitsAsync();
        Assert.False(context.IsInitialized);
    }
}
