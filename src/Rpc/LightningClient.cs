using Cln.ProtocolExtensions.Rpc.Json;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NBitcoin;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// The lightning-rpc client on StreamJsonRpc: <see cref="NewLineDelimitedMessageHandler"/> with
/// <see cref="SystemTextJsonFormatter"/> (<see cref="LightningdJsonFormatter"/>: strings escaped as lightningd does; lightningd ends each answer with "\n\n", the handler skips
/// the blank line), one connection for every call, requests pipelined, answers read continuously.
/// </summary>
internal sealed class LightningClient : ILightningClient, ICustomMessageSender, IAsyncDisposable
{
    /// <summary>The longest message: 65,535 bytes, type included (BOLT #1; lightningd does not check).</summary>
    public const int MaxMessageLength = 65535;

    private readonly string _idPrefix;
    private readonly Func<CancellationToken, Task<string>> _socketPath;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ClnJsonRpc? _rpc;
    private bool _disposed;
    private LightningdVersion? _version;

    /// <summary>Creates the client; nothing is opened until the first call.</summary>
    /// <param name="idPrefix">The first part of every request id (the plugin's name): <c>&lt;prefix&gt;:&lt;method&gt;#&lt;n&gt;</c>.</param>
    /// <param name="socketPath">
    /// Gives the lightning-rpc socket's path once it is known (the plugin runtime completes it at
    /// <c>init</c>); every call waits for it.
    /// </param>
    public LightningClient(string idPrefix, Func<CancellationToken, Task<string>> socketPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idPrefix);
        ArgumentNullException.ThrowIfNull(socketPath);
        _idPrefix = idPrefix;
        _socketPath = socketPath;
    }

    public async Task<TResponse> CallAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        JsonTypeInfo<TRequest> requestTypeInfo,
        JsonTypeInfo<TResponse> responseTypeInfo,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(requestTypeInfo);
        ArgumentNullException.ThrowIfNull(responseTypeInfo);
        var parameters = JsonSerializer.SerializeToElement(request, requestTypeInfo);
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"The parameters of '{method}' must serialize to a JSON object, not {parameters.ValueKind}.", nameof(request));
        }

        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in parameters.EnumerateObject())
        {
            args[property.Name] = property.Value;
        }

        if (method == "sendcustommsg")
        {
            ValidateSendCustomMessageParameters(
                parameters.TryGetProperty("node_id", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null,
                parameters.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                nameof(request));
        }

        var result = await InvokeAsync(method, args, cancellationToken).ConfigureAwait(false);
        try
        {
            return result.Deserialize(responseTypeInfo)
                ?? throw new JsonException($"'{method}' answered null.");
        }
        catch (JsonException ex)
        {
            throw new ClnRpcResponseException(method, ex);
        }
    }

    public async ValueTask<LightningdVersion> GetLightningdVersionAsync(CancellationToken cancellationToken = default)
    {
        if (_version is { } known)
        {
            return known;
        }

        var version = LightningdVersion.TryParse(Environment.GetEnvironmentVariable("LIGHTNINGD_VERSION"), out var fromEnvironment)
            ? fromEnvironment
            : LightningdVersion.Parse((await ((ILightningClient)this).GetInfoAsync(cancellationToken).ConfigureAwait(false)).Version);
        _version = version;
        return version;
    }

    public async Task<string> SendCustomMessageAsync(PubKey peerId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ValidateMessageLength(message.Length, nameof(message));
        var args = new Dictionary<string, object?>
        {
            ["node_id"] = peerId.ToHex(),
            ["msg"] = Convert.ToHexStringLower(message.Span),
        };
        var result = await InvokeAsync("sendcustommsg", args, cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Object && result.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()!
            : string.Empty;
    }

    public Task SendAsync<TMessage>(PubKey peerId, TMessage message, CancellationToken cancellationToken = default)
        where TMessage : ICustomMessage
    {
        ArgumentNullException.ThrowIfNull(peerId);
        ArgumentNullException.ThrowIfNull(message);
        int length = message.GetEncodedLength();
        ValidateMessageLength(length, nameof(message));
        var buffer = new byte[length];
        int written = message.WriteTo(buffer);
        if (written != length)
        {
            throw new InvalidOperationException($"{typeof(TMessage).Name}.WriteTo wrote {written} bytes but GetEncodedLength said {length}.");
        }

        return SendCustomMessageAsync(peerId, buffer, cancellationToken);
    }

    public Task SendRawAsync(PubKey peerId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SendCustomMessageAsync(peerId, message, cancellationToken);

    public Task SendRawAsync(PubKey peerId, ushort messageType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ValidateMessageLength(body.Length + 2, nameof(body));
        var message = new byte[body.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(message, messageType);
        body.Span.CopyTo(message.AsSpan(2));
        return SendCustomMessageAsync(peerId, message, cancellationToken);
    }

    public async Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (parameters is not null)
        {
            foreach (var (name, value) in parameters)
            {
                args[name] = value?.DeepClone();
            }
        }

        if (method == "sendcustommsg")
        {
            ValidateSendCustomMessageParameters(parameters);
        }

        return await InvokeAsync(method, args, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonElement> CallPositionalAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(parameters);
        var args = new object?[parameters.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = parameters[i]?.DeepClone();
        }

        if (method == "sendcustommsg")
        {
            ValidateSendCustomMessageParameters(
                parameters.Count > 0 && parameters[0] is JsonValue n && n.TryGetValue<string>(out var ns) ? ns : null,
                parameters.Count > 1 && parameters[1] is JsonValue m && m.TryGetValue<string>(out var ms) ? ms : null,
                nameof(parameters));
        }

        return await InvokeAsync(method, args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a raw <c>sendcustommsg</c> before it can reach lightningd (v26.06.6 crashes on malformed hex).</summary>
    internal static void ValidateSendCustomMessageParameters(JsonObject? parameters) =>
        ValidateSendCustomMessageParameters(
            parameters?["node_id"] is JsonValue n && n.TryGetValue<string>(out var ns) ? ns : null,
            parameters?["msg"] is JsonValue m && m.TryGetValue<string>(out var ms) ? ms : null,
            nameof(parameters));

    private static void ValidateSendCustomMessageParameters(string? nodeId, string? msg, string parameterName)
    {
        if (nodeId is null || nodeId.Length != 66 || !Json.JsonText.IsHex(nodeId))
        {
            throw new ArgumentException("sendcustommsg needs 'node_id': a 33-byte node id as 66 hex characters.", parameterName);
        }

        if (msg is null || msg.Length % 2 != 0 || !Json.JsonText.IsHex(msg))
        {
            throw new ArgumentException("sendcustommsg needs 'msg': the message as an even number of hex characters (type included).", parameterName);
        }

        ValidateMessageLength(msg.Length / 2, parameterName);
    }

    internal static void ValidateMessageLength(int length, string parameterName)
    {
        if (length < 2)
        {
            throw new ArgumentException($"A custom message needs at least its 2-byte type; got {length} byte(s).", parameterName);
        }

        if (length > MaxMessageLength)
        {
            throw new ArgumentException($"A custom message is at most {MaxMessageLength} bytes, type included; got {length}.", parameterName);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _rpc?.Dispose();
            _rpc = null;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Sends <paramref name="args"/> as <c>params</c>: a dictionary as an object (by name), an array as an array (by position).</summary>
    private async Task<JsonElement> InvokeAsync(string method, object args, CancellationToken cancellationToken)
    {
        var rpc = await GetConnectionAsync(method, cancellationToken).ConfigureAwait(false);
        try
        {
            return await rpc.InvokeAsync(method, args, cancellationToken).ConfigureAwait(false);
        }
        catch (RemoteInvocationException ex)
        {
            throw MapError(method, ex.ErrorCode, ex.Message, ex.ErrorData);
        }
        catch (RemoteMethodNotFoundException ex)
        {
            throw MapError(method, (int)ex.ErrorCode, ex.Message, ex.ErrorData);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or IOException or SocketException)
        {
            Reset(rpc);
            throw new ClnRpcConnectionException(method, $"The lightning-rpc connection closed during '{method}'.", ex);
        }
    }

    internal static ClnRpcException MapError(string method, int code, string message, object? data)
    {
        string? dataJson = data switch
        {
            null => null,
            JsonElement e => e.GetRawText(),
            _ => data.ToString(),
        };
        if (code == UnknownCommandException.MethodNotFoundCode)
        {
            return new UnknownCommandException(method, code, message);
        }

        if (message.StartsWith("No such peer", StringComparison.Ordinal))
        {
            return new PeerNotFoundException(method, code, message);
        }

        if (message.StartsWith("Peer is not connected", StringComparison.Ordinal))
        {
            return new PeerNotConnectedException(method, code, message);
        }

        const string internalPrefix = "Cannot send messages of type ";
        if (message.StartsWith(internalPrefix, StringComparison.Ordinal))
        {
            var rest = message.AsSpan(internalPrefix.Length);
            int digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            ushort? type = ushort.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
            return new InternalMessageTypeException(method, code, message, type);
        }

        return new ClnRpcException(method, code, message, dataJson);
    }

    private void Reset(ClnJsonRpc failed)
    {
        if (Interlocked.CompareExchange(ref _rpc, null, failed) == failed)
        {
            failed.Dispose();
        }
    }

    private async Task<ClnJsonRpc> GetConnectionAsync(string method, CancellationToken cancellationToken)
    {
        var rpc = _rpc;
        if (rpc is not null && !rpc.Completion.IsCompleted)
        {
            return rpc;
        }

        string socketPath = await _socketPath(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                throw new ClnRpcConnectionException(method, $"The plugin is stopping: the lightning-rpc connection is closed ('{method}' not sent).");
            }

            rpc = _rpc;
            if (rpc is not null && !rpc.Completion.IsCompleted)
            {
                return rpc;
            }

            rpc?.Dispose();
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new ClnRpcConnectionException(method, $"Cannot connect to lightning-rpc at '{socketPath}' for '{method}': {ex.Message}", ex);
            }

            var stream = new NetworkStream(socket, ownsSocket: true);
            var handler = new NewLineDelimitedMessageHandler(stream, stream, CreateFormatter());
            rpc = new ClnJsonRpc(handler, _idPrefix);
            rpc.StartListening();
            _rpc = rpc;
            return rpc;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Arguments are strings, numbers and JsonNode, results JsonElement: all resolved by RpcJsonContext (source generated).")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Arguments are strings, numbers and JsonNode, results JsonElement: all resolved by RpcJsonContext (source generated).")]
    private static SystemTextJsonFormatter CreateFormatter()
    {
        var formatter = new LightningdJsonFormatter();
        var options = formatter.JsonSerializerOptions;
        options.TypeInfoResolver = options.TypeInfoResolver is null
            ? RpcJsonContext.Default
            : JsonTypeInfoResolver.Combine(RpcJsonContext.Default, options.TypeInfoResolver);
        return formatter;
    }

    /// <summary>
    /// StreamJsonRpc with lightningd-style string ids: <c>&lt;plugin&gt;:&lt;method&gt;#&lt;n&gt;</c>, prefixed
    /// with <c>&lt;caller id&gt;/</c> inside a method or hook handler (<see cref="RpcCallerId"/>).
    /// </summary>
    private sealed class ClnJsonRpc : JsonRpc
    {
        private readonly string pluginName;

        public ClnJsonRpc(IJsonRpcMessageHandler handler, string pluginName)
            : base(handler)
        {
            this.pluginName = pluginName;

            // lightningd has no cancellation: StreamJsonRpc's default would send it a "$/cancelRequest"
            // notification, which lightningd answers with an id-less "No id" error. A cancelled call
            // just stops waiting; lightningd's answer, when it comes, is dropped.
            CancellationStrategy = null;
        }

        [ThreadStatic]
        private static string? t_method;

        /// <summary>
        /// lightningd's <c>error.data</c> is any JSON (a failed payment's details, a parameter's name):
        /// read it as a <see cref="JsonElement"/>. StreamJsonRpc's default asks for a type the
        /// source-generated metadata does not have, and the failure closed the whole connection.
        /// </summary>
        protected override Type? GetErrorDetailsDataType(JsonRpcError error) => typeof(JsonElement);

        private long _next;

        public async Task<JsonElement> InvokeAsync(string method, object args, CancellationToken cancellationToken)
        {
            Task<JsonElement> call;
            t_method = method;
            try
            {
                // The id is created synchronously inside this call, on this thread.
                call = args is IReadOnlyDictionary<string, object?> named
                    ? InvokeWithParameterObjectAsync<JsonElement>(method, named, argumentDeclaredTypes: null, cancellationToken)
                    : InvokeWithCancellationAsync<JsonElement>(method, (object?[])args, cancellationToken);
            }
            finally
            {
                t_method = null;
            }

            // Without a cancellation strategy StreamJsonRpc keeps waiting for the answer: stop here.
            return await call.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        protected override RequestId CreateNewRequestId()
        {
            var n = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
            var prefix = RpcCallerId.Value;
            return new(prefix is null
                ? $"{pluginName}:{t_method ?? "call"}#{n}"
                : $"{prefix}/{pluginName}:{t_method ?? "call"}#{n}");
        }
    }
}

/// <summary>Source-generated metadata for every value the client puts in params or reads back.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RpcJsonContext : JsonSerializerContext;
