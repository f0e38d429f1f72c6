using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// Routes custom messages to typed handlers. The stdin loop calls <see cref="Enqueue"/> after it has
/// already answered the hook; each peer has a bounded FIFO drained by at most one task at a time, so
/// one peer's messages are handled in order, different peers in parallel, and nothing ever blocks the
/// loop. A full queue drops the new message and logs it.
/// </summary>
internal sealed class CustomMessageDispatcher
{
    /// <summary>BOLT #1: a message is at most 65,535 bytes, type included.</summary>
    private const int MaxMessageLength = 65535;

    private readonly Dictionary<ushort, MessageHandlerEntry> _handlers;
    private readonly ConcurrentDictionary<string, PeerQueue> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PeerQueue>.AlternateLookup<ReadOnlySpan<char>> _peersBySpan;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private readonly List<PeerQueue> _toStart = [];
    private readonly Dictionary<string, PubKey> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PubKey>.AlternateLookup<ReadOnlySpan<char>> _nodesBySpan;
    private IServiceProvider? _services;
    private ICustomMessageSender? _sender;
    private volatile bool _stopped;

    public CustomMessageDispatcher(IReadOnlyCollection<MessageHandlerEntry> handlers, ILogger logger, int maxMessagesPerPeer, long maxBytesPerPeer)
    {
        _handlers = handlers.ToDictionary(h => h.MessageType);
        _logger = logger;
        _maxMessages = maxMessagesPerPeer;
        _maxBytes = maxBytesPerPeer;
        _peersBySpan = _peers.GetAlternateLookup<ReadOnlySpan<char>>();
        _nodesBySpan = _nodes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The handled message types.</summary>
    public IEnumerable<ushort> HandledTypes => _handlers.Keys;

    public bool HasHandlers => _handlers.Count > 0;

    /// <summary>Supplies the services handlers run with; called once the host is built.</summary>
    public void Attach(IServiceProvider services, ICustomMessageSender sender)
    {
        _services = services;
        _sender = sender;
        if (HasHandlers)
        {
            // The first node id parsed builds NBitcoin's secp256k1 context: ~90 ms of CPU that would
            // otherwise stall the stdin loop (and every hook answer behind it) at the first custom
            // message. Build it now, off the loop; a message that comes sooner waits for it as before.
            _ = Task.Run(WarmUpNodeIds);
        }
    }

    /// <summary>A valid compressed point (the secp256k1 generator), parsed once to build the curve context.</summary>
    private static void WarmUpNodeIds()
    {
        try
        {
            _ = PubKey.TryCreatePubKey(Convert.FromHexString("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"), out _);
        }
        catch (Exception)
        {
            // Only a warm-up: the real parse reports its own failures.
        }
    }

    /// <summary>
    /// Starts the drains of the peers that received messages since the last call. The stdin loop
    /// calls it once per read, so a burst costs one task start per peer, not one per message.
    /// Only the stdin loop calls <see cref="Enqueue"/> and this method.
    /// </summary>
    public void StartPending()
    {
        foreach (var queue in _toStart)
        {
            queue.Start(this);
        }

        _toStart.Clear();
    }

    /// <summary>Queues a message from the hook. Never throws, never blocks. Handling starts at the next <see cref="StartPending"/>.</summary>
    /// <param name="peerIdUtf8">The <c>peer_id</c> hex, as UTF-8.</param>
    /// <param name="payload">The decoded payload (type included).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Enqueue(ReadOnlySpan<byte> peerIdUtf8, byte[] payload)
    {
        if (_stopped)
        {
            return;
        }

        if (payload.Length < 2)
        {
            Log.PayloadTooShort(_logger, Encoding.ASCII.GetString(peerIdUtf8), payload.Length);
            return;
        }

        if (payload.Length > MaxMessageLength)
        {
            Log.PayloadTooLong(_logger, Encoding.ASCII.GetString(peerIdUtf8), payload.Length);
            return;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(payload);
        MessageHandlerEntry? handler;
        if (type == _lastType && _lastHandler is not null)
        {
            handler = _lastHandler;
        }
        else if (_handlers.TryGetValue(type, out handler))
        {
            _lastType = type;
            _lastHandler = handler;
        }
        else
        {
            // Quietly: CLN's own peer_storage (type 7) reaches every unfiltered hook, and lightningd
            // before v25.12 ignores filters altogether.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                Log.Unhandled(_logger, type, Encoding.ASCII.GetString(peerIdUtf8));
            }

            return;
        }

        if (peerIdUtf8.Length != 66)
        {
            Log.MalformedHook(_logger, $"peer_id has {peerIdUtf8.Length} characters, not 66");
            return;
        }

        // Bursts come from one peer: its queue is kept at hand while it lives (a retired queue
        // answers Retired below, and the lookup then opens a new one).
        if (_lastQueue is not null && SameNodeId(peerIdUtf8, _lastPeer))
        {
            switch (_lastQueue.Enqueue(this, handler, payload))
            {
                case EnqueueResult.Start:
                    _toStart.Add(_lastQueue);
                    return;
                case EnqueueResult.Retired:
                    _lastQueue = null;
                    break;
                default:
                    return;
            }
        }

        Span<char> chars = stackalloc char[66];
        for (int i = 0; i < 66; i++)
        {
            chars[i] = (char)peerIdUtf8[i];
        }

        while (true)
        {
            if (!_peersBySpan.TryGetValue(chars, out var queue))
            {
                if (!TryGetNode(chars, out var key, out var pubKey))
                {
                    return;
                }

                // Only this thread adds queues, so the key is absent here: a drain may remove its
                // own queue at any time, never add one.
                queue = _peers.GetOrAdd(key, static (k, state) => new PeerQueue(k, state), pubKey);
            }

            var result = queue.Enqueue(this, handler, payload);
            if (result == EnqueueResult.Retired)
            {
                // Its drain emptied and removed it just now: this message opens a fresh queue
                // (the old one runs nothing any more, so order is kept).
                continue;
            }

            peerIdUtf8.CopyTo(_lastPeer);
            _lastQueue = queue;
            if (result == EnqueueResult.Start)
            {
                _toStart.Add(queue);
            }

            return;
        }
    }

    // The last message type and peer seen by Enqueue (the stdin loop only).
    private ushort _lastType;
    private MessageHandlerEntry? _lastHandler;
    private readonly byte[] _lastPeer = new byte[66];
    private PeerQueue? _lastQueue;

    /// <summary>Whether two 66-byte node ids are equal: five 16-byte compares, the last overlapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SameNodeId(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        Vector128.Create(a[..16]) == Vector128.Create(b[..16])
        && Vector128.Create(a.Slice(16, 16)) == Vector128.Create(b.Slice(16, 16))
        && Vector128.Create(a.Slice(32, 16)) == Vector128.Create(b.Slice(32, 16))
        && Vector128.Create(a.Slice(48, 16)) == Vector128.Create(b.Slice(48, 16))
        && Vector128.Create(a.Slice(50, 16)) == Vector128.Create(b.Slice(50, 16));

    /// <summary>
    /// The node id of a <c>peer_id</c>, parsed once and then cached: a peer's queue is retired each
    /// time its drain empties it, and parsing a public key (a curve check) costs microseconds per new
    /// queue. Bounded: past <see cref="MaxCachedNodes"/> peers the cache starts over. Only the stdin
    /// loop calls this.
    /// </summary>
    private bool TryGetNode(ReadOnlySpan<char> hex, out string key, out PubKey pubKey)
    {
        if (_nodesBySpan.TryGetValue(hex, out key!, out pubKey!))
        {
            return true;
        }

        key = new string(hex);
        if (!Hex.IsValid(key) || !PubKey.TryCreatePubKey(Convert.FromHexString(key), out pubKey!))
        {
            Log.MalformedHook(_logger, $"peer_id '{key}' is not a valid node id");
            return false;
        }

        if (_nodes.Count >= MaxCachedNodes)
        {
            _nodes.Clear();
        }

        _nodes[key] = pubKey;
        return true;
    }

    /// <summary>How many parsed node ids <see cref="TryGetNode"/> keeps.</summary>
    internal const int MaxCachedNodes = 4096;

    /// <summary>The peers with a queue (messages waiting or a drain running); idle peers have none.</summary>
    internal int PeerCount => _peers.Count;

    private enum EnqueueResult
    {
        Queued,
        Start,
        Dropped,
        Retired,
    }

    /// <summary>
    /// Refuses new messages, lets queued ones run for up to <paramref name="grace"/>, then cancels the
    /// handlers' token and abandons whatever still runs shortly after.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopped = true;
        var running = Task.WhenAll(_peers.Values.Select(p => p.Running).OfType<Task>().ToArray());
        try
        {
            await running.WaitAsync(grace).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.WaitAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.HandlersAbandoned(_logger);
        }
    }

