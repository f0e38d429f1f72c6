using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing.Internal;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>
/// One simulated lightningd: a node id, a lightning-dir with a <c>lightning-rpc</c> unix socket, the
/// plugins it runs, and its connections to other simulated nodes. Create it with
/// <see cref="LightningdSimulator.AddNode(string, Key?)"/>.
/// </summary>
public sealed partial class SimulatedNode : IAsyncDisposable
{
    /// <summary>The <c>feature_set</c> lightningd v26.06.6 sends in <c>init</c> (recorded), in its order.</summary>
    internal static readonly (string Place, string Bits)[] FeatureSet =
    [
        ("init", "800898880a8a59a1"), ("node", "808898880a8a59a1"), ("channel", ""), ("invoice", "02000002024100"),
        ("bolt12_offer", ""), ("bolt12_invreq", ""), ("bolt12_invoice", "020000"), ("channel_type", "08800000800000"),
    ];

    private readonly object _gate = new();
    private readonly Dictionary<string, byte[]> _features = FeatureSet.ToDictionary(f => f.Place, f => Convert.FromHexString(f.Bits));
    private readonly List<SimulatedPlugin> _plugins = [];
    private readonly Dictionary<string, List<SimulatedPlugin>> _hooks = [];
    private readonly Dictionary<PubKey, PeerConnection> _peers = [];
    private readonly ObservableList<NodeLogEntry> _log = new();
    private readonly ObservableList<PluginProtocolViolationException> _violations = new();
    private readonly ObservableList<string> _standardOutput = new();
    private PluginProtocolViolationException? _fatalViolation;
    private readonly ObservableList<ReceivedCustomMessage> _received = new();
    private readonly Channel<Func<Task>> _events = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _eventLoop;
    private readonly LightningRpcServer _rpcServer;
    private readonly Lazy<LightningClient> _rpc;
    private long _requestId;
    private long _cliId = 32000;
    private int _evenSendLogged;

    /// <summary>The base of <c>makesecret</c> (hsmd's <c>derived_secret</c>).</summary>
    private readonly byte[] _derivedSecret;

    internal SimulatedNode(LightningdSimulator simulator, string name, Key key, byte[] derivedSecret, string lightningDir, int port)
    {
        Simulator = simulator;
        Name = name;
        Key = key;
        _derivedSecret = derivedSecret;
        Id = key.PubKey;
        LightningDir = lightningDir;
        Port = port;
        Directory.CreateDirectory(lightningDir);
        RpcPath = Path.Combine(lightningDir, "lightning-rpc");
        _rpcServer = new LightningRpcServer(RpcPath, HandleRpcAsync);
        _rpc = new Lazy<LightningClient>(() => new LightningClient("test", _ => Task.FromResult(RpcPath)));
        _eventLoop = Task.Run(RunEventsAsync);
    }

    /// <summary>The simulator this node belongs to.</summary>
    public LightningdSimulator Simulator { get; }

    /// <summary>The node's name (also its <c>alias</c>).</summary>
    public string Name { get; }

    /// <summary>The node's private key.</summary>
    public Key Key { get; }

    /// <summary>The node id.</summary>
    public PubKey Id { get; }

    /// <summary>The node id as lightningd prints it (66 lowercase hex characters).</summary>
    public string IdHex => Id.ToHex();

    /// <summary>The network directory (<c>&lt;lightning-dir&gt;/&lt;network&gt;</c>): plugins' working directory and <c>lightning-dir</c> in <c>init</c>.</summary>
    public string LightningDir { get; }

    /// <summary>The path of the <c>lightning-rpc</c> unix socket.</summary>
    public string RpcPath { get; }

    /// <summary>The (pretend) port the node listens on, shown in connection addresses.</summary>
    public int Port { get; }

    /// <summary>
    /// The SDK's lightningd client (the one a plugin injects) on this node's <c>lightning-rpc</c> socket,
    /// with request ids <c>test:METHOD#N</c>: the typed commands
    /// (<c>await node.Rpc.GetInfoAsync()</c>, <c>SignMessageAsync</c>, ...), <c>CallAsync</c> and
    /// <c>CallPositionalAsync</c> for any other method, and lightning-cli-style calls from
    /// <see cref="LightningClientExtensions"/>. An error answer throws <see cref="ClnRpcException"/>.
    /// </summary>
    public ILightningClient Rpc => _rpc.Value;

    /// <summary>The node's plugins by name, in start order (including stopped ones).</summary>
    public IReadOnlyDictionary<string, SimulatedPlugin> Plugins
    {
        get { lock (_gate) return _plugins.ToDictionary(p => p.Name); }
    }

    /// <summary>The ids of the peers this node is connected to.</summary>
    public IReadOnlyList<PubKey> Peers
    {
        get { lock (_gate) return _peers.Keys.ToArray(); }
    }

    /// <summary>Every line the node logged: its own, connectd's and its plugins'.</summary>
    public IReadOnlyList<NodeLogEntry> Log => _log.Snapshot();

    /// <summary>The protocol violations seen on this node so far.</summary>
    public IReadOnlyList<PluginProtocolViolationException> Violations => _violations.Snapshot();

    /// <summary>
    /// What lightningd printed on its stdout: empty while it runs; the line that stopped it when a plugin's
    /// manifest made it exit or crash at startup (for example
    /// <c>error starting plugin '...': option name 'x' is already taken</c>).
    /// </summary>
    public IReadOnlyList<string> StandardOutput => _standardOutput.Snapshot();

