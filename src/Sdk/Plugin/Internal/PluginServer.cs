using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// The plugin side of lightningd's stdin/stdout JSON-RPC, on a hand-written Utf8JsonReader loop.
/// Messages are read as lines (lightningd ends each with "\n\n", so empty lines are skipped).
/// The custommsg hook is answered <c>continue</c> on the loop itself, before its payload is even
/// parsed; everything else that can take time runs off the loop.
/// </summary>
internal sealed class PluginServer
{
    /// <summary>The longest line kept: far above any hook (a 65,535-byte payload is ~131 kB of hex).</summary>
    internal const int MaxLineLength = 8 * 1024 * 1024;

    private readonly PluginDefinition _definition;
    private readonly ProtocolWriter _writer;
    private readonly ClnPluginContext _context;
    private readonly ManualResetEventSlim _attached = new(false);
    private CustomMessageDispatcher? _dispatcher;
    private IServiceProvider? _services;
    private ILogger _logger;
    private Action? _requestStop;
    private readonly Dictionary<string, MethodSpec> _methods;
    private readonly Dictionary<string, HookSpec> _hooks;
    private readonly Dictionary<string, SubscriptionSpec[]> _subscriptions;
    private readonly SubscriptionSpec[] _wildcard;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Creates the loop. It can answer <c>getmanifest</c> at once (from the definition alone), before
    /// the host is built; any other message waits for <see cref="Attach"/>.
    /// </summary>
    public PluginServer(PluginDefinition definition, ProtocolWriter writer, ClnPluginContext context, ILogger bootstrapLogger)
    {
        _definition = definition;
        _writer = writer;
        _context = context;
        _logger = bootstrapLogger;
        _methods = definition.Methods.ToDictionary(m => m.Name, StringComparer.Ordinal);
        _hooks = definition.Hooks.ToDictionary(h => h.Name, StringComparer.Ordinal);
        _subscriptions = definition.Subscriptions.Where(s => s.Topic != "*")
            .GroupBy(s => s.Topic, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _wildcard = definition.Subscriptions.Where(s => s.Topic == "*").ToArray();
    }

    /// <summary>Supplies what handling needs beyond the manifest, once the host has started.</summary>
    public void Attach(IServiceProvider services, CustomMessageDispatcher dispatcher, ILogger logger, Action requestStop)
    {
        _services = services;
        _dispatcher = dispatcher;
        _logger = logger;
        _requestStop = requestStop;
        _attached.Set();
    }

    /// <summary>Cancelled when the host stops; passed to method, hook and subscription handlers.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void CancelHandlers() => _stopping.Cancel();

    /// <summary>
    /// Reads the process's stdin on the calling thread with blocking reads until EOF: every await in
    /// <see cref="RunAsync"/> then completes synchronously, so the loop never hops threads.
    /// </summary>
    public void Run(Stream input) =>
        RunAsync(input, synchronous: true, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reads stdin until EOF (or cancellation), handling each message. Never throws for bad input.</summary>
    public async Task RunAsync(Stream input, bool synchronous, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int start = 0, end = 0;
        bool discarding = false;
        try
        {
            while (true)
            {
                while (true)
                {
                    int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }

                    var line = buffer.AsSpan(start, newline);
                    start += newline + 1;
                    if (discarding)
                    {
                        discarding = false;
                        continue;
                    }

                    HandleLine(line);
                }

                // Everything read so far is handled: hook answers leave together, handlers start.
                _writer.Flush();
                _dispatcher?.StartPending();
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    if (buffer.Length >= MaxLineLength)
                    {
                        Log.LineTooLong(_logger, MaxLineLength);
                        discarding = true;
                        end = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxLineLength));
                        buffer.AsSpan(0, end).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                int read;
                try
                {
                    read = synchronous
                        ? input.Read(buffer, end, buffer.Length - end)
                        : await input.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    read = 0;
                }

                if (read == 0)
                {
                    if (end > 0 && !discarding)
                    {
                        HandleLine(buffer.AsSpan(0, end));
                        _writer.Flush();
                        _dispatcher?.StartPending();
                    }

                    Log.StdinClosed(_logger);
                    return;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handles one line. Never throws.</summary>
    internal void HandleLine(ReadOnlySpan<byte> line)
    {
        line = line.Trim(" \t\r"u8);
        if (line.IsEmpty)
        {
            return;
        }

        try
        {
            if (!JsonRpcEnvelope.TryParse(line, out var envelope))
            {
                Log.GarbageLine(_logger, line.Length);
                return;
            }

            if (!envelope.HasMethod)
            {
                // A response, or something that is neither: lightningd sends neither to plugins.
                return;
            }

            var method = line[envelope.Method];
            if (!_attached.IsSet && !method.SequenceEqual("getmanifest"u8))
            {
                // Only the manifest can be answered before the host is up (lightningd sends nothing
                // else until it has the manifest, so this wait is short and rare).
                _attached.Wait();
            }

            if (envelope.HasId)
            {
                if (method.SequenceEqual("custommsg"u8))
                {
                    HandleCustomMessageHook(line, envelope);
                }
                else
                {
                    HandleRequest(Encoding.UTF8.GetString(method), line[envelope.Id].ToArray(), envelope.HasParams ? line[envelope.Params].ToArray() : null);
                }
            }
            else
            {
                HandleNotification(Encoding.UTF8.GetString(method), line);
            }
        }
        catch (Exception ex)
        {
            // Defensive: nothing from lightningd may stop the loop, not even a failing logger.
            try
            {
                Log.MethodFailed(_logger, ex, "(stdin)");
            }
            catch (Exception)
            {
            }
        }
    }

    private void HandleCustomMessageHook(ReadOnlySpan<byte> line, JsonRpcEnvelope envelope)
    {
        // Answer first: whatever the payload holds, lightningd gets "continue" (anything else is fatal to it).
        _writer.TryWriteContinue(line[envelope.Id]);

        if (!envelope.HasParams)
        {
            Log.MalformedHook(_logger, "no params");
            return;
        }

        ReadOnlySpan<byte> peer = default, payloadHex = default;
        bool hasPeer = false, hasPayload = false;
        var reader = new Utf8JsonReader(line[envelope.Params]);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                Log.MalformedHook(_logger, "params is not an object");
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPayload = reader.ValueTextEquals("payload"u8);
                bool isPeer = !isPayload && reader.ValueTextEquals("peer_id"u8);
                reader.Read();
                if ((isPayload || isPeer) && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    if (isPayload)
                    {
                        payloadHex = reader.ValueSpan;
                        hasPayload = true;
                    }
                    else
                    {
                        peer = reader.ValueSpan;
                        hasPeer = true;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            Log.MalformedHook(_logger, "params is not valid JSON");
            return;
        }

        if (!hasPeer || !hasPayload)
        {
            Log.MalformedHook(_logger, "params lacks a string peer_id or payload");
            return;
        }

        if (!Hex.TryDecode(payloadHex, out var payload))
        {
            Log.MalformedHook(_logger, $"payload is not hex ({payloadHex.Length} characters)");
            return;
        }

        _dispatcher!.Enqueue(peer, payload);
    }

    private void HandleRequest(string method, byte[] rawId, byte[]? rawParams)
    {
        switch (method)
        {
            case "getmanifest":
                var manifestParams = ParseElement(rawParams);
                _context.AllowDeprecatedApis = manifestParams.ValueKind == JsonValueKind.Object
                    && manifestParams.TryGetProperty("allow-deprecated-apis", out var deprecated)
                    && deprecated.ValueKind == JsonValueKind.True;
                _writer.TryWriteResult(rawId, w => ManifestWriter.Write(w, _definition));
                return;
            case "init":
                _ = Task.Run(() => HandleInitAsync(rawId, rawParams));
                return;
            case "setconfig":
                HandleSetConfig(rawId, rawParams);
                return;
            case "check":
                HandleCheck(rawId, rawParams);
                return;
        }

        if (_hooks.TryGetValue(method, out var hook))
        {
            _ = Task.Run(() => RunHookAsync(hook, rawId, rawParams));
        }
        else if (_methods.TryGetValue(method, out var rpc))
        {
            _ = Task.Run(() => RunMethodAsync(rpc, rawId, rawParams));
        }
        else
        {
            Log.UnknownMethod(_logger, method);
            _writer.TryWriteError(rawId, -32601, $"Unknown method '{method}'");
        }
    }

    private async Task HandleInitAsync(byte[] rawId, byte[]? rawParams)
    {
        string? disable = null;
        try
        {
            var parameters = ParseElement(rawParams);
            var configuration = ReadConfiguration(parameters);
            var options = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("options", out var o) ? o : default;
            _context.Initialize(configuration, options);

            var initContext = new PluginInitContext(_context, _services!);
            foreach (var callback in _definition.InitCallbacks)
            {
                await callback(initContext, _stopping.Token).ConfigureAwait(false);
                if (initContext.DisableReason is not null)
                {
                    break;
                }
            }

            disable = initContext.DisableReason;
        }
        catch (Exception ex)
        {
            Log.MethodFailed(_logger, ex, "init");
            disable = $"init failed: {ex.GetType().Name}: {ex.Message}";
        }

        _writer.TryWriteResult(rawId, w =>
        {
            w.WriteStartObject();
            if (disable is not null)
            {
                w.WriteString("disable"u8, disable);
            }

            w.WriteEndObject();
        });
    }

    private static LightningdConfiguration ReadConfiguration(JsonElement parameters)
    {
        JsonElement c = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("configuration", out var cfg) && cfg.ValueKind == JsonValueKind.Object
            ? cfg
            : JsonDocument.Parse("{}").RootElement;
        string Str(string name, string fallback) =>
            c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        var features = new Dictionary<string, string>(StringComparer.Ordinal);
        if (c.TryGetProperty("feature_set", out var fs) && fs.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in fs.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                {
                    features[p.Name] = p.Value.GetString()!;
                }
            }
        }

        bool startup = !c.TryGetProperty("startup", out var s) || s.ValueKind != JsonValueKind.False;
        return new LightningdConfiguration(
            Str("lightning-dir", Directory.GetCurrentDirectory()),
            Str("rpc-file", "lightning-rpc"),
            Str("network", "bitcoin"),
            startup,
            features,
            c);
    }

    private void HandleSetConfig(byte[] rawId, byte[]? rawParams)
    {
        var parameters = ParseElement(rawParams);
        if (parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.String)
        {
            _writer.TryWriteError(rawId, -32602, "setconfig needs a string 'config'");
            return;
        }

        bool hasValue = parameters.TryGetProperty("val", out var value);
        var error = _context.TrySet(config.GetString()!, value, hasValue);
        if (error is null)
        {
            _writer.TryWriteResult(rawId, static w =>
            {
                w.WriteStartObject();
                w.WriteEndObject();
            });
        }
        else
        {
            _writer.TryWriteError(rawId, -32602, error);
        }
    }

    private void HandleCheck(byte[] rawId, byte[]? rawParams)
    {
        // With cancheck, lightningd forwards `check <our command> ...` here. The runtime checks what it
        // knows (the command exists; for setconfig, that the option is ours and dynamic).
        var parameters = ParseElement(rawParams);
        string? command = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("command_to_check", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;
        if (command == "setconfig")
        {
            var name = parameters.TryGetProperty("config", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (name is null || !_context.IsDeclared(name))
            {
                _writer.TryWriteError(rawId, -32602, $"Unknown option '{name}'");
                return;
            }
        }
        else if (command is null || !_methods.ContainsKey(command))
        {
            _writer.TryWriteError(rawId, -32602, $"Unknown command '{command}'");
            return;
        }

        _writer.TryWriteResult(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("command_to_check"u8, command);
            w.WriteEndObject();
        });
    }

    private async Task RunHookAsync(HookSpec hook, byte[] rawId, byte[]? rawParams)
    {
        JsonNode result;
        try
        {
            var scope = _services!.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var context = new PluginRequestContext(hook.Name, Encoding.UTF8.GetString(rawId).Trim('"'), ParseElement(rawParams), scope.ServiceProvider);
                result = await hook.Handler(scope.ServiceProvider, context, _stopping.Token).ConfigureAwait(false) ?? hook.Fallback;
            }
        }
        catch (Exception ex)
        {
            Log.HookFailed(_logger, ex, hook.Name);
            result = hook.Fallback;
        }

        // Hooks always get a result: an error reply makes lightningd abort.
        _writer.TryWriteResult(rawId, w => result.WriteTo(w));
    }

    private async Task RunMethodAsync(MethodSpec method, byte[] rawId, byte[]? rawParams)
    {
        try
        {
            JsonNode? result;
            var scope = _services!.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var context = new PluginRequestContext(method.Name, Encoding.UTF8.GetString(rawId).Trim('"'), ParseElement(rawParams), scope.ServiceProvider);
                result = await method.Handler(scope.ServiceProvider, context, _stopping.Token).ConfigureAwait(false);
            }

            _writer.TryWriteResult(rawId, w =>
            {
                if (result is null)
                {
                    w.WriteStartObject();
                    w.WriteEndObject();
                }
                else
                {
                    result.WriteTo(w);
                }
            });
        }
        catch (PluginMethodException ex)
        {
            _writer.TryWriteError(rawId, ex.Code, ex.Message, ex.ErrorData is null ? null : w => ex.ErrorData.WriteTo(w));
        }
        catch (Exception ex)
        {
            Log.MethodFailed(_logger, ex, method.Name);
            _writer.TryWriteError(rawId, -32600, $"{method.Name} failed: {ex.Message}");
        }
    }

    private void HandleNotification(string topic, ReadOnlySpan<byte> line)
    {
        if (topic == "shutdown")
        {
            Log.ShutdownReceived(_logger);
        }

        _subscriptions.TryGetValue(topic, out var specific);
        if (specific is not null || _wildcard.Length > 0)
        {
            var copy = line.ToArray();
            _ = Task.Run(() => NotifyAsync(topic, copy, specific));
        }

        if (topic == "shutdown")
        {
            _requestStop!();
        }
    }

    private async Task NotifyAsync(string topic, byte[] line, SubscriptionSpec[]? specific)
    {
        JsonElement parameters = default;
        string? origin = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("params", out var p))
            {
                parameters = p.Clone();
            }

            if (root.TryGetProperty("origin", out var o) && o.ValueKind == JsonValueKind.String)
            {
                origin = o.GetString();
            }
            else if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("origin", out var legacy) && legacy.ValueKind == JsonValueKind.String)
            {
                origin = legacy.GetString();
            }
        }
        catch (JsonException)
        {
            return;
        }

        foreach (var spec in (specific ?? []).Concat(_wildcard))
        {
            try
            {
                var scope = _services!.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    var context = new PluginNotificationContext(topic, origin, parameters, scope.ServiceProvider);
                    await spec.Handler(scope.ServiceProvider, context, _stopping.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.SubscriberFailed(_logger, ex, topic);
            }
        }
    }

    private static JsonElement ParseElement(byte[]? raw)
    {
        if (raw is null)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
