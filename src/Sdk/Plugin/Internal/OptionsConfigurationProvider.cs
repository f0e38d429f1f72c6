using Microsoft.Extensions.Configuration;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// Publishes lightningd's option values into <see cref="IConfiguration"/> under
/// <see cref="ClnPluginContext.ConfigurationSection"/>, reloading on <c>init</c> and <c>setconfig</c>
/// so <c>IOptionsMonitor&lt;T&gt;</c> sees changes to dynamic options.
/// </summary>
internal sealed class OptionsConfigurationSource : IConfigurationSource
{
    public OptionsConfigurationProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

internal sealed class OptionsConfigurationProvider : ConfigurationProvider
{
    public void Update(IEnumerable<KeyValuePair<string, string?>> values)
    {
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }
}
