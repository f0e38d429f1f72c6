using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Cln.ProtocolExtensions.Plugin.Internal;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>The per-peer queues: ordered per peer, and gone once a peer is idle.</summary>
public class CustomMessageDispatcherTests
{
    private static readonly TimeSpan Timeout = PluginHarness.Timeout;

    private static CustomMessageDispatcher Create(Func<PubKey, Blob8001, ValueTask> handle)
    {
        var entry = new MessageHandlerEntry<Blob8001>((_, ctx, _) => handle(ctx.PeerId, ctx.Message), needsScope: false);
        var dispatcher = new CustomMessageDispatcher([entry], NullLogger.Instance, maxMessagesPerPeer: 100_000, maxBytesPerPeer: long.MaxValue);
        dispatcher.Attach(new ServiceCollection().BuildServiceProvider(), new UnusedSender());
        return dispatcher;
    }

    private static byte[] Message(int sequence)
    {
        var payload = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(payload, Blob8001.Type);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(2), sequence);
        return payload;
    }

    private static byte[] PeerUtf8(PubKey key) => Encoding.ASCII.GetBytes(key.ToHex());

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            Assert.False(cts.IsCancellationRequested, "Timed out waiting until " + what);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_peer_queue_is_removed_once_drained_and_a_later_message_gets_a_new_one()
    {
        var peers = Enumerable.Range(0, 50).Select(_ => new Key().PubKey).ToArray();
        var handled = new ConcurrentDictionary<PubKey, int>();
        var dispatcher = Create((peer, _) =>
        {
            handled.AddOrUpdate(peer, 1, (_, n) => n + 1);
            return ValueTask.CompletedTask;
        });

        foreach (var peer in peers)
        {
            dispatcher.Enqueue(PeerUtf8(peer), Message(0));
            dispatcher.Enqueue(PeerUtf8(peer), Message(1));
        }

        Assert.Equal(50, dispatcher.PeerCount);
        dispatcher.StartPending();
        await WaitUntilAsync(() => handled.Values.Sum() == 100, "every message is handled");
        await WaitUntilAsync(() => dispatcher.PeerCount == 0, "idle peers are forgotten");

        // The same peer again, after its queue was removed: handled by a fresh queue.
        dispatcher.Enqueue(PeerUtf8(peers[0]), Message(2));
        dispatcher.StartPending();
        await WaitUntilAsync(() => handled[peers[0]] == 3, "the later message is handled");
        await WaitUntilAsync(() => dispatcher.PeerCount == 0, "the peer is forgotten again");
        Assert.All(peers.Skip(1), p => Assert.Equal(2, handled[p]));
    }

    [Fact]
    public async Task Order_and_one_at_a_time_hold_per_peer_while_queues_come_and_go()
    {
        // Messages trickle in one per "read", so the drain keeps emptying (and removing) the queue
        // while the next message arrives: the race between retiring a queue and enqueuing into it.
        var peers = new[] { new Key().PubKey, new Key().PubKey, new Key().PubKey };
        const int perPeer = 3000;
        var seen = peers.ToDictionary(p => p, _ => new List<int>());
        var active = peers.ToDictionary(p => p, _ => new StrongBox<int>());
        int overlaps = 0;
        var dispatcher = Create(async (peer, message) =>
        {
            if (Interlocked.Increment(ref active[peer].Value) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var list = seen[peer];
            lock (list)
            {
                list.Add(BinaryPrimitives.ReadInt32BigEndian(message.Body));
            }

            if ((list.Count & 7) == 0)
            {
                await Task.Yield();
            }

            Interlocked.Decrement(ref active[peer].Value);
        });

        for (int i = 0; i < perPeer; i++)
        {
            foreach (var peer in peers)
            {
                dispatcher.Enqueue(PeerUtf8(peer), Message(i));
            }

            dispatcher.StartPending();
            if ((i & 63) == 0)
            {
                await Task.Yield();
            }
        }

        await WaitUntilAsync(() => peers.All(p => { lock (seen[p]) { return seen[p].Count == perPeer; } }), "every message is handled");
        Assert.Equal(0, overlaps);
        foreach (var peer in peers)
        {
            Assert.Equal(Enumerable.Range(0, perPeer), seen[peer]);
        }

        await WaitUntilAsync(() => dispatcher.PeerCount == 0, "idle peers are forgotten");
    }

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }

    private sealed class UnusedSender : ICustomMessageSender
    {
        public Task SendAsync<TMessage>(PubKey peerId, TMessage message, CancellationToken cancellationToken = default)
            where TMessage : ICustomMessage => throw new NotSupportedException();

        public Task SendRawAsync(PubKey peerId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task SendRawAsync(PubKey peerId, ushort messageType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
