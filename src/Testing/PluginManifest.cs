using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>A plugin's <c>getmanifest</c> answer, as lightningd accepted it.</summary>
public sealed class PluginManifest
{
    internal PluginManifest(string json) => Json = json;

    /// <summary>The <c>result</c> object exactly as the plugin wrote it.</summary>
    public string Json { get; }

    /// <summary>The options (<c>result.options</c>), in manifest order.</summary>
    public IReadOnlyList<PluginOptionInfo> Options { get; internal set; } = [];

    /// <summary>The JSON-RPC methods the plugin adds to lightning-rpc (<c>result.rpcmethods</c>).</summary>
    public IReadOnlyList<PluginRpcMethodInfo> RpcMethods { get; internal set; } = [];

    /// <summary>The notification topics the plugin subscribes to (<c>*</c> = all).</summary>
    public IReadOnlyList<string> Subscriptions { get; internal set; } = [];

    /// <summary>The hooks the plugin registers.</summary>
    public IReadOnlyList<PluginHookInfo> Hooks { get; internal set; } = [];

    /// <summary>The even message types the plugin asks connectd to accept (<c>custommessages</c>).</summary>
    public IReadOnlyList<ushort> CustomMessages { get; internal set; } = [];

    /// <summary>The custom notification topics the plugin may emit (<c>notifications[].method</c>).</summary>
    public IReadOnlyList<string> Notifications { get; internal set; } = [];

    /// <summary>The feature bits the plugin adds, by place (<c>init</c>, <c>node</c>, ...), as hex.</summary>
    public IReadOnlyDictionary<string, string> FeatureBits { get; internal set; } = new Dictionary<string, string>();

    /// <summary>Whether <c>plugin start/stop</c> may manage the plugin at runtime.</summary>
    public bool Dynamic { get; internal set; }

    /// <summary>The <c>nonnumericids</c> field, or <see langword="null"/> when it was omitted.</summary>
    public bool? NonNumericIds { get; internal set; }

    /// <summary>Whether the plugin handles <c>check</c> for its own commands.</summary>
    public bool CanCheck { get; internal set; }
}

/// <summary>One entry of <c>result.options</c>.</summary>
/// <param name="Name">The option name (without <c>--</c>).</param>
/// <param name="Type"><c>string</c>, <c>string-conceal</c>, <c>int</c>, <c>bool</c> or <c>flag</c>.</param>
/// <param name="Default">The default as lightningd stores it (text), or <see langword="null"/>.</param>
/// <param name="Description">The description.</param>
/// <param name="Multi">Whether the option may be given several times.</param>
/// <param name="Dynamic">Whether <c>setconfig</c> may change it.</param>
public sealed record PluginOptionInfo(string Name, string Type, string? Default, string Description, bool Multi, bool Dynamic);

/// <summary>One entry of <c>result.rpcmethods</c>.</summary>
/// <param name="Name">The method name.</param>
/// <param name="Usage">The usage string.</param>
/// <param name="Description">The description, when the plugin sent one (lightningd ignores it since v24.08).</param>
public sealed record PluginRpcMethodInfo(string Name, string Usage, string? Description);

/// <summary>One entry of <c>result.hooks</c>.</summary>
/// <param name="Name">The hook name.</param>
/// <param name="Before">Plugins this one must be called before.</param>
/// <param name="After">Plugins this one must be called after.</param>
/// <param name="IntFilters">The <c>custommsg</c> type filters, or <see langword="null"/> when there are none (every type).</param>
/// <param name="StringFilters">The <c>rpc_command</c> filters, or <see langword="null"/>.</param>
public sealed record PluginHookInfo(
    string Name, IReadOnlyList<string> Before, IReadOnlyList<string> After,
    IReadOnlyList<ulong>? IntFilters, IReadOnlyList<string>? StringFilters)
{
    internal bool IsCallable(int type) =>
        StringFilters is null && (IntFilters is null || (type >= 0 && IntFilters.Contains((ulong)type)));
}
