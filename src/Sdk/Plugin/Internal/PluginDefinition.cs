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

    public required ushort[] ExtraCustomMessageTypes { get; init; }

    public required IReadOnlyList<Func<PluginInitContext, CancellationToken, ValueTask>> InitCallbacks { get; init; }

    public required IReadOnlyList<string> CustomMessageHookBefore { get; init; }

    public required IReadOnlyList<string> CustomMessageHookAfter { get; init; }

    public required bool Dynamic { get; init; }

    public required bool CanCheck { get; init; }

    /// <summary>The handled message types, ascending: the <c>custommsg</c> hook's filters.</summary>
    public ushort[] HandledTypes => SortedDistinct(evenOnly: false, withExtra: false);

    /// <summary>The even types lightningd must let through (<c>custommessages</c>), ascending.</summary>
    public ushort[] EvenTypes => SortedDistinct(evenOnly: true, withExtra: true);

    /// <summary>
    /// Arrays and loops rather than LINQ or <c>List&lt;ushort&gt;</c>: this runs before
    /// <c>getmanifest</c> is answered, and generic code instantiated over <c>ushort</c> is not in the
    /// ReadyToRun images, so it would be JIT-compiled first.
    /// </summary>
    private ushort[] SortedDistinct(bool evenOnly, bool withExtra)
    {
        var types = new ushort[MessageHandlers.Count + (withExtra ? ExtraCustomMessageTypes.Length : 0)];
        int count = 0;
        for (int i = 0; i < MessageHandlers.Count; i++)
        {
            count = Insert(types, count, MessageHandlers[i].MessageType, evenOnly);
        }

        if (withExtra)
        {
            foreach (var type in ExtraCustomMessageTypes)
            {
                count = Insert(types, count, type, evenOnly);
            }
        }

        return types.AsSpan(0, count).ToArray();

        // Keeps types[..count] ascending and distinct; a plugin handles a handful of types.
        static int Insert(ushort[] types, int count, ushort type, bool evenOnly)
        {
            if (evenOnly && (type & 1) != 0)
            {
                return count;
            }

            int at = count;
            while (at > 0 && types[at - 1] >= type)
            {
                if (types[at - 1] == type)
                {
                    return count;
                }

                at--;
            }

            Array.Copy(types, at, types, at + 1, count - at);
            types[at] = type;
            return count + 1;
        }
    }
}
