namespace Cln.ProtocolExtensions.Testing;

/// <summary>Settings shared by every node of a <see cref="LightningdSimulator"/>.</summary>
public sealed class LightningdSimulatorOptions
{
    /// <summary>
    /// How long any single wait may take (a plugin's startup step, a hook answer, an RPC call, a
    /// <c>WaitFor...</c>) before the test fails instead of hanging. Default 60 seconds: a deadline is there to
    /// catch a hang, not to measure speed, and a loaded machine running test assemblies side by side must
    /// never trip it. A test of what happens on a timeout (a plugin that never answers) sets a short one.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The network name (<c>network</c> in <c>init</c>, the lightning-dir's last folder). Default <c>regtest</c>.</summary>
    public string Network { get; set; } = "regtest";

    /// <summary>The version the nodes report (<c>LIGHTNINGD_VERSION</c>, <c>getinfo.version</c>). Default <c>v26.06.6</c>.</summary>
    public string Version { get; set; } = "v26.06.6";

    /// <summary>The <c>allow-deprecated-apis</c> value in <c>getmanifest</c>. Default <see langword="true"/>, as recorded.</summary>
    public bool AllowDeprecatedApis { get; set; } = true;

    /// <summary>Run as <c>--developer</c>: child plugins get <c>--developer</c> in argv, parameter errors quote the token.</summary>
    public bool Developer { get; set; }

    /// <summary>The block height <c>getinfo</c> reports. Default 110.</summary>
    public int BlockHeight { get; set; } = 110;

    /// <summary>
    /// Whether <see cref="LightningdSimulator.DisposeAsync"/> throws the protocol violations no test
    /// awaited or caught. Default <see langword="true"/>: a misbehaving plugin fails the test.
    /// </summary>
    public bool ThrowOnUnobservedViolations { get; set; } = true;

    /// <summary>
    /// The clock for timestamps the nodes record (<see cref="ReceivedCustomMessage.ReceivedAt"/>,
    /// <see cref="NodeLogEntry.Timestamp"/>). Default <see langword="null"/>: system time. Waits and
    /// timeouts (<see cref="Timeout"/>) always use real time.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Where the temporary lightning-dirs go. Default <c>/tmp</c> (unix socket paths must stay under 108 bytes).</summary>
    public string? TempRoot { get; set; }
}
