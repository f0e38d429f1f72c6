using System.Text;
using System.Text.RegularExpressions;
using Cln.ProtocolExtensions.Generated.Tests;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Hostile.Tests;

[CollectionDefinition(nameof(FloodCollection), DisableParallelization = true)]
public sealed class FloodCollection;

/// <summary>
/// 100,000 custom messages from one peer at a plugin whose handler does not keep up: every hook is
/// answered "continue", the per-peer queue stays at its limit (so memory stays bounded), and the
/// drops are logged.
/// </summary>
[Collection(nameof(FloodCollection))]
public sealed partial class FloodTests
{
    private const int Messages = 100_000;

    /// <summary>The size of each message's byte tail.</summary>
    private const int PayloadBytes = 500;

    [Fact]
    public async Task A_flood_from_one_peer_is_bounded_and_every_hook_is_answered()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int handled = 0;
        await using var p = new PluginPipe(b => b.HandleMessage<Outer.Inner.Nested>(async (_, ct) =>
        {
            // The slowest handler: it does not return until the flood is over.
            await gate.Task.WaitAsync(ct);
            Interlocked.Increment(ref handled);
        }));
        await p.HandshakeAsync();

        long before = GC.GetTotalMemory(forceFullCollection: true);

        // Valid Nested messages (0x800b: u32, then the rest of the message as bytes), 506 bytes each.
        string payloadHex = "800b" + "00000007" + new string('a', 2 * PayloadBytes);
        string peer = PluginPipe.PeerA;
        var batch = new StringBuilder();
        for (int i = 0; i < Messages; i++)
        {
            batch.Append(PluginPipe.Hook($"cln:custommsg#{i}", peer, payloadHex));
            if (batch.Length > 1 << 20 || i == Messages - 1)
            {
                await p.SendAsync(batch.ToString());
                batch.Clear();
            }
        }

        // Every hook answered "continue", whatever happened to its message.
        await PluginPipe.WaitUntilAsync(() => p.AnswerCount >= Messages + 2);
        for (int i = 0; i < Messages; i++)
        {
            Assert.True(p.TryTakeAnswer($"\"cln:custommsg#{i}\"", out string? answer), $"hook {i} unanswered");
            Assert.Contains("\"result\":{\"result\":\"continue\"}", answer, StringComparison.Ordinal);
        }

        // Bounded: with the handler blocked, what is retained is the queue (its message limit times
        // ~0.5 kB), not 100,000 payloads (over 50 MB as byte arrays, 100 MB as the hex lines).
        var limits = new CustomMessageQueueOptions();
        long during = GC.GetTotalMemory(forceFullCollection: true);
        long retained = during - before;
        long queueBound = (long)limits.MaxQueuedMessagesPerPeer * (PayloadBytes + 6 + 64);
        Assert.True(retained < queueBound + (8L * 1024 * 1024), $"retained {retained:N0} bytes during the flood (queue bound {queueBound:N0})");
        Assert.True(queueBound < Messages * (PayloadBytes + 6) / 2, "the queue limit is too large for this test to tell bounded from unbounded");

        // The drop policy is logged: the first drop, then every 1,000th.
        await PluginPipe.WaitUntilAsync(() => p.Logs().Any(l => l.Contains("dropped 1 message", StringComparison.Ordinal)));
        var dropCounts = p.Logs().Select(l => DroppedRegex().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(1L, dropCounts);

        // Let the handler go: only what the queue held (plus the one in the handler) is handled.
        gate.SetResult();
        var options = limits;
        await PluginPipe.WaitUntilAsync(() => Volatile.Read(ref handled) >= options.MaxQueuedMessagesPerPeer);
        await Task.Delay(200);
        int total = Volatile.Read(ref handled);
        Assert.InRange(total, options.MaxQueuedMessagesPerPeer, options.MaxQueuedMessagesPerPeer + 1);
        long dropped = Messages - total;
        Assert.Equal(dropped / 1000 * 1000, dropCounts.Max());

        // Still serving: a new hook is answered after the flood.
        await p.SendAsync(PluginPipe.Hook("cln:custommsg#after", peer, "800b00000001"));
        Assert.Contains("continue", await p.WaitForAnswerAsync("\"cln:custommsg#after\""), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"dropped (\d+) message")]
    private static partial Regex DroppedRegex();
}
