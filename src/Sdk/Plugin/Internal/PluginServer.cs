using Cln.ProtocolExtensions.Rpc.Json;
using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Cln.ProtocolExtensions.Rpc;
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

    /// <summary>Set once the <c>getmanifest</c> answer is written: <c>Build()</c> builds the host after it, not alongside it.</summary>
    public ManualResetEventSlim ManifestAnswered { get; } = new(false);
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

    /// <summary>How many notifications may wait for the subscribers before new ones are dropped (logged).</summary>
    internal const int MaxQueuedNotifications = 10_000;

    // Created with its delivery task by the first notification a subscriber wants (on the stdin
    // loop, the only writer), not before getmanifest is answered.
    private Channel<PendingNotification>? _notifications;
    private readonly object _notificationsStart = new();
    private long _droppedNotifications;

    private readonly record struct PendingNotification(string Topic, byte[] Line, SubscriptionSpec[]? Specific);

    private void NotificationDropped(string topic)
    {
        long dropped = Interlocked.Increment(ref _droppedNotifications);
        if (dropped == 1 || dropped % 1000 == 0)
        {
            Log.NotificationsDropped(_logger, topic, dropped, MaxQueuedNotifications);
        }
    }

    private Channel<PendingNotification> StartNotifications()
    {
        var channel = Channel.CreateBounded<PendingNotification>(
            new BoundedChannelOptions(MaxQueuedNotifications) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true },
            dropped => NotificationDropped(dropped.Topic));
        lock (_notificationsStart)
        {
            if (_stopping.IsCancellationRequested)
            {
                // Stopped already: accept nothing, as the completed queue would have.
                channel.Writer.TryComplete();
            }

            _notifications = channel;
        }

        _ = Task.Run(() => DeliverNotificationsAsync(channel.Reader));
        return channel;
    }

    /// <summary>
    /// Delivers notifications one at a time, in the order lightningd sent them (as pyln does): a
    /// subscriber sees a peer's <c>connect</c> before its <c>disconnect</c>. After the host stops, what
    /// is queued is still delivered, with a cancelled token.
    /// </summary>
    private async Task DeliverNotificationsAsync(ChannelReader<PendingNotification> reader)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    await NotifyAsync(item.Topic, item.Line, item.Specific).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // NotifyAsync handles its own faults; this only keeps the pump alive regardless.
                    Log.Unexpected(_logger, ex, item.Topic, (l, type, message) => Log.SubscriberFailed(l, item.Topic, type, message));
                }
            }
        }
    }

    // Requests (methods, hooks, check, init) whose handlers run: the host waits for their answers
    // when it stops, so a cancelled handler still answers (a hook its safe default).
    private readonly ConcurrentDictionary<Task, byte> _requests = new();

    /// <summary>Runs a request's handler off the stdin loop, tracked until it has answered.</summary>
    private void Track(Func<Task> handler)
    {
        var task = Task.Run(handler);
        _requests.TryAdd(task, 0);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _requests, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits (bounded) for the requests still running to answer; called once their handlers are cancelled.</summary>
    public async Task WaitForRequestsAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_requests.Keys).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Handlers that ignore their token are abandoned, as message handlers are.
        }
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

    public void CancelHandlers()
    {
        _stopping.Cancel();
        lock (_notificationsStart)
        {
            _notifications?.Writer.TryComplete();
        }
    }

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
                start += HandleBuffered(buffer.AsSpan(start, end - start), ref discarding);

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
                        var rest = buffer.AsSpan(0, end);
                        while (!rest.IsEmpty)
                        {
                            int newline = rest.IndexOf((byte)'\n');
                            if (newline < 0)
                            {
                                HandleLine(rest);
                                break;
                            }

                            rest = rest[HandleNext(rest, newline, final: true)..];
                        }

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

    /// <summary>
    /// Handles every complete message in <paramref name="pending"/> (what has been read and not yet
    /// handled); returns the bytes consumed. The hot path; deliberately not marked
    /// <see cref="MethodImplOptions.AggressiveOptimization"/> (nor are the methods it calls for
    /// <c>getmanifest</c>): such methods are left out of ReadyToRun images and compiled fully at first
    /// call, which cost about 20 ms before <c>getmanifest</c> was answered. The per-hook helpers that
    /// <c>getmanifest</c> does not reach keep the attribute, the custommsg parser among them (a cheap
    /// check in <see cref="HandleLine(ReadOnlySpan{byte}, bool)"/> keeps other messages out of it).
    /// </summary>
    private int HandleBuffered(ReadOnlySpan<byte> pending, ref bool discarding)
    {
        int start = 0;
        while (true)
        {
            var rest = pending[start..];
            int newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return start;
            }

            if (discarding)
            {
                discarding = false;
                start += newline + 1;
                continue;
            }

            int consumed = HandleNext(rest, newline, final: false);
            if (consumed < 0)
            {
                return start;
            }

            start += consumed;
        }
    }

    /// <summary>
    /// Handles the message that starts <paramref name="pending"/>, whose first line ends at
    /// <paramref name="newline"/>; returns the bytes consumed, or -1 to wait for more input. Almost
    /// every message is one line (lightningd writes compact JSON), but lightningd forwards a caller's
    /// request to a plugin method (and to <c>rpc_command</c>, and <c>check</c>) verbatim: a client that
    /// pretty-prints its JSON produces a message over several lines. Such a message ends at the blank
    /// line lightningd puts after every message. A line that is neither is dropped alone, so one bad
    /// line never costs the messages after it.
    /// </summary>
    private int HandleNext(ReadOnlySpan<byte> pending, int newline, bool final)
    {
        var line = pending[..newline];
        if (HandleLine(line, reportGarbage: false))
        {
            return newline + 1;
        }

        if (StartsUnfinishedObject(line.Trim(" \t\r"u8)))
        {
            int blank = pending.IndexOf("\n\n"u8);
            if (blank < 0 && !final)
            {
                return -1;
            }

            if (blank > newline && HandleLine(pending[..blank], reportGarbage: false))
            {
                return blank + 2;
            }
        }

        Log.GarbageLine(_logger, line.Length);
        return newline + 1;
    }

    /// <summary>Whether the line is the valid beginning of a JSON object that continues past it.</summary>
    private static bool StartsUnfinishedObject(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: false, state: default);
            return reader.Read() && !reader.TrySkip();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Handles one line. Never throws.</summary>
    internal void HandleLine(ReadOnlySpan<byte> line) => HandleLine(line, reportGarbage: true);

    /// <summary>Handles one message; false (and nothing done) if it is not one JSON object. Never throws.</summary>
    private bool HandleLine(ReadOnlySpan<byte> line, bool reportGarbage)
    {
        if (line.IsEmpty || line[0] != (byte)'{' || line[^1] != (byte)'}')
        {
            line = line.Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                return true;
            }
        }

        try
        {
            if (JsonRpcEnvelope.MayBeCustomMessageHook(line) && JsonRpcEnvelope.TryParseCustomMessageHook(line, out var hook))
            {
                // lightningd's own framing of the hook, recognized byte for byte: its id is printable
                // ASCII, so it is echoed as is. Anything else takes the general parse below.
                if (!_attached.IsSet)
                {
                    _attached.Wait();
                }

                HandleCustomMessageHook(line, hook);
                return true;
            }

            if (!JsonRpcEnvelope.TryParse(line, out var envelope))
            {
                if (reportGarbage)
                {
                    Log.GarbageLine(_logger, line.Length);
                }

                return false;
            }

            if (!envelope.HasMethod)
            {
                // A response, or something that is neither: lightningd sends neither to plugins.
                return true;
            }

            var method = line[envelope.Method];
            if (!_attached.IsSet && !method.SequenceEqual("getmanifest"u8))
            {
                // Only the manifest can be answered before the host is up (lightningd sends nothing
                // else until it has the manifest, so this wait is short and rare).
                _attached.Wait();
            }

            if (envelope.HasId && !System.Text.Unicode.Utf8.IsValid(line[envelope.Id]))
            {
                // Answers echo the id byte for byte, and bytes that are not UTF-8 would make the
                // answer invalid JSON (fatal to lightningd, which never sends such an id). No answer
                // can carry it, so none is sent; a custom message is still handled.
                Log.InvalidId(_logger, Encoding.UTF8.GetString(method));
                if (method.SequenceEqual("custommsg"u8))
                {
                    HandleCustomMessageHook(line, envelope, answer: false);
                }
            }
            else if (envelope.HasId)
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
                Log.Unexpected(_logger, ex, "(stdin)", static (l, type, message) => Log.MethodFailed(l, "(stdin)", type, message));
            }
            catch (Exception)
            {
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HandleCustomMessageHook(ReadOnlySpan<byte> line, JsonRpcEnvelope envelope, bool answer = true)
    {
        // Answer first: whatever the payload holds, lightningd gets "continue" (anything else is fatal to it).
        if (answer)
        {
            _writer.TryWriteContinue(line[envelope.Id]);
        }

        if (!envelope.HasParams)
        {
            Log.MalformedHook(_logger, "no params");
            return;
        }

        // The envelope parse already picked up params.peer_id and params.payload.
        if (!envelope.ParamsIsObject)
        {
            Log.MalformedHook(_logger, "params is not an object");
            return;
        }

        if (!envelope.HasPeerId || !envelope.HasPayload)
        {
            Log.MalformedHook(_logger, "params lacks a string peer_id or payload");
            return;
        }

        var peer = line[envelope.PeerId];
        var payloadHex = line[envelope.Payload];
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
                _writer.TryWriteResultAndFlush(rawId, w => ManifestWriter.Write(w, _definition));
                ManifestAnswered.Set();
                return;
            case "init":
                Track(() => HandleInitAsync(rawId, rawParams));
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
            Track(() => RunHookAsync(hook, rawId, rawParams));
        }
        else if (_methods.TryGetValue(method, out var rpc))
        {
            Track(() => RunMethodAsync(rpc, rawId, rawParams));
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
            Log.Unexpected(_logger, ex, "init", static (l, type, message) => Log.MethodFailed(l, "init", type, message));
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
        var error = _context.TrySet(config.GetString()!, value, hasValue, out var listenerFailure);
        if (listenerFailure is not null)
        {
            Log.Unexpected(_logger, listenerFailure, "setconfig", static (l, type, message) => Log.MethodFailed(l, "setconfig (a change listener)", type, message));
        }

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
        // With cancheck, lightningd forwards the user's whole `check <our command> ...` request here
        // (params named, or positional with the command first). The runtime checks what it knows
        // (the command exists; for setconfig, that the option is ours and dynamic and the value
        // reads) and then runs the method's own check callback, if any.
        var parameters = ParseElement(rawParams);
        string? command = parameters.ValueKind switch
        {
            JsonValueKind.Object when parameters.TryGetProperty("command_to_check", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            JsonValueKind.Array when parameters.GetArrayLength() > 0 && parameters[0].ValueKind == JsonValueKind.String => parameters[0].GetString(),
            _ => null,
        };
        if (command == "setconfig")
        {
            var name = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("config", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            JsonElement value = default;
            bool hasValue = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("val", out value);
            var error = name is null ? "setconfig needs a string 'config'" : _context.CheckSet(name, value, hasValue);
            if (error is not null)
            {
                _writer.TryWriteError(rawId, -32602, error);
                return;
            }
        }
        else if (command is null || !_methods.TryGetValue(command, out var method))
        {
            _writer.TryWriteError(rawId, -32602, $"Unknown command '{command}'");
            return;
        }
        else if (method.Check is not null)
        {
            Track(() => RunCheckAsync(method, rawId, WithoutCommand(parameters)));
            return;
        }

        WriteCheckDone(rawId, command);
    }

    private void WriteCheckDone(byte[] rawId, string command) =>
        _writer.TryWriteResult(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("command_to_check"u8, command);
            w.WriteEndObject();
        });

    /// <summary>The params of a <c>check</c> call as the method itself would get them.</summary>
    private static JsonElement WithoutCommand(JsonElement parameters)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ClnJson.CheckedWriterOptions))
        {
            if (parameters.ValueKind == JsonValueKind.Object)
            {
                w.WriteStartObject();
                foreach (var p in parameters.EnumerateObject())
                {
                    if (p.Name != "command_to_check")
                    {
                        p.WriteTo(w);
                    }
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteStartArray();
                foreach (var item in parameters.EnumerateArray().Skip(1))
                {
                    item.WriteTo(w);
                }

                w.WriteEndArray();
            }
        }

        return ParseElement(buffer.WrittenSpan.ToArray());
    }

    private async Task RunCheckAsync(MethodSpec method, byte[] rawId, JsonElement parameters)
    {
        try
        {
            var scope = _services!.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var context = CreateRequestContext(method.Name, rawId, parameters, scope.ServiceProvider);
                await method.Check!(context, _stopping.Token).ConfigureAwait(false);
            }

            WriteCheckDone(rawId, method.Name);
        }
        catch (Exception ex)
        {
            MethodErrors.Answer(_writer, _logger, rawId, "check " + method.Name, ex, _stopping.IsCancellationRequested, failureCode: -32602);
        }
    }

    private async Task RunHookAsync(HookSpec hook, byte[] rawId, byte[]? rawParams)
    {
        // Hooks always get exactly one result: an error reply makes lightningd abort, and no reply at
        // all stalls whatever lightningd was doing (a peer connection, a payment) for good.
        int answered = 0;
        void Answer(JsonNode result)
        {
            if (Interlocked.Exchange(ref answered, 1) != 0)
            {
                return;
            }

            try
            {
                _writer.TryWriteResult(rawId, w => result.WriteTo(w));
            }
            catch (Exception ex)
            {
                // A result the handler built that cannot be written (a JsonValue over a type JSON
                // cannot serialize, a NaN) falls back too.
                Log.Unexpected(_logger, ex, hook.Name, (l, type, message) => Log.HookFailed(l, hook.Name, type, message));
                _writer.TryWriteResult(rawId, w => hook.Fallback.WriteTo(w));
            }
        }

        using var handlerToken = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        using var timer = hook.Timeout is { } timeout ? new CancellationTokenSource(timeout) : null;
        using var onTimeout = timer?.Token.UnsafeRegister(
            _ =>
            {
                Log.HookTimedOut(_logger, hook.Name, hook.Timeout!.Value.TotalMilliseconds);
                Answer(hook.Fallback);
                handlerToken.Cancel();
            },
            null);

        JsonNode outcome;
        try
        {
            var scope = _services!.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var context = CreateRequestContext(hook.Name, rawId, ParseElement(rawParams), scope.ServiceProvider);
                outcome = await hook.Handler(scope.ServiceProvider, context, handlerToken.Token).ConfigureAwait(false) ?? hook.Fallback;
            }
        }
        catch (OperationCanceledException) when (Volatile.Read(ref answered) != 0)
        {
            return;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Log.Cancelled(_logger, hook.Name);
            outcome = hook.Fallback;
        }
        catch (PayloadUnreadableException ex)
        {
            Log.HookPayloadUnreadable(_logger, hook.Name, ex.Message);
            outcome = hook.Fallback;
        }
        catch (Exception ex)
        {
            Log.Unexpected(_logger, ex, hook.Name, (l, type, message) => Log.HookFailed(l, hook.Name, type, message));
            outcome = hook.Fallback;
        }

        Answer(outcome);
    }

    /// <summary>
    /// The context of a method, hook or check call; also makes the request id the prefix of the
    /// lightning-rpc calls its handler makes (PROTOCOL.md §1.2).
    /// </summary>
    private PluginRequestContext CreateRequestContext(string name, byte[] rawId, JsonElement parameters, IServiceProvider services)
    {
        var id = rawId.Length >= 2 && rawId[0] == '"' && rawId[^1] == '"'
            ? Encoding.UTF8.GetString(rawId.AsSpan(1, rawId.Length - 2))
            : Encoding.UTF8.GetString(rawId);
        RpcCallerId.Set(id);
        return new PluginRequestContext(name, id, rawId, parameters, services, _writer);
    }

    private async Task RunMethodAsync(MethodSpec method, byte[] rawId, byte[]? rawParams)
    {
        try
        {
            JsonNode? result;
            var scope = _services!.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var context = CreateRequestContext(method.Name, rawId, ParseElement(rawParams), scope.ServiceProvider);
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
        catch (Exception ex)
        {
            MethodErrors.Answer(_writer, _logger, rawId, method.Name, ex, _stopping.IsCancellationRequested, failureCode: -32600);
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
            (_notifications ?? StartNotifications()).Writer.TryWrite(new PendingNotification(topic, copy, specific));
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
            catch (PayloadUnreadableException ex)
            {
                Log.NotificationUnreadable(_logger, topic, ex.Message);
            }
            catch (Exception ex)
            {
                Log.Unexpected(_logger, ex, topic, (l, type, message) => Log.SubscriberFailed(l, topic, type, message));
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
