namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>Everything the builder collected: the manifest and the handlers, frozen at <c>Build()</c>.</summary>
internal sealed class PluginDefinition
{
    public required string PluginName { get; init; }

    public required IReadOnlyList<OptionSpec> Options { get; init; }

    public required IReadOnlyList<MethodSpec> Methods { get; init; }

    public required IReadOnlyList<HookSpec> Hooks { get; init; }

    public required IReadOnlyList<SubscriptionSpec> Subscriptions { get; init; }

    public required IReadOnlyList<string> NotificationTopics { get; init; }

    public required IReadOnlyDictionary<string, string> FeatureBits { get; init; }

    public required IReadOnlyList<MessageHandlerEntry> MessageHandlers { get; init; }

    public required IReadOnlyList<ushort> ExtraCustomMessageTypes { get; init; }

    public required IReadOnlyList<Func<PluginInitContext, CancellationToken, ValueTask>> InitCallbacks { get; init; }

    public required IReadOnlyList<string> CustomMessageHookBefore { get; init; }

    public required IReadOnlyList<string> CustomMessageHookAfter { get; init; }

    public required bool Dynamic { get; init; }

    public required bool CanCheck { get; init; }

    /// <summary>The even types lightningd must let through (<c>custommessages</c>).</summary>
    public IEnumerable<ushort> EvenTypes =>
        MessageHandlers.Select(h => h.MessageType).Concat(ExtraCustomMessageTypes).Where(t => (t & 1) == 0).Distinct().Order();
}
