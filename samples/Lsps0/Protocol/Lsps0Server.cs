using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lsps0.Protocol;

/// <summary>Sends one LSPS0 payload (the JSON, without the 2-byte message type) to a peer.</summary>
/// <param name="peerId">The peer's node id, 66 hex characters.</param>
/// <param name="payload">The UTF-8 JSON object.</param>
/// <param name="cancellationToken">Cancels the send.</param>
public delegate Task Lsps0Sender(string peerId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

/// <summary>A request the LSP is answering.</summary>
/// <param name="PeerId">The client's node id.</param>
/// <param name="Method">The method name.</param>
/// <param name="Params">The by-name parameters: always an object (empty when the client sent none).</param>
public sealed record Lsps0Request(string PeerId, string Method, JsonElement Params);

/// <summary>Answers one method. Throw <see cref="Lsps0ErrorException"/> to answer with an error.</summary>
/// <returns>The <c>result</c> object.</returns>
public delegate ValueTask<JsonObject> Lsps0MethodHandler(Lsps0Request request, CancellationToken cancellationToken);

/// <summary>
/// The LSP role of LSPS0 (bLIP-0050): a JSON-RPC 2.0 server over messages of type 37913. It answers
/// <c>lsps0.list_protocols</c> itself and dispatches other methods to the handlers you map.
/// </summary>
/// <remarks>
/// What it enforces: bad payloads are answered with <c>-32700</c> and <c>"id": null</c> and otherwise
/// ignored; unknown methods get <c>-32601</c>; parameters a method does not declare get <c>-32602</c>
/// with <c>data.unrecognized</c>; a handler's unexpected exception becomes <c>-32603</c> without its
/// text. It never sends a notification to a peer that has not sent it an LSPS0 message first.
/// </remarks>
public sealed class Lsps0Server
{
    private readonly Lsps0Sender _send;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Method> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _knownClients = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Method(HashSet<string> Parameters, Lsps0MethodHandler Handler);

    /// <summary>Creates the server.</summary>
    /// <param name="send">Sends a payload to a peer as a message of type 37913.</param>
    /// <param name="protocols">The LSPS numbers to list in <c>lsps0.list_protocols</c>, without 0.</param>
    /// <param name="logger">Receives the unusual events the spec asks to log.</param>
    public Lsps0Server(Lsps0Sender send, IEnumerable<int> protocols, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(protocols);
        int[] list = protocols.Distinct().Order().ToArray();
        if (list.Any(p => p <= 0))
        {
            // bLIP-0050: "0 MUST NOT appear in the protocols array"; negative numbers name nothing.
            throw new ArgumentException("LSPS protocol numbers are positive; LSPS0 itself is never listed.", nameof(protocols));
        }

        _send = send;
        _logger = logger ?? NullLogger.Instance;
        Protocols = list;
        MapMethod(Lsps0Constants.ListProtocolsMethod, [], (_, _) =>
        {
            var array = new JsonArray();
            foreach (int p in Protocols)
            {
                array.Add((JsonNode)JsonValue.Create(p));
            }

            return ValueTask.FromResult(new JsonObject { ["protocols"] = array });
        });
    }

    /// <summary>The LSPS numbers this LSP supports besides LSPS0, in ascending order.</summary>
    public IReadOnlyList<int> Protocols { get; }

    /// <summary>Adds (or replaces) a method.</summary>
    /// <param name="method">The method name, e.g. <c>lsps1.get_info</c>.</param>
    /// <param name="parameters">Every parameter name the method accepts; any other name is refused with <c>-32602</c>.</param>
    /// <param name="handler">Computes the result.</param>
    public void MapMethod(string method, IEnumerable<string> parameters, Lsps0MethodHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(handler);
        _methods[method] = new Method(new HashSet<string>(parameters, StringComparer.Ordinal), handler);
    }

    /// <summary>
    /// Whether the peer has ever sent this LSP a message of type 37913 (since this process started).
    /// Only such peers may receive notifications.
    /// </summary>
    public bool IsKnownClient(string peerId) => _knownClients.ContainsKey(peerId);

    /// <summary>Handles one incoming message of type 37913 and sends the response, if any.</summary>
    /// <param name="peerId">The sender's node id.</param>
    /// <param name="payload">The message body, without the 2-byte type.</param>
    /// <param name="cancellationToken">Cancels the handler and the send.</param>
    public async Task HandleMessageAsync(string peerId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        _knownClients.TryAdd(peerId, 0);

        byte[] response;
        if (!Lsps0Payload.TryParse(payload, out JsonDocument? document, out string? reason))
        {
            response = BadMessage(peerId, reason);
        }
        else
        {
            using (document)
            {
                if (!Lsps0Envelope.TryReadRequest(document.RootElement, out RequestEnvelope request, out reason))
                {
                    response = BadMessage(peerId, reason);
                }
                else
                {
                    response = await AnswerAsync(peerId, request, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await SendAsync(peerId, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a notification (by-name parameters) if the peer is a known LSPS client; otherwise sends
    /// nothing, as bLIP-0050 asks.
    /// </summary>
    /// <returns><see langword="true"/> if the notification was sent.</returns>
    public async Task<bool> TrySendNotificationAsync(string peerId, string method, JsonObject parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!IsKnownClient(peerId))
        {
            _logger.LogDebug("Not notifying {Peer} of {Method}: it never sent an LSPS0 message", peerId, method);
            return false;
        }

        byte[] payload = Lsps0Envelope.WriteNotification(method, parameters);
        if (payload.Length > Lsps0Constants.MaxPayloadLength)
        {
            throw new ArgumentException($"The notification is {payload.Length} bytes, more than a message can carry.", nameof(parameters));
        }

        await _send(peerId, payload, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private byte[] BadMessage(string peerId, string reason)
    {
        _logger.LogWarning("Bad LSPS0 message from {Peer}: {Reason}", peerId, reason);
        return Lsps0Envelope.WriteError(null, Lsps0ErrorCodes.ParseError, "Parse error", null);
    }

    private async Task<byte[]> AnswerAsync(string peerId, RequestEnvelope request, CancellationToken cancellationToken)
    {
        JsonElement id = request.Id;
        if (!_methods.TryGetValue(request.Method, out Method? method))
        {
            return Lsps0Envelope.WriteError(id, Lsps0ErrorCodes.MethodNotFound, "Method not found", null);
        }

        if (request.Params.ValueKind == JsonValueKind.Array)
        {
            // LSPS0 clients MUST use by-name parameters. No name is unrecognized, so the list is empty.
            return Error(id, Lsps0ErrorException.InvalidParams([], "Invalid params: LSPS0 takes parameters by name"));
        }

        JsonElement parameters = request.Params.ValueKind == JsonValueKind.Object ? request.Params : EmptyObject();
        List<string> unrecognized = [];
        foreach (JsonProperty property in parameters.EnumerateObject())
        {
            if (!method.Parameters.Contains(property.Name))
            {
                unrecognized.Add(property.Name);
            }
        }

        if (unrecognized.Count > 0)
        {
            return Error(id, Lsps0ErrorException.InvalidParams(unrecognized));
        }

        JsonObject result;
        try
        {
            // A copy: the handler may keep the parameters after the message's buffer is returned.
            result = await method.Handler(new Lsps0Request(peerId, request.Method, parameters.Clone()), cancellationToken).ConfigureAwait(false);
        }
        catch (Lsps0ErrorException ex)
        {
            return Error(id, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Method} failed for {Peer}", request.Method, peerId);
            return Lsps0Envelope.WriteError(id, Lsps0ErrorCodes.InternalError, "Internal error", null);
        }

        byte[] payload = Lsps0Envelope.WriteResult(id, result);
        if (payload.Length > Lsps0Constants.MaxPayloadLength)
        {
            _logger.LogError("{Method} result is {Length} bytes, more than a message can carry", request.Method, payload.Length);
            return Lsps0Envelope.WriteError(id, Lsps0ErrorCodes.InternalError, "Internal error", null);
        }

        return payload;
    }

    private static byte[] Error(JsonElement id, Lsps0ErrorException error) =>
        Lsps0Envelope.WriteError(id, error.Code, error.Message, error.ErrorData);

    private static JsonElement EmptyObject()
    {
        using JsonDocument empty = JsonDocument.Parse("{}"u8.ToArray());
        return empty.RootElement.Clone();
    }

    private async Task SendAsync(string peerId, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await _send(peerId, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The client treats a lost response like a timeout; nothing else to do here.
            _logger.LogWarning(ex, "Could not send the LSPS0 response to {Peer}", peerId);
        }
    }
}