    /// <summary>
    /// The first violation that would have ended the real lightningd (it exited or crashed:
    /// <see cref="ViolationConsequence.LightningdExits"/> or <see cref="ViolationConsequence.LightningdCrashes"/>),
    /// or <see langword="null"/> while the real node would still run. The simulated node keeps running for inspection.
    /// </summary>
    public PluginProtocolViolationException? FatalViolation => Volatile.Read(ref _fatalViolation);

    /// <summary>The custom messages this node accepted from peers, in arrival order.</summary>
    public IReadOnlyList<ReceivedCustomMessage> ReceivedCustomMessages => _received.Snapshot();

    /// <summary>The even types connectd accepts: every running plugin's <c>custommessages</c>.</summary>
    public IReadOnlyCollection<ushort> AllowedEvenTypes
    {
        get { lock (_gate) return _plugins.Where(p => p.IsRunning).SelectMany(p => p.Manifest!.CustomMessages).ToHashSet(); }
    }

    // ---------------------------------------------------------------- starting plugins

    /// <summary>
    /// Starts an in-process plugin over a pair of pipes and runs lightningd's startup with it:
    /// <c>getmanifest</c>, manifest validation, <c>init</c>. Returns once <c>init</c> is answered.
    /// </summary>
    /// <param name="name">The plugin's name (lightningd's short name for it).</param>
    /// <param name="plugin">The plugin's entry point: reads requests from <c>input</c> (its stdin), writes to <c>output</c> (its stdout); its task completing means the plugin exited.</param>
    /// <param name="options">Option values and start mode.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running plugin (or a disabled one, when it disabled itself).</returns>
    /// <exception cref="PluginProtocolViolationException">lightningd would have refused or killed the plugin, or exited.</exception>
    public async Task<SimulatedPlugin> StartPluginAsync(
        string name, Func<Stream, Stream, CancellationToken, Task> plugin, PluginStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(plugin);
        var simulated = Add(new SimulatedPlugin(this, name, name, new InProcessTransport(plugin)));
        await simulated.StartAsync(options ?? new PluginStartOptions(), cancellationToken).ConfigureAwait(false);
        return simulated;
    }

    /// <summary>
    /// Starts a plugin built with the SDK's <see cref="ClnPluginBuilder"/>, in-process over pipes:
    /// <paramref name="configure"/> adds its handlers, options and methods; the simulator sets the
    /// builder's <see cref="ClnPluginBuilder.Name"/> to <paramref name="name"/> and its streams.
    /// </summary>
    /// <param name="name">The plugin's name.</param>
    /// <param name="configure">Configures the builder as the plugin's <c>Program.cs</c> would.</param>
    /// <param name="options">Option values and start mode.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running plugin.</returns>
    /// <exception cref="PluginProtocolViolationException">lightningd would have refused or killed the plugin, or exited.</exception>
    public Task<SimulatedPlugin> StartPluginAsync(
        string name, Action<ClnPluginBuilder> configure, PluginStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return StartPluginAsync(name, async (input, output, ct) =>
        {
            var builder = ClnPlugin.CreateBuilder([]);
            builder.Name = name;
            builder.UseStreams(input, output);
            configure(builder);
            await builder.Build().RunAsync(ct).ConfigureAwait(false);
        }, options, cancellationToken);
    }

    /// <summary>
    /// Starts a plugin executable as a child process exactly as lightningd does: working directory
    /// <see cref="LightningDir"/>, environment <c>LIGHTNINGD_PLUGIN=1</c> and <c>LIGHTNINGD_VERSION</c>,
    /// argv <c>--developer</c> in developer mode, stdin/stdout pipes, stderr captured.
    /// </summary>
    /// <param name="path">The executable (for a framework-dependent .NET app, its apphost; or <c>dotnet</c> with the dll first in <see cref="PluginStartOptions.Arguments"/>).</param>
    /// <param name="options">Option values, extra arguments and environment, start mode.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running plugin (or a disabled one).</returns>
    /// <exception cref="PluginProtocolViolationException">lightningd would have refused or killed the plugin, or exited.</exception>
    public async Task<SimulatedPlugin> StartPluginProcessAsync(string path, PluginStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new PluginStartOptions();
        string fullPath = Path.IsPathRooted(path) || !path.Contains(Path.DirectorySeparatorChar) ? path : Path.GetFullPath(path);
        var startInfo = new ProcessStartInfo(fullPath) { WorkingDirectory = LightningDir };
        foreach (var arg in options.Arguments)
            startInfo.ArgumentList.Add(arg);
        if (Simulator.Options.Developer)
            startInfo.ArgumentList.Add("--developer");
        startInfo.Environment["LIGHTNINGD_PLUGIN"] = "1";
        startInfo.Environment["LIGHTNINGD_VERSION"] = Simulator.Options.Version;
        foreach (var (k, v) in options.Environment)
            startInfo.Environment[k] = v;

        string name = options.Name ?? Path.GetFileName(fullPath);
        var simulated = Add(new SimulatedPlugin(this, name, fullPath, new ProcessTransport(startInfo)));
        await simulated.StartAsync(options, cancellationToken).ConfigureAwait(false);
        return simulated;
    }

