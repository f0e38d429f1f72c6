using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Testing.Internal;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>
/// A small JSON-RPC client for a <c>lightning-rpc</c> unix socket, for tests: one connection, pipelined
/// requests, answers matched by id. <see cref="SimulatedNode.Rpc"/> gives one per node.
/// </summary>
public sealed class LightningRpcClient : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _prefix;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _cts = new();
    private Socket? _socket;
    private NetworkStream? _stream;
    private long _next;

    /// <summary>Creates a client; it connects on the first call.</summary>
    /// <param name="socketPath">The socket path (<c>lightning-dir/rpc-file</c>).</param>
    /// <param name="idPrefix">The prefix of request ids (<c>PREFIX:METHOD#N</c>), by convention the caller's name.</param>
    /// <param name="timeout">How long a call may take before it fails with <see cref="TimeoutException"/>.</param>
    public LightningRpcClient(string socketPath, string idPrefix = "test", TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        _path = socketPath;
        _prefix = idPrefix;
        _timeout = timeout ?? TimeSpan.FromSeconds(5);
    }

    /// <summary>Calls <paramref name="method"/> with named parameters and returns its <c>result</c>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The <c>params</c> object (empty when null).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer in time.</exception>
    public async Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        string id = $"{_prefix}:{method}#{Interlocked.Increment(ref _next)}";
        var request = LightningdJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("id", id);
            w.WriteString("method", method);
            w.WritePropertyName("params");
            if (parameters is null)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                parameters.WriteTo(w);
            }
            w.WriteEndObject();
        });

        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        try
        {
            await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream!.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            JsonElement response;
            try
            {
                response = await tcs.Task.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"lightning-rpc did not answer {method} within {_timeout.TotalMilliseconds:0} ms.");
            }

            if (response.TryGetProperty("error", out var error))
            {
                int code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out int ci) ? ci : 0;
                string message = error.TryGetProperty("message", out var m) ? ManifestParser.TokText(m) : error.GetRawText();
                throw new LightningRpcException(method, code, message);
            }
            return response.GetProperty("result");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Calls <c>getinfo</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<JsonElement> GetInfoAsync(CancellationToken cancellationToken = default) => CallAsync("getinfo", null, cancellationToken);

    /// <summary>Calls <c>listpeers</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<JsonElement> ListPeersAsync(CancellationToken cancellationToken = default) => CallAsync("listpeers", null, cancellationToken);

    /// <summary>Calls <c>connect</c> with a node id.</summary>
    /// <param name="nodeId">The peer.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<JsonElement> ConnectAsync(PubKey nodeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return CallAsync("connect", new JsonObject { ["id"] = nodeId.ToHex() }, cancellationToken);
    }

    /// <summary>Calls <c>sendcustommsg</c>.</summary>
    /// <param name="nodeId">The peer.</param>
    /// <param name="message">The whole message: 2-byte type, then the body.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="LightningRpcException">The node refused it (internal type, unknown peer, ...).</exception>
    public Task<JsonElement> SendCustomMessageAsync(PubKey nodeId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SendCustomMessageAsync(nodeId, Convert.ToHexStringLower(message.Span), cancellationToken);

    /// <summary>Calls <c>sendcustommsg</c> with a generated message, encoded with its type.</summary>
    /// <param name="nodeId">The peer.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="LightningRpcException">The node refused it.</exception>
    public Task<JsonElement> SendCustomMessageAsync(PubKey nodeId, ICustomMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendCustomMessageAsync(nodeId, Wire.WireMessage.ToArray(message), cancellationToken);
    }

    /// <summary>Calls <c>sendcustommsg</c> with the message as hex, sent as given (even if malformed).</summary>
    /// <param name="nodeId">The peer.</param>
    /// <param name="hex">The message as hex.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<JsonElement> SendCustomMessageAsync(PubKey nodeId, string hex, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(hex);
        return CallAsync("sendcustommsg", new JsonObject { ["node_id"] = nodeId.ToHex(), ["msg"] = hex }, cancellationToken);
    }

    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null)
            return;
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stream is not null)
                return;
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_path), cancellationToken).ConfigureAwait(false);
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: true);
            _ = Task.Run(ReadLoopAsync);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = new JsonStreamReader(_stream!);
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(_cts.Token).ConfigureAwait(false);
                if (message is null)
                    break;
                using var doc = JsonDocument.Parse(message);
                if (doc.RootElement.TryGetProperty("id", out var id) && _pending.TryRemove(ManifestParser.TokText(id), out var tcs))
                    tcs.TrySetResult(doc.RootElement.Clone());
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or JsonException or JsonFramingException)
        {
        }

        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var tcs))
                tcs.TrySetException(new IOException("The lightning-rpc connection closed."));
        }
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _stream?.Dispose();
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A <c>lightning-rpc</c> call answered with a JSON-RPC error.</summary>
public sealed class LightningRpcException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The method called.</param>
    /// <param name="code">The error code (for example -32600).</param>
    /// <param name="message">The error message, as lightningd wrote it.</param>
    public LightningRpcException(string method, int code, string message)
        : base($"{method} failed with {code}: {message}")
    {
        Method = method;
        Code = code;
        RpcMessage = message;
    }

    /// <summary>The method called.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The error message exactly as the node wrote it.</summary>
    public string RpcMessage { get; }
}
