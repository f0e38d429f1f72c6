using System.Globalization;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin.Internal;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// What lightningd told the plugin at <c>init</c>: its configuration and the option values. A
/// singleton service; <see cref="Initialized"/> completes when <c>init</c> arrives (it never
/// completes if lightningd only asked for the manifest, as with <c>lightningd --help</c>).
/// </summary>
public sealed class ClnPluginContext
{
    private readonly TaskCompletionSource<LightningdConfiguration> _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, OptionSpec> _specs;
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private readonly OptionsConfigurationProvider? _configuration;

    internal ClnPluginContext(IEnumerable<OptionSpec> options, string pluginName, OptionsConfigurationProvider? configuration = null)
    {
        _configuration = configuration;
        _specs = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        PluginName = pluginName;
        foreach (var spec in _specs.Values)
        {
            _values[spec.Name] = spec.Multi ? (spec.Type == PluginOptionType.Integer ? Array.Empty<long>() : Array.Empty<string>()) : spec.DefaultValue;
        }

        Publish();
    }

    /// <summary>
    /// The configuration section holding the option values (<c>Cln:Options:&lt;option-name&gt;</c>),
    /// updated at <c>init</c> and on <c>setconfig</c>. Bind it with
    /// <c>builder.Services.Configure&lt;T&gt;(builder.Configuration.GetSection(ClnPluginContext.ConfigurationSection))</c>
    /// and <c>[ConfigurationKeyName("option-name")]</c> on the properties; read it through
    /// <c>IOptionsMonitor&lt;T&gt;</c> to see changes.
    /// </summary>
    public const string ConfigurationSection = "Cln:Options";

    /// <summary>
    /// Raised after <c>setconfig</c> changed a dynamic option (the arguments name it). It runs
    /// on the thread reading lightningd's messages: keep it short (an exception is logged).
    /// </summary>
    public event EventHandler<PluginOptionChangedEventArgs>? OptionChanged;

    /// <summary>The plugin's name, used as the prefix of its lightning-rpc request ids.</summary>
    public string PluginName { get; }

    /// <summary>Whether lightningd runs with deprecated APIs allowed (from <c>getmanifest</c>).</summary>
    public bool AllowDeprecatedApis { get; internal set; }

    /// <summary>Whether <c>init</c> has been received.</summary>
    public bool IsInitialized => _initialized.Task.IsCompleted;

    /// <summary>Completes with lightningd's configuration when <c>init</c> arrives.</summary>
    public Task<LightningdConfiguration> Initialized => _initialized.Task;

    /// <summary>lightningd's configuration from <c>init</c>.</summary>
    /// <exception cref="InvalidOperationException"><c>init</c> has not arrived yet.</exception>
    public LightningdConfiguration Configuration =>
        _initialized.Task.IsCompletedSuccessfully
            ? _initialized.Task.Result
            : throw new InvalidOperationException("lightningd has not sent 'init' yet.");

    /// <summary>The value of a <c>string</c> or <c>string-conceal</c> option, or <see langword="null"/> when unset.</summary>
    /// <param name="name">The option name.</param>
    /// <exception cref="ArgumentException">No such single-valued string option was declared.</exception>
    public string? GetString(string name) => (string?)Get(name, PluginOptionType.String, multi: false);

    /// <summary>The value of an <c>int</c> option, or <see langword="null"/> when unset.</summary>
    /// <param name="name">The option name.</param>
    /// <exception cref="ArgumentException">No such single-valued int option was declared.</exception>
    public long? GetInt64(string name) => (long?)Get(name, PluginOptionType.Integer, multi: false);

    /// <summary>The value of a <c>bool</c> option (<see langword="null"/> when unset), or of a <c>flag</c> (false when unset).</summary>
    /// <param name="name">The option name.</param>
    /// <exception cref="ArgumentException">No such bool or flag option was declared.</exception>
    public bool? GetBoolean(string name) => (bool?)Get(name, PluginOptionType.Boolean, multi: false);

