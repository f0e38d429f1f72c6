using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lsps0.Protocol;

/// <summary>A notification an LSP sent to this client.</summary>
/// <param name="PeerId">The LSP's node id.</param>
/// <param name="Method">The notification's method name.</param>
/// <param name="Params">Its by-name parameters (a copy that outlives the message).</param>
public sealed record Lsps0Notification(string PeerId, string Method, JsonElement Params);

/// <summary>
/// The client role of LSPS0 (bLIP-0050): sends JSON-RPC 2.0 requests to an LSP over messages of type
/// 37913 and matches the responses to them by id.
/// </summary>
/// <remarks>
/// Ids are 128 random bits from a cryptographically secure source. A request waits at most
/// <see cref="RequestTimeout"/>, then its id is forgotten. A response with an id this client does not
/// remember (or from another peer than the one asked) is ignored. A malformed message from a peer
/// is ignored and stops all requests to that peer until <see cref="OnPeerDisconnected"/> is called.
/// </remarks>
public sealed class Lsps0Client
{
    private readonly Lsps0Sender _send;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _stopped = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Pending(string PeerId, string Method, TaskCompletionSource<JsonElement> Completion);

    /// <summary>Creates the client.</summary>
    /// <param name="send">Sends a payload to a peer as a message of type 37913.</param>
    /// <param name="requestTimeout">How long to wait for a response; defaults to <see cref="Lsps0Constants.DefaultRequestTimeout"/>.</param>
    /// <param name="timeProvider">The clock for timeouts; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Receives the unusual events the spec asks to log.</param>
    public Lsps0Client(Lsps0Sender send, TimeSpan? requestTimeout = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(send);
        TimeSpan timeout = requestTimeout ?? Lsps0Constants.DefaultRequestTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(requestTimeout));
        _send = send;
        RequestTimeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How long a request waits for its response.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The number of requests waiting for a response.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Raised for each well-formed notification from an LSP. Unknown ones are yours to ignore.</summary>
    public event Action<Lsps0Notification>? NotificationReceived;

    /// <summary>Whether this client has stopped talking to the peer after a malformed message.</summary>
    public bool IsStopped(string peerId) => _stopped.ContainsKey(peerId);

    /// <summary>
    /// Asks an LSP which LSPS specifications it supports besides LSPS0 (<c>lsps0.list_protocols</c>).
    /// </summary>
    /// <exception cref="Lsps0RemoteErrorException">The LSP answered with an error.</exception>
    /// <exception cref="TimeoutException">No response within <see cref="RequestTimeout"/>.</exception>
    /// <exception cref="Lsps0PeerStoppedException">The peer sent a malformed message in this session.</exception>
    /// <exception cref="InvalidDataException">The result does not have the shape bLIP-0050 defines.</exception>
    public async Task<IReadOnlyList<int>> ListProtocolsAsync(string peerId, CancellationToken cancellationToken = default)
    {
        JsonElement result = await CallAsync(peerId, Lsps0Constants.ListProtocolsMethod, null, cancellationToken).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty("protocols"u8, out JsonElement protocols)
            || protocols.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("lsps0.list_protocols: the result has no 'protocols' array");
        }

