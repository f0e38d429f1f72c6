using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// The outcome of reading a <c>getmanifest</c> response the way lightningd/plugin.c does. <see cref="Consequence"/>
/// says what an <see cref="Error"/> does: kill the plugin, stop lightningd (<c>fatal</c>, on its stdout) or crash it.
/// </summary>
internal sealed record ManifestResult(PluginManifest? Manifest, string? Error, string? Disabled, ViolationConsequence Consequence = ViolationConsequence.PluginKilled);

/// <summary>
/// Parses and validates a <c>getmanifest</c> response in the order of lightningd/plugin.c
/// <c>plugin_parse_getmanifest_response</c>, returning lightningd's own error texts.
/// </summary>
internal static class ManifestParser
{
    internal static readonly HashSet<string> IntFilterHooks = ["custommsg"];
    internal static readonly HashSet<string> StringFilterHooks = ["rpc_command"];

    /// <summary>lightningd's hooks, from its schemas (generated: LightningdSchema).</summary>
    internal static readonly HashSet<string> KnownHooks = new(LightningdSchema.Hooks, StringComparer.Ordinal);

    /// <summary>The topics lightningd itself sends, from its schemas (generated: LightningdSchema).</summary>
    internal static readonly HashSet<string> NativeTopics = new(LightningdSchema.NativeNotificationTopics, StringComparer.Ordinal);

    /// <summary>What <c>methodOwner</c> answers for a command of lightningd itself (no plugin owns it).</summary>
    internal const string Lightningd = "lightningd";

    private static readonly string[] FeaturePlaces =
        ["init", "node", "channel", "invoice", "bolt12_offer", "bolt12_invreq", "bolt12_invoice", "channel_type"];

