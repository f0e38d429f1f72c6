using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Testing.Internal;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>
/// An in-memory stand-in for lightningd v26.06.6 that runs plugins the way the real node does, for tests
/// that need no bitcoind and no lightningd.
/// </summary>
/// <example>
/// <code>
/// await using var ln = new LightningdSimulator();
/// var alice = ln.AddNode("alice");
/// var bob = ln.AddNode("bob");
/// await bob.StartPluginAsync("pingpong", (input, output, ct) => MyPlugin.RunAsync(input, output, ct));
/// await ln.ConnectAsync(alice, bob);
/// await alice.Rpc.SendCustomMessageAsync(bob.Id, new byte[] { 0x80, 0x01, 0xca, 0xfe });
/// var received = await bob.WaitForCustomMessageAsync(0x8001);
/// await bob.Plugins["pingpong"].WaitForLogAsync("got 8001");
/// </code>
/// </example>
public sealed class LightningdSimulator : IAsyncDisposable
{
    private readonly List<SimulatedNode> _nodes = [];
    private readonly object _gate = new();
    private int _nextPort = 19735;
    private int _nextEphemeral = 40000;
    private bool _disposed;
    private long _receivedSequence;

    /// <summary>
    /// The JSON-RPC error code of a call to a lightningd command the simulator does not simulate (and no
    /// test answer was supplied for, see <see cref="SimulatedNode.MapRpcMethod(string, Func{JsonElement, JsonNode})"/>).
    /// It lies in JSON-RPC's range for implementation-defined server errors (-32000 to -32099), which
    /// lightningd v26.06.6 uses for none of its own errors, so a test never mistakes it for a real answer.
    /// </summary>
    public const int NotSimulatedErrorCode = -32010;

    /// <summary>
    /// The JSON-RPC error code of a call whose test-supplied handler threw something other than
    /// <see cref="Rpc.ClnRpcException"/>; the message names the method and the exception.
    /// </summary>
    public const int HandlerFailedErrorCode = -32011;

    /// <summary>Creates a simulator with default options.</summary>
    public LightningdSimulator()
        : this(new LightningdSimulatorOptions())
    {
    }

    /// <summary>Creates a simulator.</summary>
    /// <param name="options">Timeouts, network, version and the rest.</param>
    public LightningdSimulator(LightningdSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        string root = options.TempRoot ?? "/tmp";
        RootDirectory = Path.Combine(root, "clnsim-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Directory.CreateDirectory(RootDirectory);
    }

    /// <summary>The settings.</summary>
    public LightningdSimulatorOptions Options { get; }

    /// <summary>The clock for recorded timestamps: <see cref="LightningdSimulatorOptions.TimeProvider"/>, else system time.</summary>
    internal TimeProvider Clock => Options.TimeProvider ?? TimeProvider.System;

    /// <summary>The next <see cref="ReceivedCustomMessage.Sequence"/>: 1, 2, 3... across every node of this simulator.</summary>
    internal long NextReceivedSequence() => Interlocked.Increment(ref _receivedSequence);

    /// <summary>The temporary folder holding every node's lightning-dir; deleted on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>The nodes, in creation order.</summary>
    public IReadOnlyList<SimulatedNode> Nodes
    {
        get { lock (_gate) return _nodes.ToArray(); }
    }

    /// <summary>Every protocol violation seen on any node.</summary>
    public IReadOnlyList<PluginProtocolViolationException> Violations => Nodes.SelectMany(n => n.Violations).ToArray();

    /// <summary>
    /// Adds a node. Its key is derived from <paramref name="name"/> unless given, so node ids are the
    /// same in every run.
    /// </summary>
    /// <param name="name">A short name (letters, digits, <c>-</c>, <c>_</c>): the node's alias and folder.</param>
    /// <param name="key">The node key; default: derived from the name.</param>
    /// <exception cref="ArgumentException">The name is empty, invalid, taken, or makes the socket path too long.</exception>
    /// <remarks>
    /// The node's <c>makesecret</c> answers are derived from the node key's 32 bytes as lightningd derives
    /// them from its <c>hsm_secret</c>. For a node whose keys and secrets equal a real node's, use
    /// <see cref="AddNodeFromHsmSecret(string, ReadOnlySpan{byte})"/>.
    /// </remarks>
    public SimulatedNode AddNode(string name, Key? key = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        key ??= new Key(SHA256.HashData(Encoding.UTF8.GetBytes("cln-simulator-node:" + name)));
        return AddNode(name, key, Hsm.DerivedSecret(key.ToBytes()));
    }

    /// <summary>
    /// Adds a node whose keys come from a 32-byte <c>hsm_secret</c> exactly as lightningd v26.06.6's
    /// signer derives them (hsmd/libhsmd.c): its node id, its <c>signmessage</c> signatures and its
    /// <c>makesecret</c> answers are those of a real node started with that <c>hsm_secret</c> file.
    /// </summary>
    /// <param name="name">A short name (letters, digits, <c>-</c>, <c>_</c>): the node's alias and folder.</param>
    /// <param name="hsmSecret">The 32 bytes of a legacy <c>hsm_secret</c> file (the format before BIP 39 mnemonics).</param>
    /// <exception cref="ArgumentException">The secret is not 32 bytes, or the name is empty, invalid, taken, or makes the socket path too long.</exception>
    public SimulatedNode AddNodeFromHsmSecret(string name, ReadOnlySpan<byte> hsmSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (hsmSecret.Length != 32)
            throw new ArgumentException($"A legacy hsm_secret is 32 bytes, not {hsmSecret.Length}.", nameof(hsmSecret));
        return AddNode(name, Hsm.NodeKey(hsmSecret), Hsm.DerivedSecret(hsmSecret));
    }

    private SimulatedNode AddNode(string name, Key key, byte[] derivedSecret)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException("A node name may hold only ASCII letters, digits, '-' and '_'.", nameof(name));

        string netDir = Path.Combine(RootDirectory, name, Options.Network);
        string socket = Path.Combine(netDir, "lightning-rpc");
        if (Encoding.UTF8.GetByteCount(socket) > 107)
            throw new ArgumentException($"The socket path '{socket}' is longer than the 107 bytes a unix socket allows; use a shorter name or TempRoot.", nameof(name));

        lock (_gate)
        {
            if (_nodes.Any(n => n.Name == name))
                throw new ArgumentException($"A node named '{name}' already exists.", nameof(name));
            if (_nodes.Any(n => n.Id == key.PubKey))
                throw new ArgumentException("A node with that key already exists.", nameof(key));
            var node = new SimulatedNode(this, name, key, derivedSecret, netDir, _nextPort++);
            _nodes.Add(node);
            return node;
        }
    }