    /// <summary>The values of a multi <c>string</c> option (empty when none).</summary>
    /// <param name="name">The option name.</param>
    /// <exception cref="ArgumentException">No such multi string option was declared.</exception>
    public IReadOnlyList<string> GetStringList(string name) => (IReadOnlyList<string>)Get(name, PluginOptionType.String, multi: true)!;

    /// <summary>The values of a multi <c>int</c> option (empty when none).</summary>
    /// <param name="name">The option name.</param>
    /// <exception cref="ArgumentException">No such multi int option was declared.</exception>
    public IReadOnlyList<long> GetInt64List(string name) => (IReadOnlyList<long>)Get(name, PluginOptionType.Integer, multi: true)!;

    private object? Get(string name, PluginOptionType type, bool multi)
    {
        if (!_specs.TryGetValue(name, out var spec) || spec.Multi != multi || !Compatible(spec.Type, type))
        {
            throw new ArgumentException($"No {(multi ? "multi " : string.Empty)}{type} option named '{name}' was declared.", nameof(name));
        }

        lock (_lock)
        {
            var value = _values[name];
            return spec.Type == PluginOptionType.Flag ? value ?? false : value;
        }
    }

    private static bool Compatible(PluginOptionType declared, PluginOptionType asked) => asked switch
    {
        PluginOptionType.String => declared is PluginOptionType.String or PluginOptionType.ConcealedString,
        PluginOptionType.Boolean => declared is PluginOptionType.Boolean or PluginOptionType.Flag,
        _ => declared == asked,
    };

    internal void Initialize(LightningdConfiguration configuration, JsonElement options)
    {
        if (options.ValueKind == JsonValueKind.Object)
        {
            lock (_lock)
            {
                foreach (var property in options.EnumerateObject())
                {
                    if (_specs.TryGetValue(property.Name, out var spec) && TryConvert(spec, property.Value, out var value))
                    {
                        _values[spec.Name] = value;
                    }
                }
            }
        }

        Publish();
        _initialized.TrySetResult(configuration);
    }

    private void Publish()
    {
        if (_configuration is null)
        {
            return;
        }

        var data = new List<KeyValuePair<string, string?>>();
        lock (_lock)
        {
            foreach (var (name, value) in _values)
            {
                var key = ConfigurationSection + ":" + name;
                switch (value)
                {
                    case null:
                        break;
                    case string s:
                        data.Add(new(key, s));
                        break;
                    case long n:
                        data.Add(new(key, n.ToString(CultureInfo.InvariantCulture)));
                        break;
                    case bool b:
                        data.Add(new(key, b ? "true" : "false"));
                        break;
                    case string[] list:
                        data.AddRange(list.Select((v, i) => new KeyValuePair<string, string?>(key + ":" + i.ToString(CultureInfo.InvariantCulture), v)));
                        break;
                    case long[] list:
                        data.AddRange(list.Select((v, i) => new KeyValuePair<string, string?>(key + ":" + i.ToString(CultureInfo.InvariantCulture), v.ToString(CultureInfo.InvariantCulture))));
                        break;
                }
            }
        }

        _configuration.Update(data);
    }

    /// <summary>
    /// Applies a <c>setconfig</c>; returns an error message or null. Change listeners (the
    /// <see cref="OptionChanged"/> event, <c>IOptionsMonitor</c> callbacks) run on the caller's thread;
    /// if one throws, the value stays applied and the exception comes back in
    /// <paramref name="listenerFailure"/>, so lightningd still gets its answer.
    /// </summary>
    internal string? TrySet(string name, JsonElement value, bool hasValue, out Exception? listenerFailure)
    {
        listenerFailure = null;
        if (!_specs.TryGetValue(name, out var spec))
        {
            return $"Unknown option '{name}'";
        }

        if (!spec.Dynamic)
        {
            return $"Option '{name}' is not dynamic";
        }

        object? converted;
        if (!hasValue)
        {
            converted = spec.Multi
                ? (spec.Type == PluginOptionType.Integer ? Array.Empty<long>() : Array.Empty<string>())
                : spec.Type == PluginOptionType.Flag ? true : null;
        }
        else if (!TryConvert(spec, value, out converted))
        {
            return $"Invalid value for option '{name}' ({spec.ManifestType}): {value.GetRawText()}";
        }

        lock (_lock)
        {
            _values[name] = converted;
        }

        try
        {
            Publish();
        }
        catch (Exception ex)
        {
            listenerFailure = ex;
        }

        try
        {
            OptionChanged?.Invoke(this, new PluginOptionChangedEventArgs(name));
        }
        catch (Exception ex)
        {
            listenerFailure ??= ex;
        }

        return null;
    }

