using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>An option as declared in the manifest.</summary>
internal sealed record OptionSpec(
    string Name,
    PluginOptionType Type,
    string Description,
    object? DefaultValue,
    bool Multi,
    bool Dynamic,
    bool Deprecated)
{
    public string ManifestType => Type switch
    {
        PluginOptionType.String => "string",
        PluginOptionType.ConcealedString => "string-conceal",
        PluginOptionType.Integer => "int",
        PluginOptionType.Boolean => "bool",
        PluginOptionType.Flag => "flag",
        _ => throw new ArgumentOutOfRangeException(nameof(Type)),
    };
}

/// <summary>An RPC method the plugin adds to lightningd.</summary>
internal sealed record MethodSpec(
    string Name,
    string Usage,
    string Description,
    string? LongDescription,
    bool Deprecated,
    Func<IServiceProvider, PluginRequestContext, CancellationToken, ValueTask<JsonNode?>> Handler,
    Func<PluginRequestContext, CancellationToken, ValueTask>? Check = null);

/// <summary>A hook registration (other than the runtime's own <c>custommsg</c>).</summary>
internal sealed record HookSpec(
    string Name,
    IReadOnlyList<string> Before,
    IReadOnlyList<string> After,
    IReadOnlyList<object>? Filters,
    JsonNode Fallback,
    Func<IServiceProvider, PluginRequestContext, CancellationToken, ValueTask<JsonNode>> Handler,
    TimeSpan? Timeout = null);

/// <summary>A subscription to a notification topic ("*" for all).</summary>
internal sealed record SubscriptionSpec(
    string Topic,
    Func<IServiceProvider, PluginNotificationContext, CancellationToken, ValueTask> Handler);
