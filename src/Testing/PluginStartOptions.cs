namespace Cln.ProtocolExtensions.Testing;

/// <summary>How a simulated node starts one plugin.</summary>
public sealed class PluginStartOptions
{
    /// <summary>
    /// Values for the plugin's options, by option name, as a user would give them on lightningd's command
    /// line: a <see cref="string"/>, a number, a <see cref="bool"/>, or a sequence of those for a
    /// <c>multi</c> option. Options not given here get their manifest default.
    /// </summary>
    public IDictionary<string, object> Options { get; init; } = new Dictionary<string, object>();

    /// <summary>
    /// Start the plugin as <c>lightning-cli plugin start</c> does, after the node is up: the
    /// <c>getmanifest</c> id is nested (<c>cli:plugin#N/cln:getmanifest#M</c>), <c>startup</c> is false in
    /// <c>init</c>, and a plugin that is not <c>dynamic</c> is refused.
    /// </summary>
    public bool Dynamic { get; init; }

    /// <summary>
    /// The plugin's name for a child-process plugin; default: the executable's file name. Set it when the
    /// executable is a launcher, for example <c>dotnet</c> with the plugin's dll in <see cref="Arguments"/>.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Command-line arguments for a child-process plugin, before lightningd's own (<c>--developer</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra environment variables for a child-process plugin.</summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The timeout for each startup step; defaults to <see cref="LightningdSimulatorOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}
