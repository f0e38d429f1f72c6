namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// Passed to <see cref="ClnPluginBuilder.OnInit(Func{PluginInitContext, CancellationToken, ValueTask})"/>
/// callbacks when lightningd sends <c>init</c>, before the plugin answers it.
/// </summary>
public sealed class PluginInitContext
{
    internal PluginInitContext(ClnPluginContext plugin, IServiceProvider services)
    {
        Plugin = plugin;
        Services = services;
    }

    /// <summary>lightningd's configuration (lightning-dir, rpc-file, network, feature set).</summary>
    public LightningdConfiguration Configuration => Plugin.Configuration;

    /// <summary>The option values and configuration.</summary>
    public ClnPluginContext Plugin { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The reason given to <see cref="Disable"/>, or <see langword="null"/>.</summary>
    public string? DisableReason { get; private set; }

    /// <summary>
    /// Answers <c>init</c> with <c>{"disable": reason}</c>: lightningd then unloads the plugin (and
    /// removes its feature bits), and the host stops when lightningd closes stdin.
    /// </summary>
    /// <param name="reason">Why, for lightningd's log.</param>
    public void Disable(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        DisableReason = reason;
    }
}
