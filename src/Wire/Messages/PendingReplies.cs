using System.Collections.Concurrent;
using System.Security.Cryptography;
using NBitcoin;

namespace Cln.ProtocolExtensions;

/// <summary>
/// Request/response over custom messages: gives each request a random 64-bit id, waits for the reply
/// that carries the same id from the same peer, and gives up after a timeout.
/// </summary>
/// <typeparam name="TReply">The reply message type.</typeparam>
/// <remarks>
/// <para>
/// Custom messages are one-way and best effort; a protocol that needs answers puts an id in both the
/// request and the reply. Call <see cref="SendAsync"/> to send a request carrying a fresh id, and call
/// <see cref="TryComplete"/> from the reply's message handler. Register one instance per reply type as a
/// singleton so the handler and the caller share it.
/// </para>
/// <para>
/// Ids are random rather than counted so that a restarted plugin never mistakes an old reply for the
/// answer to a new request. The waiter is registered before the request is sent, so a reply that
/// arrives before the send returns is not lost. A reply nobody waits for (unknown id, timed out, or
/// from another peer) is dropped. The type is thread-safe.
/// </para>
/// </remarks>
public sealed class PendingReplies<TReply>
{
    private readonly ConcurrentDictionary<ulong, Waiter> _waiting = new();
    private readonly TimeProvider _time;

    private sealed record Waiter(PubKey Peer, TaskCompletionSource<TReply> Reply);

    /// <summary>Creates an empty table.</summary>
    /// <param name="timeProvider">The clock for timeouts; <see cref="TimeProvider.System"/> by default.</param>
    public PendingReplies(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>The number of requests waiting for a reply.</summary>
    public int Count => _waiting.Count;

    /// <summary>
    /// Picks a fresh id, sends the request through <paramref name="send"/> and waits for its reply.
    /// </summary>
    /// <param name="peer">The peer the request goes to; only its reply counts.</param>
    /// <param name="send">Sends the request carrying the given id.</param>
    /// <param name="timeout">
    /// How long to wait for the reply after sending: positive, or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (and not infinite).</exception>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <remarks>Whatever happens, the id is forgotten when this returns; an exception from <paramref name="send"/> propagates.</remarks>
    public async Task<TReply> SendAsync(PubKey peer, Func<ulong, CancellationToken, Task> send, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(send);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        var waiter = new Waiter(peer, new TaskCompletionSource<TReply>(TaskCreationOptions.RunContinuationsAsynchronously));
        ulong id;
        do
        {
            id = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        }
        while (!_waiting.TryAdd(id, waiter)); // registered before sending: the reply can be fast

        try
        {
            await send(id, cancellationToken).ConfigureAwait(false);
            return await waiter.Reply.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no reply from {peer} within {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>Hands a reply to the request waiting for it.</summary>
    /// <param name="peer">The peer the reply came from.</param>
    /// <param name="id">The id the reply carries.</param>
    /// <param name="reply">The reply.</param>
    /// <returns><see langword="false"/> if no request to this peer waits for that id (the reply is dropped).</returns>
    public bool TryComplete(PubKey peer, ulong id, TReply reply)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return _waiting.TryGetValue(id, out Waiter? waiter)
            && waiter.Peer == peer
            && waiter.Reply.TrySetResult(reply);
    }
}