    /// <summary>Cancels the handlers' token now.</summary>
    public void Cancel() => _stopping.Cancel();

    private sealed class PeerQueue(string peerHex, PubKey peer)
    {
        private readonly Queue<(MessageHandlerEntry Handler, byte[] Payload)> _items = new();
        private long _bytes;
        private long _dropped;
        private bool _draining;

        public Task? Running { get; private set; }

        private bool _retired;

        /// <summary>Queues the message; says whether the caller must <see cref="Start"/> the drain, or use a new queue.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public EnqueueResult Enqueue(CustomMessageDispatcher owner, MessageHandlerEntry handler, byte[] payload)
        {
            bool start = false;
            long dropped = 0;
            lock (_items)
            {
                if (_retired)
                {
                    return EnqueueResult.Retired;
                }

                if (_items.Count >= owner._maxMessages || _bytes + payload.Length > owner._maxBytes)
                {
                    dropped = ++_dropped;
                }
                else
                {
                    _items.Enqueue((handler, payload));
                    _bytes += payload.Length;
                    if (!_draining)
                    {
                        _draining = true;
                        start = true;
                    }
                }
            }

            if (dropped != 0)
            {
                // First drop, then every 1,000th: enough to see a flood without flooding the log.
                if (dropped == 1 || dropped % 1000 == 0)
                {
                    Log.QueueFull(owner._logger, peerHex, dropped, owner._maxMessages, owner._maxBytes);
                }

                return EnqueueResult.Dropped;
            }

            return start ? EnqueueResult.Start : EnqueueResult.Queued;
        }