    /// <summary>What <see cref="TrySet"/> would say, without applying anything (for <c>check setconfig</c>).</summary>
    internal string? CheckSet(string name, JsonElement value, bool hasValue)
    {
        if (!_specs.TryGetValue(name, out var spec))
        {
            return $"Unknown option '{name}'";
        }

        if (!spec.Dynamic)
        {
            return $"Option '{name}' is not dynamic";
        }

        return hasValue && !TryConvert(spec, value, out _)
            ? $"Invalid value for option '{name}' ({spec.ManifestType}): {value.GetRawText()}"
            : null;
    }

    private static bool TryConvert(OptionSpec spec, JsonElement element, out object? value)
    {
        value = null;
        if (spec.Multi)
        {
            var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToArray() : [element];
            if (spec.Type == PluginOptionType.Integer)
            {
                var list = new long[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    if (!TryInt(items[i], out list[i]))
                    {
                        return false;
                    }
                }

                value = list;
                return true;
            }

            var strings = new string[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                if (items[i].ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                strings[i] = items[i].GetString()!;
            }

            value = strings;
            return true;
        }

        switch (spec.Type)
        {
            case PluginOptionType.Integer:
                if (TryInt(element, out var n))
                {
                    value = n;
                    return true;
                }

                return false;
            case PluginOptionType.Boolean:
            case PluginOptionType.Flag:
                if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    value = element.GetBoolean();
                    return true;
                }

                // setconfig sends every value as a string.
                if (element.ValueKind == JsonValueKind.String && bool.TryParse(element.GetString(), out var b))
                {
                    value = b;
                    return true;
                }

                return false;
            default:
                if (element.ValueKind == JsonValueKind.String)
                {
                    value = element.GetString();
                    return true;
                }

                return false;
        }
    }

    private static bool TryInt(JsonElement element, out long value) => element.ValueKind switch
    {
        JsonValueKind.Number => element.TryGetInt64(out value),
        JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value),
        _ => (value = 0) == 1,
    };
}

/// <summary>lightningd's <c>init.configuration</c>.</summary>
/// <param name="LightningDirectory">The lightning-dir of the network (the plugin's working directory).</param>
/// <param name="RpcFile">The lightning-rpc socket file, usually relative to <paramref name="LightningDirectory"/>.</param>
/// <param name="Network">The network name (bitcoin, regtest, ...).</param>
/// <param name="Startup">True when loaded at daemon start, false when started with <c>plugin start</c>.</param>
/// <param name="FeatureSet">The node's feature bits per context (init, node, channel, invoice, ...), as hex.</param>
/// <param name="Raw">The whole <c>configuration</c> object, for fields this type does not model (proxy, tor).</param>
public sealed record LightningdConfiguration(
    string LightningDirectory,
    string RpcFile,
    string Network,
    bool Startup,
    IReadOnlyDictionary<string, string> FeatureSet,
    JsonElement Raw)
{
    /// <summary>The full path of the lightning-rpc socket.</summary>
    public string RpcPath => Path.Combine(LightningDirectory, RpcFile);
}

/// <summary>The arguments of <see cref="ClnPluginContext.OptionChanged"/>.</summary>
public sealed class PluginOptionChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="name">The option that changed.</param>
    public PluginOptionChangedEventArgs(string name)
    {
        Name = name;
    }

    /// <summary>The name of the option that changed (read its new value from the context).</summary>
    public string Name { get; }
}