        var list = new List<int>();
        foreach (JsonElement item in protocols.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int number))
            {
                throw new InvalidDataException("lsps0.list_protocols: 'protocols' holds something other than integers");
            }

            // 0 MUST NOT appear; an LSP that lists it anyway still supports LSPS0, so drop it quietly.
            if (number > 0 && !list.Contains(number))
            {
                list.Add(number);
            }
        }

        // Other keys of the result are ignored, as clients MUST.
        return list;
    }

    /// <summary>Sends a request with by-name parameters and waits for its result.</summary>
    /// <param name="peerId">The LSP's node id.</param>
    /// <param name="method">The method, e.g. <c>lsps1.get_info</c>.</param>
    /// <param name="parameters">The parameters; <see langword="null"/> sends <c>{}</c>.</param>
    /// <param name="cancellationToken">Stops waiting (the id is then forgotten).</param>
    /// <returns>The <c>result</c> member, copied so that it outlives the message.</returns>
    /// <exception cref="Lsps0RemoteErrorException">The LSP answered with an error.</exception>
    /// <exception cref="TimeoutException">No response within <see cref="RequestTimeout"/>.</exception>
    /// <exception cref="Lsps0PeerStoppedException">The peer sent a malformed message in this session.</exception>
    public async Task<JsonElement> CallAsync(string peerId, string method, JsonObject? parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (IsStopped(peerId))
        {
            throw new Lsps0PeerStoppedException(peerId);
        }

        string id = NewId();
        byte[] payload = Lsps0Envelope.WriteRequest(id, method, parameters);
        if (payload.Length > Lsps0Constants.MaxPayloadLength)
        {
            throw new ArgumentException($"The request is {payload.Length} bytes, more than a message can carry.", nameof(parameters));
        }

        var pending = new Pending(peerId, method, new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        // Registered before sending: the response may arrive before the send returns.
        _pending[id] = pending;
        try
        {
            await _send(peerId, payload, cancellationToken).ConfigureAwait(false);
            return await pending.Completion.Task.WaitAsync(RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method}: no response from {peerId} within {RequestTimeout}");
        }
        finally
        {
            // Answered, timed out, cancelled or never sent: the id is forgotten either way.
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Handles one incoming message of type 37913 from a peer.</summary>
    /// <param name="peerId">The sender's node id.</param>
    /// <param name="payload">The message body, without the 2-byte type.</param>
    public void HandleMessage(string peerId, ReadOnlyMemory<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        if (!Lsps0Payload.TryParse(payload, out JsonDocument? document, out string? reason))
        {
            BadMessage(peerId, reason);
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (Lsps0Envelope.TryReadResponse(root, out ResponseEnvelope response, out string responseReason))
            {
                Complete(peerId, response);
            }
            else if (Lsps0Envelope.TryReadNotification(root, out NotificationEnvelope notification, out string notificationReason))
            {
                Notify(peerId, notification);
            }
            else
            {
                BadMessage(peerId, root.TryGetProperty("method"u8, out _) ? notificationReason : responseReason);
            }
        }
    }

    /// <summary>
    /// Tells the client the peer disconnected: it may be sent requests again once it reconnects, and
    /// requests waiting on it fail now (their responses can no longer arrive).
    /// </summary>
    public void OnPeerDisconnected(string peerId)
    {
        if (_stopped.TryRemove(peerId, out _))
        {
            _logger.LogInformation("{Peer} disconnected: LSPS0 requests to it are allowed again once it reconnects", peerId);
        }

        foreach ((string id, Pending pending) in _pending)
        {
            if (string.Equals(pending.PeerId, peerId, StringComparison.OrdinalIgnoreCase) && _pending.TryRemove(id, out _))
            {
                pending.Completion.TrySetException(new IOException($"{pending.Method}: peer {peerId} disconnected before responding"));
            }
        }
    }

    /// <summary>A fresh request id: 128 bits from a cryptographically secure source, as 32 hex characters.</summary>
    internal static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private void Complete(string peerId, ResponseEnvelope response)
    {
        string? id = response.Id.ValueKind == JsonValueKind.String ? response.Id.GetString() : null;
        if (id is null || !_pending.TryGetValue(id, out Pending? pending)
            || !string.Equals(pending.PeerId, peerId, StringComparison.OrdinalIgnoreCase))
        {
            // MUST ignore a response whose id it does not remember sending (to this peer).
            _logger.LogInformation("Ignoring an LSPS0 response from {Peer} with unknown id {Id}", peerId, response.Id.GetRawText());
            return;
        }

        _pending.TryRemove(id, out _);
        if (response.Error is { } error)
        {
            _logger.LogDebug("LSPS0 error from {Peer} for {Method}: {Code} {Message}", peerId, pending.Method, error.Code, error.SafeMessage);
            pending.Completion.TrySetException(new Lsps0RemoteErrorException(pending.Method, error));
        }
        else
        {
            pending.Completion.TrySetResult(response.Result.Clone());
        }
    }

    private void Notify(string peerId, NotificationEnvelope notification)
    {
        Action<Lsps0Notification>? handlers = NotificationReceived;
        if (handlers is null)
        {
            _logger.LogInformation("Ignoring LSPS0 notification {Method} from {Peer}", notification.Method, peerId);
            return;
        }

        handlers(new Lsps0Notification(peerId, notification.Method, notification.Params.Clone()));
    }

    private void BadMessage(string peerId, string reason)
    {
        // MUST ignore the message, SHOULD log it, SHOULD NOT send further messages on this connection.
        _stopped.TryAdd(peerId, 0);
        _logger.LogWarning("Bad LSPS0 message from {Peer}, no more requests to it until it reconnects: {Reason}", peerId, reason);
    }
}
