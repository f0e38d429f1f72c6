using System.Text.Json;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>Writes the <c>getmanifest</c> result (PROTOCOL.md §1.3).</summary>
internal static class ManifestWriter
{
    public static void Write(Utf8JsonWriter w, PluginDefinition d)
    {
        w.WriteStartObject();

        w.WriteStartArray("options"u8);
        foreach (var o in d.Options)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, o.Name);
            w.WriteString("type"u8, o.ManifestType);
            w.WriteString("description"u8, o.Description);
            switch (o.DefaultValue)
            {
                case string s:
                    w.WriteString("default"u8, s);
                    break;
                case long n:
                    w.WriteNumber("default"u8, n);
                    break;
                case bool b:
                    w.WriteBoolean("default"u8, b);
                    break;
            }

            if (o.Multi)
            {
                w.WriteBoolean("multi"u8, true);
            }

            if (o.Dynamic)
            {
                w.WriteBoolean("dynamic"u8, true);
            }

            if (o.Deprecated)
            {
                w.WriteBoolean("deprecated"u8, true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("rpcmethods"u8);
        foreach (var m in d.Methods)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, m.Name);
            w.WriteString("usage"u8, m.Usage);
            // Required by lightningd up to v24.05, ignored since v24.08.
            w.WriteString("description"u8, m.Description);
            if (m.LongDescription is not null)
            {
                w.WriteString("long_description"u8, m.LongDescription);
            }

            if (m.Deprecated)
            {
                w.WriteBoolean("deprecated"u8, true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("subscriptions"u8);
        foreach (var topic in Subscriptions(d))
        {
            w.WriteStringValue(topic);
        }

        w.WriteEndArray();

        w.WriteStartArray("hooks"u8);
        if (d.MessageHandlers.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, "custommsg"u8);
            WriteStrings(w, "before"u8, d.CustomMessageHookBefore);
            WriteStrings(w, "after"u8, d.CustomMessageHookAfter);
            w.WriteStartArray("filters"u8);
            foreach (var type in d.HandledTypes)
            {
                w.WriteNumberValue(type);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        foreach (var h in d.Hooks)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, h.Name);
            WriteStrings(w, "before"u8, h.Before);
            WriteStrings(w, "after"u8, h.After);
            if (h.Filters is { Count: > 0 })
            {
                w.WriteStartArray("filters"u8);
                foreach (var f in h.Filters)
                {
                    if (f is string s)
                    {
                        w.WriteStringValue(s);
                    }
                    else
                    {
                        w.WriteNumberValue(Convert.ToInt64(f, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("notifications"u8);
        foreach (var topic in d.NotificationTopics)
        {
            w.WriteStartObject();
            w.WriteString("method"u8, topic);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        if (d.FeatureBits.Count > 0)
        {
            w.WriteStartObject("featurebits"u8);
            var places = new string[d.FeatureBits.Count];
            int count = 0;
            foreach (var place in d.FeatureBits.Keys)
            {
                places[count++] = place;
            }

            Array.Sort(places, StringComparer.Ordinal);
            foreach (var place in places)
            {
                w.WriteString(place, d.FeatureBits[place]);
            }

            w.WriteEndObject();
        }

        var even = d.EvenTypes;
        if (even.Length > 0)
        {
            w.WriteStartArray("custommessages"u8);
            foreach (var t in even)
            {
                w.WriteNumberValue(t);
            }

            w.WriteEndArray();
        }

        w.WriteBoolean("dynamic"u8, d.Dynamic);
        w.WriteBoolean("nonnumericids"u8, true);
        if (d.CanCheck)
        {
            w.WriteBoolean("cancheck"u8, true);
        }

        w.WriteEndObject();
    }

    /// <summary>The topics in the manifest: the user's, plus <c>shutdown</c> so the host can stop gracefully.</summary>
    public static IEnumerable<string> Subscriptions(PluginDefinition d)
    {
        var topics = new List<string>(d.Subscriptions.Count + 1);
        foreach (var subscription in d.Subscriptions)
        {
            if (!topics.Contains(subscription.Topic))
            {
                topics.Add(subscription.Topic);
            }
        }

        if (!topics.Contains("*") && !topics.Contains("shutdown"))
        {
            topics.Add("shutdown");
        }

        return topics;
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
