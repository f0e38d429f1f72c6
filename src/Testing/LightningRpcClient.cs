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
    public Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, CancellationToken cancellationToken = default) =>
        SendAsync(method, parameters ?? new JsonObject(), cancellationToken);

    /// <summary>Calls <paramref name="method"/> with positional parameters (a <c>params</c> array) and returns its <c>result</c>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="parameters">The <c>params</c> array.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer in time.</exception>
    public Task<JsonElement> CallPositionalAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return SendAsync(method, parameters, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="method"/> as <c>lightning-cli METHOD ARG...</c> does: each argument is sent as
    /// JSON when it reads as a literal (digits with an optional dot but no leading zero, <c>true</c>,
    /// <c>false</c>, <c>null</c>, or text in <c>[]</c>, <c>{}</c> or quotes) and as a string otherwise
    /// (so <c>3</c> is the number 3, <c>007</c> and <c>02ab..</c> are strings). As lightning-cli, the
    /// arguments are named when the first one contains <c>=</c> (<c>peer=02ab..</c>), else positional.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="arguments">The arguments as typed on the command line.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument reads as a literal but is not valid JSON (lightning-cli refuses it too), or a named argument has no <c>=</c>.</exception>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    public Task<JsonElement> CallCliAsync(string method, params string[] arguments) =>
        CallCliAsync(method, arguments, CancellationToken.None);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli METHOD ARG...</c> does; see <see cref="CallCliAsync(string, string[])"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="arguments">The arguments as typed on the command line.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument reads as a literal but is not valid JSON, or a named argument has no <c>=</c>.</exception>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    public Task<JsonElement> CallCliAsync(string method, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        SendAsync(method, CliParameters(arguments, CliInput.Default), cancellationToken);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli -k METHOD key=value...</c> does: by name, values typed as in <see cref="CallCliAsync(string, string[])"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="keyValuePairs">The arguments, each <c>name=value</c>.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument has no <c>=</c> ("Expected key=value"), or its value reads as a literal but is not valid JSON.</exception>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    public Task<JsonElement> CallCliByNameAsync(string method, params string[] keyValuePairs) =>
        CallCliByNameAsync(method, keyValuePairs, CancellationToken.None);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli -k METHOD key=value...</c> does; see <see cref="CallCliByNameAsync(string, string[])"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="keyValuePairs">The arguments, each <c>name=value</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument has no <c>=</c>, or its value reads as a literal but is not valid JSON.</exception>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    public Task<JsonElement> CallCliByNameAsync(string method, IReadOnlyList<string> keyValuePairs, CancellationToken cancellationToken) =>
        SendAsync(method, CliParameters(keyValuePairs, CliInput.Keywords), cancellationToken);

    /// <summary>Calls <paramref name="method"/> as <c>lightning-cli -o METHOD ARG...</c> does: positional, values typed as in <see cref="CallCliAsync(string, string[])"/>, even when an argument contains <c>=</c>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="arguments">The arguments as typed on the command line.</param>
    /// <returns>The <c>result</c>.</returns>
    /// <exception cref="ArgumentException">An argument reads as a literal but is not valid JSON.</exception>
    /// <exception cref="LightningRpcException">The node answered with an error.</exception>
    public Task<JsonElement> CallCliPositionalAsync(string method, params string[] arguments) =>
        SendAsync(method, CliParameters(arguments, CliInput.Ordered), CancellationToken.None);

    /// <summary>How lightning-cli reads its arguments (cli/lightning-cli.c <c>enum input</c>).</summary>
    internal enum CliInput
    {
        /// <summary>Named if the first argument contains <c>=</c>, else positional.</summary>
        Default,

        /// <summary><c>-k</c>: named.</summary>
        Keywords,

        /// <summary><c>-o</c>: positional.</summary>
        Ordered,
    }

    /// <summary>The <c>params</c> lightning-cli sends for these arguments (cli/lightning-cli.c, v26.06).</summary>
    internal static JsonNode CliParameters(IReadOnlyList<string> arguments, CliInput input)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (input == CliInput.Default)
        {
            input = arguments.Count > 0 && arguments[0].Contains('=', StringComparison.Ordinal) ? CliInput.Keywords : CliInput.Ordered;
        }

        if (input == CliInput.Ordered)
        {
            var array = new JsonArray();
            foreach (var argument in arguments)
            {
                array.Add(CliValue(argument));
            }

            return array;
        }

        var named = new JsonObject();
        foreach (var argument in arguments)
        {
            int eq = argument.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new ArgumentException($"Expected key=value in '{argument}'", nameof(arguments));
            }

            named[argument[..eq]] = CliValue(argument[(eq + 1)..]);
        }

        return named;
    }

    /// <summary>One argument as lightning-cli's <c>add_input</c> writes it: a literal as is, anything else as a JSON string.</summary>
    private static JsonNode? CliValue(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (!IsCliLiteral(argument))
        {
            return JsonValue.Create(argument);
        }

        try
        {
            return JsonNode.Parse(argument);
        }
        catch (JsonException)
        {
            throw new ArgumentException($"Some parameters are malformed, cannot create a valid JSON-RPC request: {argument}", nameof(argument));
        }
    }

    /// <summary>lightning-cli's <c>is_literal</c>.</summary>
    private static bool IsCliLiteral(string argument)
    {
        if (argument.Length == 0)
        {
            return false;
        }

        // Digits with a leading zero are not a number (they may be hex), except "0" itself.
        bool allDigits = argument.All(char.IsAsciiDigit);
        if (allDigits && argument.Length > 1 && argument[0] == '0')
        {
            return false;
        }

        return argument.All(c => char.IsAsciiDigit(c) || c == '.')
            || argument is "true" or "false" or "null"
            || (argument[0] == '{' && argument[^1] == '}')
            || (argument[0] == '[' && argument[^1] == ']')
            || (argument[0] == '"' && argument[^1] == '"');
    }

    private async Task<JsonElement> SendAsync(string method, JsonNode parameters, CancellationToken cancellationToken)
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
            parameters.WriteTo(w);
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
                throw new LightningRpcException(method, code, message, error.TryGetProperty("data", out var data) ? data.Clone() : null);
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
        : this(method, code, message, null)
    {
    }

    /// <summary>Creates the exception for an error with a <c>data</c> member.</summary>
    /// <param name="method">The method called.</param>
    /// <param name="code">The error code (for example -32600).</param>
    /// <param name="message">The error message, as lightningd wrote it.</param>
    /// <param name="data">The error's <c>data</c>, if any.</param>
    public LightningRpcException(string method, int code, string message, JsonElement? data)
        : base($"{method} failed with {code}: {message}")
    {
        Method = method;
        Code = code;
        RpcMessage = message;
        ErrorData = data;
    }

    /// <summary>The error's <c>data</c> member, or <see langword="null"/>.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>The method called.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The error message exactly as the node wrote it.</summary>
    public string RpcMessage { get; }
}