    private SimulatedPlugin Add(SimulatedPlugin plugin)
    {
        lock (_gate)
        {
            if (_plugins.Any(p => p.Name == plugin.Name && p.State is PluginState.Starting or PluginState.Running))
                throw new InvalidOperationException($"A plugin named '{plugin.Name}' is already running on node '{Name}'.");
            _plugins.RemoveAll(p => p.Name == plugin.Name);
            _plugins.Add(plugin);
        }
        return plugin;
    }

    internal async Task StopPluginAsync(SimulatedPlugin plugin, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await DrainEventsAsync().ConfigureAwait(false); // what was queued before the stop reaches the plugin first
        await plugin.ShutdownAsync(sendShutdown: true, Simulator.Options.Timeout).ConfigureAwait(false);
        OnPluginGone(plugin);
    }

    // ---------------------------------------------------------------- waiting

    /// <summary>Waits until the node (or one of its plugins) logs a line containing <paramref name="text"/>.</summary>
    /// <exception cref="TimeoutException">No such line in time; the message lists the lines seen.</exception>
    public Task<NodeLogEntry> WaitForLogAsync(string text, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _log.WaitForAsync(e => e.Message.Contains(text, StringComparison.Ordinal), timeout ?? Simulator.Options.Timeout,
            $"a log line of node '{Name}' containing \"{text}\"", cancellationToken);

    /// <summary>Waits until the node logs a line matching <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">No such line in time; the message lists the lines seen.</exception>
    public Task<NodeLogEntry> WaitForLogAsync(Func<NodeLogEntry, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _log.WaitForAsync(predicate, timeout ?? Simulator.Options.Timeout, $"a matching log line of node '{Name}'", cancellationToken);

    /// <summary>
    /// Waits until a custom message matching <paramref name="predicate"/> (any, when null) has arrived
    /// and every plugin's <c>custommsg</c> hook has answered it.
    /// </summary>
    /// <exception cref="TimeoutException">No such message was handled in time.</exception>
    /// <exception cref="PluginProtocolViolationException">A hook answered in a way that would crash lightningd.</exception>
    public async Task<ReceivedCustomMessage> WaitForCustomMessageAsync(
        Func<ReceivedCustomMessage, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? Simulator.Options.Timeout;
        var watch = Stopwatch.StartNew();
        var message = await _received.WaitForAsync(predicate ?? (_ => true), limit,
            $"a custom message on node '{Name}'", cancellationToken).ConfigureAwait(false);
        var left = limit - watch.Elapsed;
        try
        {
            await message.Handled.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Custom message {message.Hex} reached node '{Name}' but its custommsg hooks did not all answer within {limit.TotalMilliseconds:0} ms.");
        }
        return message;
    }

    /// <summary>Waits until the custom-message type <paramref name="type"/> has been received and handled.</summary>
    /// <exception cref="TimeoutException">No such message was handled in time.</exception>
    public Task<ReceivedCustomMessage> WaitForCustomMessageAsync(ushort type, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForCustomMessageAsync(m => m.Type == type, timeout, cancellationToken);

    // ---------------------------------------------------------------- inbound traffic a test can inject

    /// <summary>
    /// Makes this node receive <paramref name="message"/> (2-byte type included) from
    /// <paramref name="peer"/> as connectd would: an even type no plugin lists makes the node warn and
    /// disconnect; anything else goes to the <c>custommsg</c> notification and hooks. The peer need not
    /// be a simulated node; it is connected first if it is not.
    /// </summary>
    /// <returns>Completes once the message is queued for delivery.</returns>
    public Task ReceiveCustomMessageAsync(PubKey peer, ReadOnlyMemory<byte> message)
    {
        ArgumentNullException.ThrowIfNull(peer);
        bool known;
        lock (_gate) known = _peers.ContainsKey(peer);
        if (!known)
            AttachPeer(peer, null, incoming: true, port: Simulator.NextEphemeralPort());
        EnqueueIncoming(peer, message.ToArray());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Connects a peer that is not a simulated node (an incoming connection by default): subscribers get
    /// the <c>connect</c> notification and <c>peer_connected</c> hooks run. Messages from it are injected
    /// with <see cref="ReceiveCustomMessageAsync"/>; messages to it are accepted and dropped.
    /// </summary>
    /// <param name="peer">The peer's node id.</param>
    /// <param name="incoming">Whether the peer dialed this node (<c>direction</c> <c>in</c>).</param>
    /// <returns>Completes once the notification and hooks ran.</returns>
    public Task AddPeerAsync(PubKey peer, bool incoming = true)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return AttachPeer(peer, null, incoming, incoming ? Simulator.NextEphemeralPort() : 9735).WaitAsync(Simulator.Options.Timeout);
    }

    /// <summary>Drops the connection to <paramref name="peer"/> (simulated or not); both sides get <c>disconnect</c>.</summary>
    /// <param name="peer">The peer's node id.</param>
    public Task DisconnectPeerAsync(PubKey peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Simulator.DisconnectAsync(this, peer).WaitAsync(Simulator.Options.Timeout);
    }

    /// <summary>
    /// Waits for the next protocol violation on this node (by any plugin, or by a caller of lightning-rpc)
    /// and marks it as expected, so that <see cref="LightningdSimulator.DisposeAsync"/> does not rethrow it.
    /// </summary>
    /// <exception cref="TimeoutException">None happened in time.</exception>
    public async Task<PluginProtocolViolationException> WaitForViolationAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var violation = await _violations.WaitForAsync(v => !v.Observed, timeout ?? Simulator.Options.Timeout,
            $"a protocol violation on node '{Name}'", cancellationToken).ConfigureAwait(false);
        violation.Observed = true;
        return violation;
    }

    /// <summary>Sends a native notification (wrapped under its topic) to every subscribed plugin.</summary>
    /// <param name="topic">The topic, for example <c>block_added</c>.</param>
    /// <param name="fields">The object lightningd would put under the topic.</param>
    public Task NotifyAsync(string topic, JsonObject fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(fields);
        var bytes = LightningdJson.Notification(topic, w =>
        {
            foreach (var (key, value) in fields)
            {
                w.WritePropertyName(key);
                if (value is null) w.WriteNullValue();
                else value.WriteTo(w);
            }
        });
        return EnqueueAsync(() => BroadcastAsync(topic, bytes));
    }

    // ---------------------------------------------------------------- internals: ids, logs, violations

    internal string NextRequestId(string method, string? prefix)
    {
        long n = Interlocked.Increment(ref _requestId) - 1;
        return prefix is null ? $"cln:{method}#{n}" : $"{prefix}/cln:{method}#{n}";
    }

    internal long NextCliId() => Interlocked.Increment(ref _cliId);

    internal NodeLogEntry AddLog(NodeLogLevel level, string source, string message)
    {
        var entry = new NodeLogEntry(Simulator.Clock.GetUtcNow(), level, source, message);
        _log.Add(entry);
        if (level >= NodeLogLevel.Unusual)
            NotifyWarning(entry); // lightningd turns every UNUSUAL/BROKEN line into a warning notification
        return entry;
    }

    internal void AddViolation(PluginProtocolViolationException violation)
    {
        if (violation.Consequence is ViolationConsequence.LightningdExits or ViolationConsequence.LightningdCrashes)
            Interlocked.CompareExchange(ref _fatalViolation, violation, null);
        _violations.Add(violation);
    }

    internal void AddStandardOutput(string line) => _standardOutput.Add(line);

    /// <summary>Whether an option name is taken: one of lightningd's own (with its built-in plugins') or a live plugin's.</summary>
    internal bool IsOptionTaken(string name)
    {
        if (LightningdNames.IsOption(name))
            return true;
        lock (_gate)
            return _plugins.Any(p => p.State is PluginState.Running or PluginState.Starting && p.Manifest?.Options.Any(o => o.Name == name) == true);
    }

    /// <summary>Who serves a method on this node's lightning-rpc: "lightningd" (built-in or mapped by the test), a running plugin's command, or null.</summary>
    internal string? MethodOwner(string method)
    {
        if (BuiltInMethods.Contains(method) || _userMethods.ContainsKey(method))
            return ManifestParser.Lightningd;
        lock (_gate)
            return _plugins.FirstOrDefault(p => p.IsRunning && p.Manifest!.RpcMethods.Any(m => m.Name == method))?.Command;
    }

    /// <summary>
    /// Who owns a method name a plugin's manifest announces, as lightningd v26.06.6 sees it:
    /// the built-in plugin's path for its commands; <see cref="ManifestParser.Lightningd"/> for its own commands
    /// (every other recorded command, and those the simulator serves or a test mapped); a running plugin's
    /// command for its methods; else null.
    /// </summary>
    internal string? ManifestMethodOwner(string method)
    {
        if (BuiltInPlugins.PathOf(method) is { } builtIn)
            return builtIn; // also when a test mapped it: it stands for that plugin's command
        if (MethodOwner(method) is { } owner)
            return owner;
        return LightningdNames.IsCommand(method) ? ManifestParser.Lightningd : null;
    }

    // ---------------------------------------------------------------- feature bits

    /// <summary>The node's feature bits by place, in lightningd's order (plugins' bits included).</summary>
    internal IReadOnlyList<(string Place, string Bits)> CurrentFeatureSet()
    {
        lock (_gate)
            return FeatureSet.Select(f => (f.Place, Convert.ToHexStringLower(_features[f.Place]))).ToArray();
    }

    /// <summary><c>feature_set_or</c>: adds a plugin's bits unless one of them (or its pair) is already offered.</summary>
    internal bool TryAddFeatureBits(IReadOnlyDictionary<string, string> bits)
    {
        lock (_gate)
        {
            foreach (var (place, hex) in bits)
            {
                var ours = _features[place];
                foreach (int bit in SetBits(Convert.FromHexString(hex)))
                {
                    if (HasBit(ours, bit) || HasBit(ours, bit ^ 1))
                        return false;
                }
            }
            foreach (var (place, hex) in bits)
                _features[place] = Combine(_features[place], Convert.FromHexString(hex), add: true);
            return true;
        }
    }

    /// <summary><c>feature_set_sub</c>: a plugin that disabled itself at init takes its bits back.</summary>
    internal void RemoveFeatureBits(IReadOnlyDictionary<string, string> bits)
    {
        lock (_gate)
        {
            foreach (var (place, hex) in bits)
                _features[place] = Combine(_features[place], Convert.FromHexString(hex), add: false);
        }
    }

    private static IEnumerable<int> SetBits(byte[] bitmap)
    {
        for (int bit = 0; bit < bitmap.Length * 8; bit++)
        {
            if (HasBit(bitmap, bit))
                yield return bit;
        }
    }

    private static bool HasBit(byte[] bitmap, int bit) =>
        bit / 8 < bitmap.Length && (bitmap[bitmap.Length - 1 - (bit / 8)] & (1 << (bit % 8))) != 0;

    private static byte[] Combine(byte[] a, byte[] b, bool add)
    {
        var result = new byte[Math.Max(a.Length, b.Length)];
        a.CopyTo(result, result.Length - a.Length);
        for (int i = 0; i < b.Length; i++)
        {
            int at = result.Length - b.Length + i;
            result[at] = add ? (byte)(result[at] | b[i]) : (byte)(result[at] & ~b[i]);
        }
        return result;
    }

    // ---------------------------------------------------------------- hooks

    /// <summary>Adds the plugin's hooks and reorders each chain (plugin_hook_make_ordered). Returns an error text or null.</summary>
    internal string? RegisterHooks(SimulatedPlugin plugin)
    {
        lock (_gate)
        {
            foreach (var hook in plugin.Manifest!.Hooks)
            {
                if (!_hooks.TryGetValue(hook.Name, out var chain))
                    _hooks[hook.Name] = chain = [];
                chain.Add(plugin);
                var ordered = Order(hook.Name, chain);
                if (ordered is null)
                {
                    foreach (var list in _hooks.Values)
                        list.Remove(plugin);
                    return "Cannot meet required hook dependencies";
                }
                _hooks[hook.Name] = ordered;
            }
        }
        return null;
    }

    internal void UnregisterHooks(SimulatedPlugin plugin)
    {
        lock (_gate)
        {
            foreach (var list in _hooks.Values)
                list.Remove(plugin);
        }
    }

    private List<SimulatedPlugin>? Order(string hookName, List<SimulatedPlugin> chain)
    {
        // Kahn's algorithm, always taking the earliest-started plugin that is free, as lightningd does.
        var index = chain.ToDictionary(p => p, p => _plugins.IndexOf(p));
        var incoming = chain.ToDictionary(p => p, _ => 0);
        var outgoing = chain.ToDictionary(p => p, _ => new List<SimulatedPlugin>());
        foreach (var p in chain)
        {
            var info = p.Manifest!.Hooks.First(h => h.Name == hookName);
            // "before n" is an edge p -> n, "after n" an edge n -> p.
            foreach (var (names, word, isBefore) in new[] { (info.Before, "before", true), (info.After, "after", false) })
            {
                foreach (var name in names)
                {
                    var n = chain.FirstOrDefault(x => x.Name == name);
                    if (n is null)
                    {
                        AddLog(NodeLogLevel.Debug, p.Source, $"hook {hookName} {word} unknown plugin {name}");
                        continue;
                    }

                    var (from, to) = isBefore ? (p, n) : (n, p);
                    outgoing[from].Add(to);
                    incoming[to]++;
                }
            }
        }

        var done = new List<SimulatedPlugin>();
        var finished = new HashSet<SimulatedPlugin>();
        while (true)
        {
            var best = chain.Where(p => !finished.Contains(p) && incoming[p] == 0).OrderBy(p => index[p]).FirstOrDefault();
            if (best is null)
                break;
            done.Add(best);
            finished.Add(best);
            foreach (var n in outgoing[best])
                incoming[n]--;
        }
        return done.Count == chain.Count ? done : null;
    }

    private List<SimulatedPlugin> HookChain(string hookName)
    {
        lock (_gate)
            return _hooks.TryGetValue(hookName, out var chain) ? chain.ToList() : [];
    }

    /// <summary>The plugins registered for a hook, in the order lightningd calls them.</summary>
    public IReadOnlyList<string> GetHookOrder(string hookName) => HookChain(hookName).Select(p => p.Name).ToArray();

    // ---------------------------------------------------------------- plugin lifecycle callbacks

    internal async Task OnPluginStartedAsync(SimulatedPlugin plugin)
    {
        string[] methods = plugin.Manifest!.RpcMethods.Select(m => m.Name).ToArray();
        var bytes = LightningdJson.Notification("plugin_started", w =>
        {
            w.WriteString("plugin_name", plugin.Name);
            w.WriteString("plugin_path", plugin.Command);
            w.WriteStartArray("methods");
            foreach (var m in methods)
                w.WriteStringValue(m);
            w.WriteEndArray();
        });
        await EnqueueAsync(() => BroadcastAsync("plugin_started", bytes)).ConfigureAwait(false);
    }

    internal void OnPluginGone(SimulatedPlugin plugin) => UnregisterHooks(plugin);

    internal void NotifyWarning(NodeLogEntry entry)
    {
        var now = entry.Timestamp;
        var bytes = LightningdJson.Notification("warning", w =>
        {
            w.WriteString("level", entry.Level == NodeLogLevel.Broken ? "error" : "warn");
            long ticks = now.ToUnixTimeMilliseconds();
            w.WriteString("time", $"{ticks / 1000}.{ticks % 1000 * 1_000_000:000000000}");
            w.WriteString("timestamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("source", entry.Source);
            w.WriteString("log", entry.Message);
        });
        _ = EnqueueAsync(() => BroadcastAsync("warning", bytes));
    }

    internal void ForwardCustomNotification(SimulatedPlugin origin, string topic, string rawParams)
    {
        var bytes = LightningdJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("method", topic);
            w.WriteString("origin", origin.Name);
            w.WritePropertyName("params");
            w.WriteRawValue(rawParams, skipInputValidation: true);
            w.WriteEndObject();
        });
        _ = EnqueueAsync(() => BroadcastAsync(topic, bytes));
    }

    // ---------------------------------------------------------------- the event loop (lightningd's single thread)

    internal Task EnqueueAsync(Func<Task> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_events.Writer.TryWrite(async () =>
            {
                try
                {
                    await work().ConfigureAwait(false);
                    done.TrySetResult();
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                    throw;
                }
            }))
        {
            done.TrySetCanceled();
        }
        return done.Task;
    }

