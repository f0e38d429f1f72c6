using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// lightningd's checks of a getmanifest result (lightningd/plugin.c plugin_parse_getmanifest_response
/// and plugin_opt_add, as summarised in PROTOCOL.md §1.3). Returns the list of refusals.
/// </summary>
internal static partial class ManifestRules
{
    /// <summary>lightningd's hooks, from its schemas (generated: LightningdSchema).</summary>
    private static readonly HashSet<string> Hooks = new(LightningdSchema.Hooks, StringComparer.Ordinal);

    private static readonly HashSet<string> FeaturePlaces =
        ["init", "node", "channel", "invoice", "bolt12_offer", "bolt12_invreq", "bolt12_invoice", "channel_type"];

    public static List<string> Check(JsonElement m)
    {
        var errors = new List<string>();
        if (m.ValueKind != JsonValueKind.Object)
        {
            return ["result is not an object"];
        }

        if (m.TryGetProperty("disable", out _))
        {
            return errors;
        }

        if (!m.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array)
        {
            errors.Add("\"result.options\" was not found in the manifest");
        }
        else
        {
            var names = new HashSet<string>();
            foreach (var o in options.EnumerateArray())
            {
                if (!o.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                    || !o.TryGetProperty("description", out var d) || d.ValueKind != JsonValueKind.String
                    || !o.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                {
                    errors.Add("An option is missing either \"name\", \"description\" or \"type\"");
                    continue;
                }

                var name = n.GetString()!;
                var type = t.GetString()!;
                if (!Name().IsMatch(name))
                {
                    errors.Add($"Option \"name\" must be lowercase alphanumeric, plus _ or -: {name}");
                }

                if (!names.Add(name))
                {
                    errors.Add($"option name '{name}' is already taken");
                }

                if (type is not ("string" or "string-conceal" or "int" or "bool" or "flag"))
                {
                    errors.Add($"Only \"string\", \"int\", \"bool\", and \"flag\" options are supported: {type}");
                }

                bool multi = o.TryGetProperty("multi", out var mu) && mu.ValueKind == JsonValueKind.True;
                if (multi && type is "bool" or "flag")
                {
                    errors.Add($"{type} type cannot be multi");
                }

                if (o.TryGetProperty("default", out var def) && def.ValueKind != JsonValueKind.Null)
                {
                    bool ok = type switch
                    {
                        "string" or "string-conceal" => def.ValueKind == JsonValueKind.String,
                        "int" => def.ValueKind == JsonValueKind.Number && def.TryGetInt64(out _),
                        "bool" => def.ValueKind is JsonValueKind.True or JsonValueKind.False,
                        "flag" => def.ValueKind == JsonValueKind.False,
                        _ => false,
                    };
                    if (!ok)
                    {
                        errors.Add($"bad default for {name}");
                    }
                }
            }
        }

        if (!m.TryGetProperty("rpcmethods", out var methods) || methods.ValueKind != JsonValueKind.Array)
        {
            errors.Add("\"result.rpcmethods\" missing");
        }
        else
        {
            foreach (var r in methods.EnumerateArray())
            {
                if (!r.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
                {
                    errors.Add("rpcmethod without name");
                }

                if (!r.TryGetProperty("usage", out var u) || u.ValueKind != JsonValueKind.String)
                {
                    errors.Add("\"usage\" not provided by plugin");
                }

                // lightningd <= v24.05 also required a string description.
                if (!r.TryGetProperty("description", out var d) || d.ValueKind != JsonValueKind.String)
                {
                    errors.Add("\"description\" not provided (required up to v24.05)");
                }
            }
        }

        if (m.TryGetProperty("hooks", out var hooks))
        {
            var seen = new HashSet<string>();
            foreach (var h in hooks.EnumerateArray())
            {
                var name = h.ValueKind == JsonValueKind.String ? h.GetString() : h.TryGetProperty("name", out var n) ? n.GetString() : null;
                if (name is null || !Hooks.Contains(name))
                {
                    errors.Add($"Unknown hook {name}");
                    continue;
                }

                if (!seen.Add(name))
                {
                    errors.Add($"hook {name} registered twice");
                }

                if (h.ValueKind == JsonValueKind.Object && h.TryGetProperty("filters", out var f))
                {
                    if (name is not ("custommsg" or "rpc_command"))
                    {
                        errors.Add($"Hook {name} does not allow filters");
                    }
                    else if (name == "custommsg" && f.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number || !x.TryGetUInt16(out _)))
                    {
                        errors.Add("custommsg filters must be u16");
                    }
                }
            }
        }

        bool dynamic = m.TryGetProperty("dynamic", out var dy) && dy.ValueKind == JsonValueKind.True;
        if (m.TryGetProperty("featurebits", out var fb))
        {
            bool any = false;
            foreach (var p in fb.EnumerateObject())
            {
                if (!FeaturePlaces.Contains(p.Name))
                {
                    errors.Add($"unknown featurebits key {p.Name}");
                }

                var hex = p.Value.GetString() ?? string.Empty;
                if (hex.Length % 2 != 0 || hex.Any(c => !Uri.IsHexDigit(c)))
                {
                    errors.Add($"featurebits {p.Name} is not hex");
                }

                any |= hex.Trim('0').Length > 0;
            }

            if (any && dynamic)
            {
                errors.Add("Custom featurebits only allows for non-dynamic plugins");
            }
        }

        if (m.TryGetProperty("nonnumericids", out var nn) && nn.ValueKind == JsonValueKind.False)
        {
            errors.Add("Plugin does not allow nonnumericids");
        }

        if (m.TryGetProperty("custommessages", out var cm)
            && cm.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number || !x.TryGetUInt16(out _)))
        {
            errors.Add("custommessages must be u16");
        }

        return errors;
    }

    [GeneratedRegex("^[0-9a-z_-]+$")]
    private static partial Regex Name();
}