    /// <param name="response">The whole response object.</param>
    /// <param name="pluginCmd">The plugin's command (path or name), as lightningd prints it.</param>
    /// <param name="takenOptions">Option names already registered on the node.</param>
    /// <param name="methodOwner">Who owns a method name already (<see cref="Lightningd"/> for lightningd's own commands, else a plugin's path), or null.</param>
    /// <param name="startup">Whether the plugin is started with the node (a taken option name is then fatal).</param>
    /// <param name="version">lightningd's version, as its crash line prints it.</param>
    public static ManifestResult Parse(
        JsonElement response, string pluginCmd, Func<string, bool> takenOptions, Func<string, string?> methodOwner, bool startup, string version)
    {
        if (!response.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            return Fail($"Invalid/missing result tok in '{response.GetRawText()}'");

        if (result.TryGetProperty("disable", out var disable))
            return new ManifestResult(null, null, disable.ValueKind == JsonValueKind.String ? disable.GetString() : disable.GetRawText());

        var manifest = new PluginManifest(result.GetRawText());

        if (!BoolSetting("getmanifest", result, "dynamic", out bool dynamic, out var err))
            return Fail(err!);
        manifest.Dynamic = dynamic;

        if (result.TryGetProperty("featurebits", out var features))
        {
            bool haveFeatureBits = false;
            var bits = new Dictionary<string, string>();
            foreach (var place in FeaturePlaces)
            {
                if (features.ValueKind != JsonValueKind.Object || !features.TryGetProperty(place, out var tok))
                    continue;
                string text = TokText(tok);
                if (!IsHex(text))
                    return Fail($"Featurebits returned by plugin is not a valid hexadecimal string: {text}");
                haveFeatureBits |= text.Length > 0;
                bits[place] = text;
            }

            if (dynamic && haveFeatureBits)
                return Fail($"Custom featurebits only allows for non-dynamic plugins: dynamic=1, featurebits={features.GetRawText()}");
            manifest.FeatureBits = bits;
        }

        if (result.TryGetProperty("custommessages", out var customTok))
        {
            if (customTok.ValueKind != JsonValueKind.Array)
                return Fail($"custommessages must be array, not '{customTok.GetRawText()}'");
            var types = new List<ushort>();
            int i = 0;
            foreach (var t in customTok.EnumerateArray())
            {
                if (t.ValueKind != JsonValueKind.Number || !t.TryGetUInt16(out ushort type))
                    return Fail($"custommessages {i} not a u16: '{t.GetRawText()}'");
                types.Add(type);
                i++;
            }
            manifest.CustomMessages = types;
        }

        if (result.TryGetProperty("nonnumericids", out var nonNumeric))
        {
            if (nonNumeric.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return Fail($"Invalid nonnumericids: {nonNumeric.GetRawText()}");
            manifest.NonNumericIds = nonNumeric.GetBoolean();
            if (!nonNumeric.GetBoolean())
                return Fail("Plugin does not allow nonnumericids");
        }

        if (result.TryGetProperty("cancheck", out var canCheck))
        {
            if (canCheck.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return Fail($"Invalid cancheck: {canCheck.GetRawText()}");
            manifest.CanCheck = canCheck.GetBoolean();
        }

        var consequence = ViolationConsequence.PluginKilled;
        err = ParseNotifications(result, manifest)
            ?? ParseOptions(result, manifest, pluginCmd, takenOptions, startup, ref consequence)
            ?? ParseRpcMethods(result, manifest, pluginCmd, methodOwner, version, ref consequence)
            ?? ParseSubscriptions(result, manifest)
            ?? ParseHooks(result, manifest);
        if (err is not null)
            return new ManifestResult(null, err, null, consequence);
        return new ManifestResult(manifest, null, null);

        static ManifestResult Fail(string error) => new(null, error, null);
    }

    private static string? ParseNotifications(JsonElement result, PluginManifest manifest)
    {
        if (!result.TryGetProperty("notifications", out var notifications))
            return null;
        if (notifications.ValueKind != JsonValueKind.Array)
            return "\"result.notifications\" is not an array";
        var topics = new List<string>();
        int i = 0;
        foreach (var obj in notifications.EnumerateArray())
        {
            if (obj.ValueKind != JsonValueKind.Object)
                return $"\"result.notifications[{i}]\" is not an object";
            if (!obj.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
                return $"\"result.notifications[{i}].name\" missing or not a string.";
            string name = method.GetString()!;
            if (NativeTopics.Contains(name))
                return $"plugin attempted to register a native notification topic \"{name}\", these may however only be sent by lightningd";
            topics.Add(name);
            i++;
        }
        manifest.Notifications = topics;
        return null;
    }

    private static string? ParseOptions(
        JsonElement result, PluginManifest manifest, string pluginCmd, Func<string, bool> taken, bool startup, ref ViolationConsequence consequence)
    {
        if (!result.TryGetProperty("options", out var options))
            return "\"result.options\" was not found in the manifest";
        if (options.ValueKind != JsonValueKind.Array)
            return "\"result.options\" is not an array";

        var list = new List<PluginOptionInfo>();
        var seen = new HashSet<string>();
        foreach (var opt in options.EnumerateArray())
        {
            if (opt.ValueKind != JsonValueKind.Object
                || !opt.TryGetProperty("name", out var nameTok)
                || !opt.TryGetProperty("type", out var typeTok)
                || !opt.TryGetProperty("description", out var descTok))
                return "An option is missing either \"name\", \"description\" or \"type\"";

            string name = TokText(nameTok);
            if (name.Any(c => !(c is (>= '0' and <= '9') or (>= 'a' and <= 'z') or '_' or '-')))
                return "Option \"name\" must be lowercase alphanumeric, plus _ or -'";

            // lightningd's opt_find_long sees its own options, other plugins' and this plugin's earlier ones.
            if (taken(name) || !seen.Add(name))
            {
                if (startup)
                {
                    consequence = ViolationConsequence.LightningdExits;
                    return $"error starting plugin '{pluginCmd}': option name '{name}' is already taken";
                }
                return $"Option \"{name}\" already registered";
            }

            if (!BoolSetting("--" + name, opt, "multi", out bool multi, out var err)
                || !BoolSetting("--" + name, opt, "dynamic", out bool dyn, out err))
                return err;

            string type = TokText(typeTok);
            bool hasDefault = opt.TryGetProperty("default", out var defaultTok);
            string? def = null;
            if (type == "flag")
            {
                if (hasDefault && defaultTok.ValueKind != JsonValueKind.False)
                    return $"--{name} type flag default must be 'false' not {defaultTok.GetRawText()}";
                if (multi)
                    return "flag type cannot be multi";
            }
            else
            {
                if (type == "bool" && multi)
                    return "bool type cannot be multi";
                if (type is not ("string" or "string-conceal" or "int" or "bool"))
                    return "Only \"string\", \"int\", \"bool\", and \"flag\" options are supported";
                if (hasDefault && defaultTok.ValueKind != JsonValueKind.Null)
                {
                    def = TokText(defaultTok);
                    string? problem = type switch
                    {
                        "int" => long.TryParse(def, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
                            ? null : $"'{def}' is not a number",
                        "bool" => def is "true" or "false" or "1" or "0" ? null : $"Invalid argument '{def}'",
                        _ => null,
                    };
                    if (problem is not null)
                        return $"Invalid default '{def}': {problem}";
                }
            }

            list.Add(new PluginOptionInfo(name, type, def, TokText(descTok), multi, dyn));
        }
        manifest.Options = list;
        return null;
    }

    private static string? ParseRpcMethods(
        JsonElement result, PluginManifest manifest, string pluginCmd, Func<string, string?> owner, string version, ref ViolationConsequence consequence)
    {
        if (!result.TryGetProperty("rpcmethods", out var methods))
            return "\"result.rpcmethods\" missing";
        if (methods.ValueKind != JsonValueKind.Array)
            return "\"result.rpcmethods\" is not an array";

        var list = new List<PluginRpcMethodInfo>();
        foreach (var meth in methods.EnumerateArray())
        {
            if (meth.ValueKind != JsonValueKind.Object
                || !meth.TryGetProperty("name", out var nameTok) || nameTok.ValueKind != JsonValueKind.String)
                return $"rpcmethod does not have a string \"name\": {meth.GetRawText()}";
            bool hasUsage = meth.TryGetProperty("usage", out var usageTok);
            if (hasUsage && usageTok.ValueKind != JsonValueKind.String)
                return $"\"usage\" is not a string: {meth.GetRawText()}";
            if (!hasUsage)
                return "\"usage\" not provided by plugin";
            string name = nameTok.GetString()!;
            string? existing = owner(name) ?? (list.Any(m => m.Name == name) ? pluginCmd : null);
            if (existing == Lightningd)
            {
                // plugin_rpcmethod_add looks for the plugin owning the name, finds none and dereferences
                // NULL: lightningd v26.06.6 dies with SIGSEGV instead of refusing the plugin.
                consequence = ViolationConsequence.LightningdCrashes;
                return $"FATAL SIGNAL 11 (version {version})";
            }

            if (existing is not null)
                return $"Could not register method \"{name}\", a method with that name is already registered by plugin {existing}";
            string? description = meth.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            list.Add(new PluginRpcMethodInfo(name, usageTok.GetString()!, description));
        }
        manifest.RpcMethods = list;
        return null;
    }

    private static string? ParseSubscriptions(JsonElement result, PluginManifest manifest)
    {
        if (!result.TryGetProperty("subscriptions", out var subs))
            return null;
        if (subs.ValueKind != JsonValueKind.Array)
            return "\"result.subscriptions\" is not an array";
        var list = new List<string>();
        int i = 0;
        foreach (var s in subs.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.String)
                return $"result.subscriptions[{i}] is not a string: '{s.GetRawText()}'";
            list.Add(s.GetString()!);
            i++;
        }
        manifest.Subscriptions = list;
        return null;
    }

    private static string? ParseHooks(JsonElement result, PluginManifest manifest)
    {
        if (!result.TryGetProperty("hooks", out var hooks) || hooks.ValueKind != JsonValueKind.Array)
            return null;
        var list = new List<PluginHookInfo>();
        foreach (var t in hooks.EnumerateArray())
        {
            string name;
            JsonElement? before = null, after = null, filters = null;
            if (t.ValueKind == JsonValueKind.Object)
            {
                if (!t.TryGetProperty("name", out var nameTok))
                    return $"no name in hook obj {t.GetRawText()}";
                name = TokText(nameTok);
                if (t.TryGetProperty("before", out var b)) before = b;
                if (t.TryGetProperty("after", out var a)) after = a;
                if (t.TryGetProperty("filters", out var f)) filters = f;
            }
            else
            {
                name = TokText(t);
            }

            if (!KnownHooks.Contains(name))
                return $"Unknown hook name {name}";

            List<ulong>? intFilters = null;
            List<string>? strFilters = null;
            if (filters is { } ft)
            {
                if (IntFilterHooks.Contains(name))
                {
                    if (ft.ValueKind != JsonValueKind.Array)
                        return "filters token must be an array";
                    intFilters = [];
                    foreach (var x in ft.EnumerateArray())
                    {
                        if (x.ValueKind != JsonValueKind.Number || !x.TryGetUInt64(out ulong v))
                            return $"filters must be array of unsigned integers, not '{x.GetRawText()}'";
                        intFilters.Add(v);
                    }
                }
                else if (StringFilterHooks.Contains(name))
                {
                    if (ft.ValueKind != JsonValueKind.Array)
                        return "filters token must be an array";
                    strFilters = [];
                    foreach (var x in ft.EnumerateArray())
                    {
                        if (x.ValueKind != JsonValueKind.String)
                            return $"filters must be array of strings, not '{x.GetRawText()}'";
                        strFilters.Add(x.GetString()!);
                    }
                }
                else
                {
                    return $"Hook {name} does not allow filters";
                }
            }

            if (list.Any(h => h.Name == name))
                return $"Registered for hook {name} multiple times";

            list.Add(new PluginHookInfo(name, Names(before), Names(after), intFilters, strFilters));
        }
        manifest.Hooks = list;
        return null;

        static IReadOnlyList<string> Names(JsonElement? e) =>
            e is { ValueKind: JsonValueKind.Array } arr
                ? arr.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
                : [];
    }

    private static bool BoolSetting(string optName, JsonElement obj, string field, out bool value, out string? error)
    {
        value = false;
        error = null;
        if (!obj.TryGetProperty(field, out var tok))
            return true;
        if (tok.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            value = tok.GetBoolean();
            return true;
        }
        error = $"{optName}: invalid \"{field}\" field {tok.GetRawText()}";
        return false;
    }

    /// <summary>A token's text as jsmn sees it: a string's contents without quotes, else the raw text.</summary>
    internal static string TokText(JsonElement tok) =>
        tok.ValueKind == JsonValueKind.String ? tok.GetString()! : tok.GetRawText();

    private static bool IsHex(string s) =>
        s.Length % 2 == 0 && s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F'));
}