    /// <summary>Waits until everything queued so far has been written (bounded by the timeout).</summary>
    private async Task DrainEventsAsync()
    {
        try
        {
            await EnqueueAsync(() => Task.CompletedTask).WaitAsync(Simulator.Options.Timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException)
        {
            AddLog(NodeLogLevel.Broken, "simulator", "The event loop did not drain in time.");
        }
    }

    private async Task RunEventsAsync()
    {
        await foreach (var work in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                AddLog(NodeLogLevel.Broken, "simulator", $"Internal error: {e}");
            }
        }
    }

    private async Task BroadcastAsync(string topic, byte[] bytes)
    {
        List<SimulatedPlugin> subscribers;
        lock (_gate)
            subscribers = _plugins.Where(p => p.Subscribes(topic)).ToList();
        foreach (var plugin in subscribers)
            await plugin.WriteAsync(bytes).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- peers

    internal sealed record PeerConnection(PubKey Id, SimulatedNode? Remote, bool Incoming, int Port);

    internal bool IsConnectedTo(PubKey peer)
    {
        lock (_gate) return _peers.ContainsKey(peer);
    }

    internal PeerConnection? GetPeer(PubKey peer)
    {
        lock (_gate) return _peers.GetValueOrDefault(peer);
    }

    /// <summary>
    /// Records the connection and runs the <c>peer_connected</c> hook chain; the <c>connect</c>
    /// notification follows once every hook said <c>continue</c> (peer_connected_hook_final). The
    /// returned task completes when the chain is over.
    /// </summary>
    internal Task AttachPeer(PubKey peer, SimulatedNode? remote, bool incoming, int port)
    {
        var connection = new PeerConnection(peer, remote, incoming, port);
        lock (_gate)
        {
            if (_peers.ContainsKey(peer))
                return Task.CompletedTask;
            _peers[peer] = connection;
        }
        AddLog(NodeLogLevel.Debug, $"{peer.ToHex()}-lightningd", "peer_connected");
        var call = new PeerConnectedCall(connection, HookChain("peer_connected"));
        _ = EnqueueAsync(() => CallNextPeerConnectedHookAsync(call, -1));
        return call.Done.Task;
    }

    private sealed record PeerConnectedCall(PeerConnection Connection, List<SimulatedPlugin> Chain)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Calls the next <c>peer_connected</c> hook on the event loop; messages from the peer keep flowing meanwhile.</summary>
    private async Task CallNextPeerConnectedHookAsync(PeerConnectedCall call, int after)
    {
        var connection = call.Connection;
        for (int i = after + 1; i < call.Chain.Count; i++)
        {
            var plugin = call.Chain[i];
            if (!plugin.IsRunning)
                continue;

            int index = i;
            int settled = 0;
            var timer = new CancellationTokenSource(Simulator.Options.Timeout);
            timer.Token.Register(() =>
            {
                if (Interlocked.Exchange(ref settled, 1) == 0)
                {
                    plugin.Violate($"did not answer the peer_connected hook within {Simulator.Options.Timeout.TotalMilliseconds:0} ms (lightningd would wait forever)",
                        ViolationConsequence.PluginExited, kill: false);
                    call.Done.TrySetResult();
                }
            });

            await plugin.SendRequestAsync("peer_connected", null, w =>
            {
                w.WriteStartObject("peer");
                w.WriteString("id", connection.Id.ToHex());
                w.WriteString("direction", connection.Incoming ? "in" : "out");
                w.WriteString("addr", $"127.0.0.1:{connection.Port}");
                w.WriteString("features", FeatureSet[0].Bits);
                w.WriteEndObject();
            }, onSettled: answer =>
            {
                if (Interlocked.Exchange(ref settled, 1) != 0)
                    return;
                timer.Dispose();
                _ = EnqueueAsync(() => OnPeerConnectedAnswerAsync(call, index, plugin, answer));
            }).ConfigureAwait(false);
            return;
        }

        // Every hook said continue: connected; tell the subscribers.
        if (IsConnectedTo(connection.Id))
        {
            var bytes = LightningdJson.Notification("connect", w =>
            {
                w.WriteString("id", connection.Id.ToHex());
                w.WriteString("direction", connection.Incoming ? "in" : "out");
                LightningdJson.WriteAddress(w, "address", connection.Port);
            });
            await BroadcastAsync("connect", bytes).ConfigureAwait(false);
        }
        call.Done.TrySetResult();
    }

    private Task OnPeerConnectedAnswerAsync(PeerConnectedCall call, int index, SimulatedPlugin plugin, Task<JsonElement> answerTask)
    {
        if (!answerTask.IsCompletedSuccessfully)
            return CallNextPeerConnectedHookAsync(call, index); // the plugin died: skipped

        var answer = answerTask.Result;
        if (!answer.TryGetProperty("result", out var result))
        {
            plugin.Violate($"Plugin {plugin.Name} for peer_connected returned non-result response {answer.GetRawText()}", ViolationConsequence.LightningdExits, kill: false);
            call.Done.TrySetResult();
            return Task.CompletedTask;
        }

        string? verdict = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("result", out var r) ? ManifestParser.TokText(r) : null;
        if (verdict == "continue")
            return CallNextPeerConnectedHookAsync(call, index);

        if (verdict == "disconnect")
        {
            string why = result.TryGetProperty("error_message", out var em) ? ManifestParser.TokText(em) : "";
            AddLog(NodeLogLevel.Debug, "lightningd", $"peer_connected hook rejects and says '{why}'");
            // The peer never counted as connected here: no connect and no disconnect notification.
            var remote = GetPeer(call.Connection.Id)?.Remote;
            lock (_gate) _peers.Remove(call.Connection.Id);
            if (remote is not null)
            {
                remote.AddLog(NodeLogLevel.Info, $"{Id.ToHex()}-connectd", $"Received WIRE_WARNING: WARNING: {why}");
                _ = remote.DetachPeer(Id);
            }
            call.Done.TrySetResult();
            return Task.CompletedTask;
        }

        plugin.Violate($"Plugin returned an invalid response to the peer_connected hook: {answer.GetRawText()}", ViolationConsequence.LightningdExits, kill: false);
        call.Done.TrySetResult();
        return Task.CompletedTask;
    }

    /// <summary>Forgets the connection and queues the <c>disconnect</c> notification.</summary>
    internal Task DetachPeer(PubKey peer)
    {
        lock (_gate)
        {
            if (!_peers.Remove(peer))
                return Task.CompletedTask;
        }
        AddLog(NodeLogLevel.Debug, $"{peer.ToHex()}-lightningd", "peer_disconnected");
        var bytes = LightningdJson.Notification("disconnect", w => w.WriteString("id", peer.ToHex()));
        return EnqueueAsync(() => BroadcastAsync("disconnect", bytes));
    }

    // ---------------------------------------------------------------- custom messages in

    internal void EnqueueIncoming(PubKey from, byte[] message) =>
        _ = EnqueueAsync(() => DeliverAsync(from, message));

    private async Task DeliverAsync(PubKey from, byte[] message)
    {
        var peer = GetPeer(from);
        if (peer is null)
            return; // the connection dropped before the message was read: lost, as on the wire

        int type = PeerWire.PeekType(message);
        string hex = Convert.ToHexStringLower(message);
        string peerSource = $"{from.ToHex()}-connectd";
        AddLog(NodeLogLevel.Debug, peerSource, $"peer_in {PeerWire.Name(type)}");

        if (type >= 0 && type % 2 == 0 && !PeerWire.IsInternal(type) && !AllowedEvenTypes.Contains((ushort)type))
        {
            // connectd/multiplex.c handle_custommsg: warn, then disconnect.
            AddLog(NodeLogLevel.Unusual, peerSource, $"Invalid unknown even msg {hex}");
            AddLog(NodeLogLevel.Debug, peerSource, "peer_out WIRE_WARNING");
            AddLog(NodeLogLevel.Debug, peerSource, "draining, but sending WIRE_WARNING.");
            if (peer.Remote is { } remote)
            {
                string remoteSource = $"{Id.ToHex()}-connectd";
                remote.AddLog(NodeLogLevel.Debug, remoteSource, "peer_in WIRE_WARNING");
                remote.AddLog(NodeLogLevel.Info, remoteSource, $"Received WIRE_WARNING: WARNING: Invalid unknown even msg {hex}");
            }
            // Not awaited: the disconnect notification is queued behind this very work item.
            _ = Simulator.DisconnectAsync(this, from);
            return;
        }

        var received = new ReceivedCustomMessage(from, message, Simulator.NextReceivedSequence(), Simulator.Clock.GetUtcNow());
        _received.Add(received);

        var notification = LightningdJson.Notification("custommsg", w =>
        {
            w.WriteString("peer_id", from.ToHex());
            w.WriteString("payload", hex);
        });
        await BroadcastAsync("custommsg", notification).ConfigureAwait(false);

        var call = new CustomMsgCall(received, HookChain("custommsg"), from, hex, type);
        await CallNextCustomMsgHookAsync(call, -1).ConfigureAwait(false);
    }

    private sealed record CustomMsgCall(ReceivedCustomMessage Received, List<SimulatedPlugin> Chain, PubKey From, string Hex, int Type);

    /// <summary>
    /// Calls the next callable plugin of the chain after <paramref name="after"/>. Runs on the event
    /// loop; the answer is handled there too, in the order plugins answer, as lightningd's loop does,
    /// while later messages go on without waiting for this chain.
    /// </summary>
    private async Task CallNextCustomMsgHookAsync(CustomMsgCall call, int after)
    {
        for (int i = after + 1; i < call.Chain.Count; i++)
        {
            var plugin = call.Chain[i];
            if (!plugin.IsRunning || !plugin.Manifest!.Hooks.First(h => h.Name == "custommsg").IsCallable(call.Type))
                continue;

            int index = i;
            int settled = 0;
            var timer = new CancellationTokenSource(Simulator.Options.Timeout);
            timer.Token.Register(() =>
            {
                if (Interlocked.Exchange(ref settled, 1) == 0)
                {
                    call.Received.Complete(plugin.Violate(
                        $"did not answer the custommsg hook within {Simulator.Options.Timeout.TotalMilliseconds:0} ms (lightningd would wait forever)",
                        ViolationConsequence.PluginExited, kill: false));
                }
            });

            call.Received.AddHookCall(plugin.Name);
            await plugin.SendRequestAsync("custommsg", null, w =>
            {
                w.WriteString("payload", call.Hex);
                w.WriteString("peer_id", call.From.ToHex());
            }, onSettled: answer =>
            {
                if (Interlocked.Exchange(ref settled, 1) != 0)
                    return;
                timer.Dispose();
                _ = EnqueueAsync(() => OnCustomMsgAnswerAsync(call, index, plugin, answer));
            }).ConfigureAwait(false);
            return;
        }

        call.Received.Complete(null);
    }

    private Task OnCustomMsgAnswerAsync(CustomMsgCall call, int index, SimulatedPlugin plugin, Task<JsonElement> answerTask)
    {
        if (!answerTask.IsCompletedSuccessfully)
        {
            // PLUGIN_TERMINATED: lightningd skips the dead plugin and goes on with the chain.
            AddLog(NodeLogLevel.Debug, "lightningd", "Plugin died from custommsg hook call");
            return CallNextCustomMsgHookAsync(call, index);
        }

        var answer = answerTask.Result;
        if (!answer.TryGetProperty("result", out var result))
        {
            call.Received.Complete(plugin.Violate(
                $"Plugin {plugin.Name} for custommsg returned non-result response {answer.GetRawText()}",
                ViolationConsequence.LightningdExits, kill: false));
            return Task.CompletedTask;
        }

        if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("result", out var verdict)
            || verdict.ValueKind != JsonValueKind.String || verdict.GetString() != "continue")
        {
            call.Received.Complete(plugin.Violate(
                $"Plugin returned an invalid response to the custommsg hook: {answer.GetRawText()}",
                ViolationConsequence.LightningdExits, kill: false));
            return Task.CompletedTask;
        }

        return CallNextCustomMsgHookAsync(call, index);
    }