    /// <summary>
    /// Connects <paramref name="from"/> to <paramref name="to"/> (as <c>connect</c> on <paramref name="from"/>
    /// would): both nodes' subscribers get the <c>connect</c> notification, <c>out</c> on the first and
    /// <c>in</c> on the second, and <c>peer_connected</c> hooks run.
    /// </summary>
    /// <param name="from">The node that dials.</param>
    /// <param name="to">The node that accepts.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Completes once both nodes delivered the notification.</returns>
    public async Task ConnectAsync(SimulatedNode from, SimulatedNode to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from == to)
            throw new ArgumentException("A node cannot connect to itself.", nameof(to));
        if (from.IsConnectedTo(to.Id))
            return;
        int ephemeral = NextEphemeralPort();
        var a = from.AttachPeer(to.Id, to, incoming: false, port: to.Port);
        var b = to.AttachPeer(from.Id, from, incoming: true, port: ephemeral);
        await Task.WhenAll(a, b).WaitAsync(Options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disconnects two nodes; both nodes' subscribers get the <c>disconnect</c> notification.</summary>
    /// <param name="a">One node.</param>
    /// <param name="b">The other.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task DisconnectAsync(SimulatedNode a, SimulatedNode b, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return DisconnectAsync(a, b.Id).WaitAsync(Options.Timeout, cancellationToken);
    }

    internal Task DisconnectAsync(SimulatedNode node, PubKey peer)
    {
        var remote = node.GetPeer(peer)?.Remote;
        var first = node.DetachPeer(peer);
        var second = remote?.DetachPeer(node.Id) ?? Task.CompletedTask;
        return Task.WhenAll(first, second);
    }

    internal SimulatedNode? FindNode(PubKey id)
    {
        lock (_gate) return _nodes.FirstOrDefault(n => n.Id == id);
    }

    internal int NextEphemeralPort() => Interlocked.Increment(ref _nextEphemeral);

    /// <summary>Throws the first protocol violation no test has awaited or caught yet, marking them all as seen.</summary>
    /// <exception cref="PluginProtocolViolationException">There is one.</exception>
    /// <exception cref="AggregateException">There are several.</exception>
    public void ThrowIfViolated()
    {
        var unobserved = Violations.Where(v => !v.Observed).ToArray();
        foreach (var v in unobserved)
            v.Observed = true;
        if (unobserved.Length == 1)
            throw unobserved[0];
        if (unobserved.Length > 1)
            throw new AggregateException("Plugins violated lightningd's protocol.", unobserved);
    }

    /// <summary>
    /// Stops every node (plugins get <c>shutdown</c> and EOF; child processes that do not exit are
    /// killed), deletes the temporary folder, then throws the violations no test observed (see
    /// <see cref="LightningdSimulatorOptions.ThrowOnUnobservedViolations"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        var nodes = Nodes;
        try
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        if (Options.ThrowOnUnobservedViolations)
            ThrowIfViolated();
    }
}
