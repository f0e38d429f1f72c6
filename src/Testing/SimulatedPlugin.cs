using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Internal;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>Where a simulated plugin is in its life.</summary>
public enum PluginState
{
    /// <summary>Between start and its <c>init</c> answer.</summary>
    Starting,

    /// <summary><c>init</c> answered: hooks, notifications and its methods are live.</summary>
    Running,

    /// <summary>It disabled itself (<c>disable</c> in <c>getmanifest</c> or <c>init</c>).</summary>
    Disabled,

    /// <summary>It exited, or was stopped or killed.</summary>
    Stopped,
}

/// <summary>
/// One plugin running under a <see cref="SimulatedNode"/>, over pipes (in-process) or as a child process.
/// Gives a test what lightningd saw: its manifest, its log lines, the exact bytes both ways, and any
/// protocol violation.
/// </summary>
public sealed class SimulatedPlugin
{
    private readonly PluginTransport _transport;
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ObservableList<TranscriptRecord> _transcript = new();
    private readonly ObservableList<NodeLogEntry> _log = new();
    private readonly ObservableList<PluginNotification> _notifications = new();
    private readonly ObservableList<PluginProtocolViolationException> _violations = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _readCts = new();
    private volatile bool _killed;
    private volatile bool _stopping;

    internal SimulatedPlugin(SimulatedNode node, string name, string command, PluginTransport transport)
    {
        Node = node;
        Name = name;
        Command = command;
        _transport = transport;
    }

    /// <summary>The node the plugin runs under.</summary>
    public SimulatedNode Node { get; }

    /// <summary>The plugin's short name (lightningd's <c>shortname</c>: the file name of its path).</summary>
    public string Name { get; }

    /// <summary>The command lightningd ran (the path, or the in-process name).</summary>
    public string Command { get; }

    /// <summary>Where the plugin is in its life.</summary>
    public PluginState State { get; private set; } = PluginState.Starting;

    /// <summary>The accepted manifest (<see langword="null"/> until <c>getmanifest</c> is answered).</summary>
    public PluginManifest? Manifest { get; private set; }

    /// <summary>Why the plugin disabled itself, when <see cref="State"/> is <see cref="PluginState.Disabled"/>.</summary>
    public string? DisabledReason { get; private set; }

    /// <summary>The lines this plugin logged (its <c>log</c> notifications), as lightningd logs them.</summary>
    public IReadOnlyList<NodeLogEntry> Log => _log.Snapshot();

    /// <summary>Every write to the plugin's stdin and every read from its stdout, in order.</summary>
    public IReadOnlyList<TranscriptRecord> Transcript => _transcript.Snapshot();

    /// <summary>Notifications other than <c>log</c> the plugin sent (custom topics, <c>message</c>, <c>progress</c>).</summary>
    public IReadOnlyList<PluginNotification> Notifications => _notifications.Snapshot();

    /// <summary>The protocol violations this plugin committed.</summary>
    public IReadOnlyList<PluginProtocolViolationException> Violations => _violations.Snapshot();

    /// <summary>What a child-process plugin wrote to stderr (empty for in-process plugins).</summary>
    public string StandardError => _transport.StandardError;

    /// <summary>Completes when the plugin has exited; faults with an in-process plugin's exception.</summary>
    public Task Exited => _transport.Exited;

    internal bool IsRunning => State == PluginState.Running && !_killed;

    internal string Source => "plugin-" + Name;

