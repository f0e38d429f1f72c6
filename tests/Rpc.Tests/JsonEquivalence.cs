using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>
/// JSON equality up to key order and number formatting (1.0 equals 1), naming the first difference. An
/// amount lightningd accepts as a string (<c>"50000sat"</c>, <c>"1msat"</c>) equals the number of
/// millisatoshis the typed model writes for it (50000000, 1).
/// </summary>
internal static class JsonEquivalence
{
    /// <summary>The path and nature of the first difference, or null when equivalent.</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        return $"{path}.{key}: missing after the round trip";
                    }

                    if (FirstDifference(value, a[key], $"{path}.{key}") is { } d)
                    {
                        return d;
                    }
                }

                var extra = a.Select(p => p.Key).FirstOrDefault(k => !e.ContainsKey(k));
                return extra is null ? null : $"{path}.{extra}: added by the round trip";
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: {e.Count} elements became {a.Count}";
                }

                for (int i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case (JsonValue e, JsonValue a):
                var ek = e.GetValueKind();
                var ak = a.GetValueKind();
                if (ek == System.Text.Json.JsonValueKind.Number && ak == System.Text.Json.JsonValueKind.Number)
                {
                    return decimal.Parse(e.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) ==
                           decimal.Parse(a.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                        ? null
                        : $"{path}: {e.ToJsonString()} became {a.ToJsonString()}";
                }

                if (ek == System.Text.Json.JsonValueKind.String && ak == System.Text.Json.JsonValueKind.Number &&
                    AmountMsat.TryParse(e.GetValue<string>(), out var amount) && a.TryGetValue<ulong>(out ulong msat) && amount.Millisatoshis == msat)
                {
                    return null;
                }

                return ek == ak && e.ToJsonString() == a.ToJsonString() ? null : $"{path}: {e.ToJsonString()} became {a.ToJsonString()}";
            default:
                return $"{path}: {expected?.ToJsonString() ?? "null"} became {actual?.ToJsonString() ?? "null"}";
        }
    }
}