    // ---------------------------------------------------------------- disposal

    /// <summary>
    /// Shuts the node down as lightningd does: <c>shutdown</c> to subscribers, stdin closed for every
    /// plugin, a plugin still alive after the timeout killed (and recorded as a violation); then the
    /// socket is closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        List<SimulatedPlugin> plugins;
        lock (_gate) plugins = _plugins.ToList();
        await DrainEventsAsync().ConfigureAwait(false);
        await Task.WhenAll(plugins.Select(p => p.ShutdownAsync(sendShutdown: true, Simulator.Options.Timeout))).ConfigureAwait(false);
        _events.Writer.TryComplete();
        try
        {
            await _eventLoop.WaitAsync(Simulator.Options.Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            AddLog(NodeLogLevel.Broken, "simulator", "The event loop did not drain before shutdown.");
        }
        if (_rpc.IsValueCreated)
            await _rpc.Value.DisposeAsync().ConfigureAwait(false);
        await _rpcServer.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({IdHex})";
}

/// <summary>A custom message a simulated node accepted from a peer.</summary>
public sealed class ReceivedCustomMessage
{
    private readonly TaskCompletionSource _handled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _hookCalls = [];

    internal ReceivedCustomMessage(PubKey peerId, byte[] payload, long sequence, DateTimeOffset receivedAt)
    {
        PeerId = peerId;
        Payload = payload;
        Sequence = sequence;
        ReceivedAt = receivedAt;
    }