    /// <summary>Waits until the plugin logs a line containing <paramref name="text"/> (ordinal).</summary>
    /// <exception cref="TimeoutException">No such line in time; the message lists the lines seen.</exception>
    public Task<NodeLogEntry> WaitForLogAsync(string text, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForLogAsync(e => e.Message.Contains(text, StringComparison.Ordinal), timeout, cancellationToken, $"a log line of plugin '{Name}' containing \"{text}\"");

    /// <summary>Waits until the plugin logs a line matching <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">No such line in time; the message lists the lines seen.</exception>
    public Task<NodeLogEntry> WaitForLogAsync(Func<NodeLogEntry, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForLogAsync(predicate, timeout, cancellationToken, $"a matching log line of plugin '{Name}'");

    private Task<NodeLogEntry> WaitForLogAsync(Func<NodeLogEntry, bool> predicate, TimeSpan? timeout, CancellationToken cancellationToken, string what)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _log.WaitForAsync(predicate, timeout ?? Node.Simulator.Options.Timeout, what, cancellationToken);
    }

    /// <summary>Waits until the plugin sends a notification on <paramref name="method"/>.</summary>
    /// <exception cref="TimeoutException">None arrived in time.</exception>
    public Task<PluginNotification> WaitForNotificationAsync(string method, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _notifications.WaitForAsync(n => n.Method == method, timeout ?? Node.Simulator.Options.Timeout, $"a '{method}' notification from plugin '{Name}'", cancellationToken);

    /// <summary>
    /// Waits for this plugin's next protocol violation and marks it as expected, so that
    /// <see cref="LightningdSimulator.DisposeAsync"/> does not rethrow it.
    /// </summary>
    /// <exception cref="TimeoutException">The plugin committed no violation in time.</exception>
    public async Task<PluginProtocolViolationException> WaitForViolationAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var violation = await _violations.WaitForAsync(v => !v.Observed, timeout ?? Node.Simulator.Options.Timeout,
            $"a protocol violation by plugin '{Name}'", cancellationToken).ConfigureAwait(false);
        violation.Observed = true;
        return violation;
    }

    /// <summary>
    /// Stops the plugin as <c>lightning-cli plugin stop</c> and node shutdown do: a <c>shutdown</c>
    /// subscriber gets the notification, then stdin is closed; a plugin still alive after the timeout is
    /// killed and that is recorded as a violation ("failed to self-terminate in time").
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Node.StopPluginAsync(this, cancellationToken);

    // ---------------------------------------------------------------- startup

    internal async Task StartAsync(PluginStartOptions options, CancellationToken cancellationToken)
    {
        _ = Task.Run(ReadLoopAsync, CancellationToken.None);
        TimeSpan timeout = options.Timeout ?? Node.Simulator.Options.Timeout;
        bool startup = !options.Dynamic;
        string? prefix = options.Dynamic ? $"cli:plugin#{Node.NextCliId()}" : null;

        var manifestResponse = await CallStartupAsync("getmanifest", prefix,
            w => w.WriteBoolean("allow-deprecated-apis", Node.Simulator.Options.AllowDeprecatedApis),
            timeout, "before replying to getmanifest", cancellationToken).ConfigureAwait(false);

        var parsed = ManifestParser.Parse(manifestResponse, Command, Node.IsOptionTaken, Node.ManifestMethodOwner, startup, Node.Simulator.Options.Version);
        if (parsed.Disabled is not null)
        {
            DisabledReason = parsed.Disabled;
            Kill(NodeLogLevel.Info, $"disabled itself: {parsed.Disabled}");
            State = PluginState.Disabled;
            return;
        }

        if (parsed.Error is not null)
        {
            throw parsed.Consequence == ViolationConsequence.PluginKilled
                ? StartFailure(parsed.Error, ViolationConsequence.PluginKilled)
                : NodeDeath(parsed.Error, parsed.Consequence, startup);
        }

        Manifest = parsed.Manifest!;
        if (!Node.TryAddFeatureBits(Manifest.FeatureBits))
            throw StartFailure("Custom featurebits already present", ViolationConsequence.PluginKilled);
        if (options.Dynamic && !Manifest.Dynamic)
            throw StartFailure("Not a dynamic plugin", ViolationConsequence.PluginKilled, NodeLogLevel.Info);

        string? orderError = Node.RegisterHooks(this);
        if (orderError is not null)
            throw StartFailure(orderError, ViolationConsequence.PluginKilled);

        var initOptions = BuildInitOptions(options.Options);
        var initResponse = await CallStartupAsync("init", null, w =>
        {
            w.WriteStartObject("options");
            initOptions(w);
            w.WriteEndObject();
            w.WriteStartObject("configuration");
            w.WriteString("lightning-dir", Node.LightningDir);
            w.WriteString("rpc-file", "lightning-rpc");
            w.WriteBoolean("startup", startup);
            w.WriteString("network", Node.Simulator.Options.Network);
            w.WriteStartObject("feature_set");
            foreach (var (place, bits) in Node.CurrentFeatureSet())
                w.WriteString(place, bits);
            w.WriteEndObject();
            w.WriteEndObject();
        }, timeout, "before replying to init", cancellationToken).ConfigureAwait(false);

        if (initResponse.TryGetProperty("result", out var initResult) && initResult.ValueKind == JsonValueKind.Object
            && initResult.TryGetProperty("disable", out var disable))
        {
            DisabledReason = ManifestParser.TokText(disable);
            Node.UnregisterHooks(this);
            Node.RemoveFeatureBits(Manifest.FeatureBits);
            Kill(NodeLogLevel.Debug, $"disabled itself at init: {DisabledReason}");
            State = PluginState.Disabled;
            return;
        }

        State = PluginState.Running;
        if (_killed)
        {
            State = PluginState.Stopped; // killed for what it wrote after its init answer; the violation is recorded
            return;
        }
        await Node.OnPluginStartedAsync(this).ConfigureAwait(false);
    }

    /// <summary>
    /// The manifest ends lightningd itself: a taken option name at startup (<c>fatal</c>, exit 1) or a method
    /// named like one of lightningd's own commands (SIGSEGV). As recorded from v26.06.6: at startup the only
    /// output is on lightningd's stdout (nothing reaches the log, no <c>Killing plugin</c> line); under
    /// <c>plugin start</c> the crash line goes to the log as <c>**BROKEN** lightningd: ...</c>.
    /// </summary>
    private PluginProtocolViolationException NodeDeath(string message, ViolationConsequence consequence, bool startup)
    {
        Node.UnregisterHooks(this);
        var violation = new PluginProtocolViolationException(Node.Name, Name, message, consequence) { Observed = true };
        _violations.Add(violation);
        Node.AddViolation(violation);
        if (startup)
            Node.AddStandardOutput(consequence == ViolationConsequence.LightningdCrashes ? "lightningd: " + message : message);
        else
            Node.AddLog(NodeLogLevel.Broken, "lightningd", message);
        Kill(NodeLogLevel.Broken, message, log: false);
        return violation;
    }

    private PluginProtocolViolationException StartFailure(string message, ViolationConsequence consequence, NodeLogLevel level = NodeLogLevel.Unusual)
    {
        Node.UnregisterHooks(this);
        var violation = Violate(message, consequence, level: level);
        violation.Observed = true;
        return violation;
    }

    private async Task<JsonElement> CallStartupAsync(
        string method, string? prefix, Action<Utf8JsonWriter> writeParams, TimeSpan timeout, string stateDesc, CancellationToken cancellationToken)
    {
        var response = await SendRequestAsync(method, prefix, writeParams).ConfigureAwait(false);
        await Task.WhenAny(response, _stdoutClosed.Task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested && !response.IsCompleted)
        {
            Node.UnregisterHooks(this);
            Kill(NodeLogLevel.Info, $"start cancelled {stateDesc}");
            cancellationToken.ThrowIfCancellationRequested();
        }
        // An answer that arrived counts even if the plugin was killed right after it (later bytes).
        if (response.IsCompletedSuccessfully)
            return response.Result;
        if (_killed)
        {
            // The reader already recorded why (non-JSON output, missing "jsonrpc", ...).
            var recorded = _violations.Snapshot();
            if (recorded.Count > 0)
            {
                recorded[^1].Observed = true;
                throw recorded[^1];
            }
        }

        if (_stdoutClosed.Task.IsCompleted)
        {
            Exception? inner = await ExitExceptionAsync().ConfigureAwait(false);
            throw StartFailureNoKill($"exited {stateDesc}", inner);
        }

        throw StartFailure($"timed out {stateDesc}", ViolationConsequence.PluginKilled);
    }

    private PluginProtocolViolationException StartFailureNoKill(string message, Exception? inner)
    {
        Node.UnregisterHooks(this);
        var violation = Violate(message, ViolationConsequence.PluginExited, inner, kill: false, level: NodeLogLevel.Info);
        violation.Observed = true;
        return violation;
    }

    private Action<Utf8JsonWriter> BuildInitOptions(IDictionary<string, object> given)
    {
        var manifestOptions = Manifest!.Options;
        foreach (var key in given.Keys)
        {
            if (!manifestOptions.Any(o => o.Name == key))
                throw new ArgumentException($"--{key}: unrecognized option (plugin '{Name}' has no such option)", nameof(given));
        }

        var writers = new List<Action<Utf8JsonWriter>>();
        foreach (var opt in manifestOptions)
        {
            List<string> values = [];
            if (given.TryGetValue(opt.Name, out var value))
            {
                if (value is not string && value is System.Collections.IEnumerable many)
                    values.AddRange(many.Cast<object>().Select(ToText));
                else
                    values.Add(ToText(value));
                if (!opt.Multi && values.Count != 1)
                    throw new ArgumentException($"--{opt.Name} is not a multi option: give one value", nameof(given));
            }
            else if (opt.Default is not null)
            {
                values.Add(opt.Default);
            }

            foreach (var v in values)
                Check(opt, v);

            if (opt.Type == "flag")
            {
                if (values.Count == 1 && ParseBool(values[0]))
                    writers.Add(w => w.WriteBoolean(opt.Name, true));
                continue;
            }

            if (opt.Multi)
            {
                writers.Add(w =>
                {
                    w.WriteStartArray(opt.Name);
                    foreach (var v in values)
                        WriteValue(w, opt, null, v);
                    w.WriteEndArray();
                });
            }
            else if (values.Count == 1)
            {
                writers.Add(w => WriteValue(w, opt, opt.Name, values[0]));
            }
        }

        return w =>
        {
            foreach (var write in writers)
                write(w);
        };

        static string ToText(object value) => value switch
        {
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        static void Check(PluginOptionInfo opt, string v)
        {
            if (opt.Type == "int" && !long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                throw new ArgumentException($"--{opt.Name}={v}: '{v}' is not a number");
            if (opt.Type is "bool" or "flag" && v is not ("true" or "false" or "1" or "0" or "yes" or "no"))
                throw new ArgumentException($"--{opt.Name}={v}: Invalid argument '{v}'");
        }

        static bool ParseBool(string v) => v is "true" or "1" or "yes";

        static void WriteValue(Utf8JsonWriter w, PluginOptionInfo opt, string? name, string v)
        {
            if (name is not null)
                w.WritePropertyName(name);
            switch (opt.Type)
            {
                case "int":
                    w.WriteNumberValue(long.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
                    break;
                case "bool":
                    w.WriteBooleanValue(ParseBool(v));
                    break;
                default:
                    w.WriteStringValue(v);
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Writes a request and returns the task of its response (the whole response object).</summary>
    /// <param name="method">The method.</param>
    /// <param name="idPrefix">The id prefix (the id of the command that caused this request), or null.</param>
    /// <param name="writeParams">Writes the members of <c>params</c>.</param>
    /// <param name="rawParams">Verbatim <c>params</c> instead (for passthrough of positional params).</param>
    /// <param name="onSettled">Called inline, in the order the plugin answers, when the response arrives or the plugin dies.</param>
    internal async Task<Task<JsonElement>> SendRequestAsync(
        string method, string? idPrefix, Action<Utf8JsonWriter> writeParams, string? rawParams = null, Action<Task<JsonElement>>? onSettled = null)
    {
        string id = Node.NextRequestId(method, idPrefix);
        var pending = new PendingRequest(new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously), onSettled);
        _pending[id] = pending;
        if (_killed || _stdoutClosed.Task.IsCompleted)
        {
            if (_pending.TryRemove(id, out _))
                pending.Fail(Name);
            return pending.Completion.Task;
        }

        await WriteAsync(LightningdJson.Request(id, method, writeParams, rawParams)).ConfigureAwait(false);
        return pending.Completion.Task;
    }

    private sealed record PendingRequest(TaskCompletionSource<JsonElement> Completion, Action<Task<JsonElement>>? OnSettled)
    {
        public void Succeed(JsonElement response)
        {
            Completion.TrySetResult(response);
            OnSettled?.Invoke(Completion.Task);
        }

        public void Fail(string plugin)
        {
            Completion.TrySetException(new PluginTerminatedException(plugin));
            OnSettled?.Invoke(Completion.Task);
        }
    }

    /// <summary>Writes bytes to the plugin's stdin; a dead plugin's pipe errors are swallowed.</summary>
    internal async Task WriteAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_killed)
                return;
            _transcript.Add(new TranscriptRecord(TranscriptDirection.In, bytes));
            var write = WriteAndFlushAsync(bytes);
            if (await Task.WhenAny(write, Task.Delay(Node.Simulator.Options.Timeout)).ConfigureAwait(false) != write)
            {
                // lightningd would just queue; a plugin that stops reading its stdin is hung.
                _ = write.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                Violate($"stopped reading its stdin (a write did not complete within {Node.Simulator.Options.Timeout.TotalMilliseconds:0} ms)",
                    ViolationConsequence.PluginExited);
                return;
            }
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The plugin is gone; the reader reports it.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteAndFlushAsync(byte[] bytes)
    {
        await _transport.Stdin.WriteAsync(bytes).ConfigureAwait(false);
        await _transport.Stdin.FlushAsync().ConfigureAwait(false);
    }

    internal bool Subscribes(string topic) =>
        IsRunning && Manifest!.Subscriptions.Any(s => s == topic || s == "*");

    // ---------------------------------------------------------------- reading

    private async Task ReadLoopAsync()
    {
        var reader = new JsonStreamReader(_transport.Stdout,
            chunk => _transcript.Add(new TranscriptRecord(TranscriptDirection.Out, chunk.ToArray())));
        try
        {
            while (!_killed)
            {
                byte[]? message = await reader.ReadAsync(_readCts.Token).ConfigureAwait(false);
                if (message is null)
                    break;
                Handle(message);
            }
        }
        catch (JsonFramingException e)
        {
            Violate($"Failed to parse RPC JSON response '{e.Buffer}'", ViolationConsequence.PluginKilled);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Killed, or the pipe broke: handled below.
        }

        _stdoutClosed.TrySetResult();
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var request))
                request.Fail(Name);
        }

        if (_killed)
            return;

        bool wasRunning = State == PluginState.Running;
        State = PluginState.Stopped;
        Node.OnPluginGone(this);
        if (wasRunning && !_stopping)
        {
            Exception? inner = await ExitExceptionAsync().ConfigureAwait(false);
            Violate("exited during normal operation", ViolationConsequence.PluginExited, inner, kill: false, level: NodeLogLevel.Info);
        }
    }

    private async Task<Exception?> ExitExceptionAsync()
    {
        try
        {
            await _transport.Exited.WaitAsync(Node.Simulator.Options.Timeout).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private void Handle(byte[] message)
    {
        string text = Encoding.UTF8.GetString(message);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            Violate($"Failed to parse RPC JSON response '{text}'", ViolationConsequence.PluginKilled);
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jsonrpc", out _))
            {
                Violate($"JSON-RPC message does not contain \"jsonrpc\" field: '{text}'", ViolationConsequence.PluginKilled);
                return;
            }

            if (root.TryGetProperty("id", out var idTok))
            {
                string key = ManifestParser.TokText(idTok);
                // lightningd ignores a response to a request it no longer (or never) had.
                if (_pending.TryRemove(key, out var request))
                    request.Succeed(root.Clone());
                return;
            }

            string? error = HandleNotification(root, text);
            if (error is not null)
                Violate(error, ViolationConsequence.PluginKilled);
        }
    }

    private string? HandleNotification(JsonElement root, string text)
    {
        if (!root.TryGetProperty("method", out var methodTok) || !root.TryGetProperty("params", out var paramsTok))
            return $"Malformed JSON-RPC notification missing \"method\" or \"params\": {text}";

        string method = ManifestParser.TokText(methodTok);
        if (method == "log")
            return HandleLog(paramsTok);

        if (method is "message" or "progress")
        {
            if (paramsTok.ValueKind != JsonValueKind.Object || !paramsTok.TryGetProperty("id", out _))
                return "JSON-RPC notify \"id\"-field is not present";
            _notifications.Add(new PluginNotification(method, paramsTok.GetRawText()));
            return null;
        }

        _notifications.Add(new PluginNotification(method, paramsTok.GetRawText()));
        if (Manifest is null || !Manifest.Notifications.Contains(method))
        {
            Node.AddLog(NodeLogLevel.Unusual, Source,
                $"Plugin attempted to send a notification to topic \"{method}\" it hasn't declared in its manifest, not forwarding to subscribers.");
            return null;
        }

        Node.ForwardCustomNotification(this, method, paramsTok.GetRawText());
        return null;
    }

    private string? HandleLog(JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("message", out var msgTok) || msgTok.ValueKind != JsonValueKind.String)
            return "Log notification from plugin doesn't have a string \"message\" field";

        var level = NodeLogLevel.Info;
        if (p.TryGetProperty("level", out var levelTok))
        {
            string name = ManifestParser.TokText(levelTok);
            NodeLogLevel? parsed = name.ToLowerInvariant() switch
            {
                "trace" => NodeLogLevel.Trace,
                "debug" => NodeLogLevel.Debug,
                "info" => NodeLogLevel.Info,
                "unusual" or "warn" => NodeLogLevel.Unusual,
                "broken" or "error" => NodeLogLevel.Broken,
                _ => null,
            };
            if (parsed is null)
                return $"Unknown log-level {levelTok.GetRawText()}, valid values are \"trace\", \"debug\", \"info\", \"warn\", or \"error\".";
            level = parsed.Value;
        }

        string message = msgTok.GetString()!;
        string raw = msgTok.GetRawText();
        var lines = raw.Contains('\\', StringComparison.Ordinal) ? message.Split('\n') : [message];
        foreach (var line in lines)
        {
            _log.Add(Node.AddLog(level, Source, line));
        }
        return null;
    }

    // ---------------------------------------------------------------- ending

    internal PluginProtocolViolationException Violate(
        string message, ViolationConsequence consequence, Exception? inner = null, bool kill = true, NodeLogLevel level = NodeLogLevel.Unusual)
    {
        var violation = new PluginProtocolViolationException(Node.Name, Name, message, consequence, inner);
        _violations.Add(violation);
        Node.AddViolation(violation);
        if (consequence == ViolationConsequence.LightningdExits)
            Node.AddLog(NodeLogLevel.Broken, "lightningd", message);
        if (kill)
            Kill(level, message);
        else if (message.StartsWith("exited ", StringComparison.Ordinal))
            Node.AddLog(level, Source, $"Killing plugin: {message}"); // lightningd's line when a plugin's stdout closes
        else if (consequence != ViolationConsequence.LightningdExits)
            Node.AddLog(level, Source, message);
        return violation;
    }

    /// <summary>lightningd's <c>plugin_kill</c>: log (unless <paramref name="log"/> is false: lightningd died first), SIGKILL, forget the plugin.</summary>
    internal void Kill(NodeLogLevel level, string message, bool log = true)
    {
        if (_killed)
            return;
        _killed = true;
        if (log)
            Node.AddLog(level, Source, $"Killing plugin: {message}");
        State = State == PluginState.Starting && DisabledReason is not null ? PluginState.Disabled : PluginState.Stopped;
        _transport.Kill();
        _readCts.Cancel();
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var request))
                request.Fail(Name);
        }
        Node.OnPluginGone(this);
    }

    /// <summary>Closes stdin and waits for the plugin to exit; kills it after the timeout.</summary>
    internal async Task ShutdownAsync(bool sendShutdown, TimeSpan timeout)
    {
        if (_killed || _stdoutClosed.Task.IsCompleted)
        {
            State = State == PluginState.Disabled ? PluginState.Disabled : PluginState.Stopped;
            return;
        }

        _stopping = true;
        if (sendShutdown && Subscribes("shutdown"))
        {
            await WriteAsync(LightningdJson.Notification("shutdown", _ => { })).ConfigureAwait(false);
            if (await ExitedWithinAsync(timeout).ConfigureAwait(false))
                return;
        }

        _transport.CloseStdin();
        if (await ExitedWithinAsync(timeout).ConfigureAwait(false))
            return;

        Violate("failed to self-terminate in time, killing.", ViolationConsequence.PluginKilled, level: NodeLogLevel.Unusual);
    }

    private async Task<bool> ExitedWithinAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_stdoutClosed.Task, Task.Delay(timeout)).ConfigureAwait(false);
        if (done != _stdoutClosed.Task)
            return false;
        State = PluginState.Stopped;
        // Give the process (or the in-process task) a moment to finish after closing stdout.
        await Task.WhenAny(_transport.Exited, Task.Delay(timeout)).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({State})";
}

/// <summary>A notification a plugin sent to lightningd, other than <c>log</c>.</summary>
/// <param name="Method">The topic.</param>
/// <param name="ParamsJson">The <c>params</c> as the plugin wrote them.</param>
public sealed record PluginNotification(string Method, string ParamsJson);

/// <summary>A request to a plugin failed because the plugin died (lightningd's <c>PLUGIN_TERMINATED</c>).</summary>
public sealed class PluginTerminatedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pluginName">The plugin that died.</param>
    public PluginTerminatedException(string pluginName)
        : base($"Plugin '{pluginName}' terminated before answering.") => PluginName = pluginName;

    /// <summary>The plugin that died.</summary>
    public string PluginName { get; }
}