        public void Start(CustomMessageDispatcher owner) => Running = Task.Run(() => DrainAsync(owner));

        /// <summary>
        /// Handles the queue until it is empty. Handlers that complete synchronously (the usual case)
        /// run in a plain loop; only a handler that really goes asynchronous costs an await.
        /// </summary>
        private async Task DrainAsync(CustomMessageDispatcher owner)
        {
            while (true)
            {
                var pending = DrainSynchronously(owner, out var item);
                if (item.Handler is null)
                {
                    return;
                }

                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    HandlerFailed(owner, item, ex);
                }
            }
        }

        /// <summary>
        /// Runs queued messages in order until the queue is empty (then retires it and returns a default
        /// item) or a handler returns an unfinished task (returned with its item, for the caller to await).
        /// Compiled fully optimized at once: it runs for every message from the first burst on.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ValueTask DrainSynchronously(CustomMessageDispatcher owner, out (MessageHandlerEntry Handler, byte[] Payload) item)
        {
            var token = owner._stopping.Token;
            while (true)
            {
                lock (_items)
                {
                    if (_items.Count == 0 || token.IsCancellationRequested)
                    {
                        _items.Clear();
                        _bytes = 0;
                        _draining = false;

                        // Drained and idle: forget the peer, so a node that meets many peers over
                        // weeks keeps no queue per peer. A message that raced with this sees
                        // _retired and opens a new queue.
                        _retired = true;
                        owner._peers.TryRemove(new KeyValuePair<string, PeerQueue>(peerHex, this));
                        item = default;
                        return ValueTask.CompletedTask;
                    }

                    item = _items.Dequeue();
                    _bytes -= item.Payload.Length;
                }

                try
                {
                    var running = item.Handler.InvokeAsync(owner._services!, owner._sender!, peer, item.Payload, owner._logger, token);
                    if (!running.IsCompleted)
                    {
                        return running;
                    }

                    running.GetAwaiter().GetResult();
                }
                catch (Exception ex)
                {
                    HandlerFailed(owner, item, ex);
                }
            }
        }

        private void HandlerFailed(CustomMessageDispatcher owner, (MessageHandlerEntry Handler, byte[] Payload) item, Exception ex)
        {
            if (ex is OperationCanceledException && owner._stopping.IsCancellationRequested)
            {
                // Stopping.
                return;
            }

            Log.Unexpected(owner._logger, ex, item.Handler.MessageName, (l, type, message) => Log.HandlerFailed(l, item.Handler.MessageName, item.Handler.MessageType, peer, type, message));
        }
    }
}