    /// <summary>
    /// The order in which the simulator's nodes received their messages: 1 for the first message any node
    /// of the simulator accepted, then 2, 3... Assigned when the node accepts the message, before its
    /// <c>custommsg</c> notification and hook run, so sorting the messages of several nodes by it gives the
    /// order they flowed in.
    /// </summary>
    public long Sequence { get; }

    /// <summary>
    /// When the node accepted the message, from <see cref="LightningdSimulatorOptions.TimeProvider"/> if set,
    /// else system time.
    /// </summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The sending peer.</summary>
    public PubKey PeerId { get; }

    /// <summary>The whole message as the hook's <c>payload</c> carries it: the 2-byte type, then the body.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The message type, or -1 for a message shorter than 2 bytes.</summary>
    public int Type => PeerWire.PeekType(Payload.Span);

    /// <summary>The payload as lowercase hex.</summary>
    public string Hex => Convert.ToHexStringLower(Payload.Span);

    /// <summary>The plugins whose <c>custommsg</c> hook was called for this message, in call order.</summary>
    public IReadOnlyList<string> HookCalls
    {
        get { lock (_hookCalls) return _hookCalls.ToArray(); }
    }

    /// <summary>Completes when the whole hook chain has answered <c>continue</c> (faults on a violation).</summary>
    public Task Handled => _handled.Task;

    internal void AddHookCall(string plugin)
    {
        lock (_hookCalls) _hookCalls.Add(plugin);
    }

    internal void Complete(Exception? error)
    {
        if (error is null) _handled.TrySetResult();
        else _handled.TrySetException(error);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Hex} from {PeerId.ToHex()}";
}
