namespace Cln.ProtocolExtensions.Testing;

/// <summary>
/// A plugin (or a caller of <c>lightning-rpc</c>) did something for which the real lightningd v26.06.6
/// would kill the plugin, crash, or exit. <see cref="LightningdMessage"/> holds lightningd's own words.
/// </summary>
/// <remarks>
/// The simulator throws this from <see cref="SimulatedNode.StartPluginAsync(string, Func{Stream, Stream, CancellationToken, Task}, PluginStartOptions?, CancellationToken)"/>
/// when the start fails, records later ones in <see cref="SimulatedNode.Violations"/>, and throws every
/// violation a test did not expect from <see cref="LightningdSimulator.DisposeAsync"/>, so a plugin
/// that misbehaves fails the test instead of passing silently. After a
/// <see cref="ViolationConsequence.LightningdExits"/> or <see cref="ViolationConsequence.LightningdCrashes"/>
/// violation the simulated node keeps running so the test can inspect it (<see cref="SimulatedNode.FatalViolation"/>
/// says it happened); the real node would be gone.
/// </remarks>
public sealed class PluginProtocolViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="nodeName">The simulated node that saw the violation.</param>
    /// <param name="pluginName">The plugin at fault, or <see langword="null"/> when it is not a plugin.</param>
    /// <param name="lightningdMessage">What lightningd logs or prints for this violation.</param>
    /// <param name="consequence">What the real node does about it.</param>
    /// <param name="innerException">The plugin's own failure, when there is one.</param>
    public PluginProtocolViolationException(
        string nodeName, string? pluginName, string lightningdMessage, ViolationConsequence consequence, Exception? innerException = null)
        : base(Format(nodeName, pluginName, lightningdMessage, consequence), innerException)
    {
        NodeName = nodeName;
        PluginName = pluginName;
        LightningdMessage = lightningdMessage;
        Consequence = consequence;
    }

    /// <summary>The simulated node that saw the violation.</summary>
    public string NodeName { get; }

    /// <summary>The plugin at fault, or <see langword="null"/> when the fault is not a plugin's.</summary>
    public string? PluginName { get; }

    /// <summary>lightningd's own text for this violation (for example <c>Plugin does not allow nonnumericids</c>).</summary>
    public string LightningdMessage { get; }

    /// <summary>What the real node does about it.</summary>
    public ViolationConsequence Consequence { get; }

    /// <summary>Whether a test has seen this violation (awaited it, or caught it from a start call).</summary>
    internal bool Observed { get; set; }

    private static string Format(string node, string? plugin, string text, ViolationConsequence consequence)
    {
        string who = plugin is null ? $"node '{node}'" : $"plugin '{plugin}' on node '{node}'";
        string what = consequence switch
        {
            ViolationConsequence.PluginKilled => "lightningd would kill the plugin",
            ViolationConsequence.LightningdExits => "lightningd would exit (fatal)",
            ViolationConsequence.LightningdCrashes => "lightningd would crash",
            ViolationConsequence.ConnectdCrashes => "connectd would crash and drop every peer",
            _ => "the plugin stopped",
        };
        return $"Protocol violation by {who}: {what}: {text}";
    }
}

/// <summary>What the real lightningd does about a <see cref="PluginProtocolViolationException"/>.</summary>
public enum ViolationConsequence
{
    /// <summary>lightningd kills the plugin (<c>Killing plugin: ...</c>).</summary>
    PluginKilled,

    /// <summary>lightningd calls <c>fatal()</c> and the whole node exits.</summary>
    LightningdExits,

    /// <summary>connectd aborts (an upstream bug in v26.06.6); every peer is disconnected.</summary>
    ConnectdCrashes,

    /// <summary>
    /// The plugin exited or faulted on its own while it was expected to run, or hung (stopped reading
    /// its stdin, or did not answer a hook within the simulator's timeout, where lightningd would wait forever).
    /// </summary>
    PluginExited,

    /// <summary>
    /// lightningd itself crashes (an upstream bug in v26.06.6: a plugin method named like one of lightningd's
    /// own commands makes it die with <c>FATAL SIGNAL 11</c>); the node and every plugin are gone.
    /// </summary>
    LightningdCrashes,
}
