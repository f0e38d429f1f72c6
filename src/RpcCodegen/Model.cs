using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.RpcCodegen;

/// <summary>One lightningd command: its names and the types of its request and response.</summary>
internal sealed record CommandModel(string Name, string TypePrefix, string MethodName, string? Added, string? Deprecated, List<TypeModel> Types)
{
    public string RequestType => TypePrefix + "Request";

    public string ResponseType => TypePrefix + "Response";

    /// <summary>Whether the request has no required member, so the call can be made without one.</summary>
    public bool RequestIsOptional => Types.OfType<RecordModel>().First(t => t.Name == RequestType).Properties.All(p => !p.Required);
}

/// <summary>A generated type.</summary>
internal abstract record TypeModel(string Name, string JsonPath);

/// <summary>A JSON object as a record.</summary>
/// <param name="Name">The C# type name.</param>
/// <param name="JsonPath">Where the object sits in the request or response, for the docs.</param>
/// <param name="Properties">The members.</param>
/// <param name="IsOpen">
/// The schema lets the object hold fields it does not list (<c>additionalProperties: true</c> with no
/// conditional branches that list them): those are kept in an extension-data dictionary.
/// </param>
internal sealed record RecordModel(string Name, string JsonPath, List<PropertyModel> Properties, bool IsOpen) : TypeModel(Name, JsonPath);

/// <summary>A string enum as an extensible enum struct: unknown values are kept, never an error.</summary>
internal sealed record EnumModel(string Name, string JsonPath, List<string> Values) : TypeModel(Name, JsonPath);

/// <summary>One member of a record.</summary>
/// <param name="JsonName">lightningd's field name.</param>
/// <param name="Name">The C# property name.</param>
/// <param name="Type">The C# type, <c>global::</c>-qualified, without the nullable mark.</param>
/// <param name="IsValueType">Whether <see cref="Type"/> is a value type (so optional means <c>T?</c> = Nullable).</param>
/// <param name="SchemaType">lightningd's type name, for the docs.</param>
/// <param name="Required">Required in the model: required by the schema, present since v23.11 and not deprecated.</param>
/// <param name="Added">The release that added the field, if the schema says.</param>
/// <param name="Deprecated">The deprecation versions, if any.</param>
/// <param name="Converter">A converter for this member only (a payload's time fields), <c>global::</c>-qualified; null for the context's.</param>
internal sealed record PropertyModel(string JsonName, string Name, string Type, bool IsValueType, string SchemaType, bool Required, string? Added, string? Deprecated, string? Converter = null);

/// <summary>A hook's or notification's payload: the records and enums read from what lightningd sends.</summary>
/// <param name="Kind"><c>notification</c> or <c>hook</c>.</param>
/// <param name="Name">The topic or hook name.</param>
/// <param name="RootType">The C# type of the whole payload (<c>ConnectNotification</c>, <c>PeerConnectedHook</c>).</param>
/// <param name="Wrapper">For a hook whose parameters are one object (<c>{"peer": {...}}</c>), that object's name: the payload type is the object.</param>
/// <param name="Added">The release that added the topic or hook.</param>
/// <param name="Types">The records and enums, the root first.</param>
internal sealed record PayloadModel(string Kind, string Name, string RootType, string? Wrapper, string? Added, List<TypeModel> Types)
{
    public RecordModel Root => (RecordModel)Types[0];
}

/// <summary>Builds the model of every command from the repo's schema data.</summary>
internal static class ModelBuilder
{
    /// <summary>Fields added after this release are optional in the models: older nodes omit them.</summary>
    public const string OldestSupported = "v23.11";

    private const string JsonNodeType = "global::System.Text.Json.Nodes.JsonNode";

    public static CommandModel Build(JsonObject schema, HashSet<string> takenNames)
    {
        string name = schema["rpc"]!.GetValue<string>();
        var command = new CommandModel(
            name,
            Naming.TypePrefix(name),
            Naming.MethodName(name),
            schema["added"]?.GetValue<string>(),
            DeprecationText(schema["deprecated"]),
            []);
        var context = new Context(command.Name, command.Types, takenNames, null);
        context.Record(command.RequestType, command.RequestType, schema["request"] as JsonObject ?? [], "request");
        context.Record(command.ResponseType, command.TypePrefix, schema["response"] as JsonObject ?? [], "response");
        return command;
    }

    /// <summary>Whether <paramref name="added"/> is a release after <paramref name="release"/> (vYY.MM[.P]; "pre-v0.10.1" is old).</summary>
    public static bool IsAfter(string? added, string release) =>
        TryParseRelease(added, out var a) && TryParseRelease(release, out var r) && a.CompareTo(r) > 0;

    private static bool TryParseRelease(string? text, out (int, int, int) version)
    {
        version = default;
        if (text is null || !text.StartsWith('v'))
        {
            return false;
        }

        var parts = text[1..].Split('.');
        if (parts.Length is < 2 or > 3 || !int.TryParse(parts[0], out int major) || !int.TryParse(parts[1], out int minor))
        {
            return false;
        }

        int patch = parts.Length == 3 && int.TryParse(parts[2], out int p) ? p : 0;
        version = (major, minor, patch);
        return true;
    }

    private static string? DeprecationText(JsonNode? deprecated) => deprecated switch
    {
        null => null,
        JsonArray a => string.Join(", ", a.Select(v => v?.ToString())),
        _ => deprecated.ToString(),
    };

    /// <summary>
    /// The payload of a notification (its <c>response</c> schema: what lightningd sends) or of a hook
    /// (its <c>request</c>). Types are named after the payload type and the JSON path
    /// (<c>ConnectNotificationAddress</c>); a hook whose parameters are a single object is read as that object.
    /// </summary>
    public static PayloadModel BuildPayload(string kind, JsonObject schema, HashSet<string> takenNames)
    {
        string name = schema[kind]!.GetValue<string>();
        string prefix = Naming.PayloadPrefix(kind, name);
        var body = (kind == "hook" ? schema["request"] : schema["response"]) as JsonObject ?? [];
        string? wrapper = null;
        if (kind == "hook" && body["properties"] is JsonObject properties && properties.Count == 1 &&
            properties.First() is var (only, value) && value is JsonObject inner && inner["type"]?.GetValue<string>() == "object" &&
            (body["required"] as JsonArray)?.Any(r => r?.GetValue<string>() == only) == true)
        {
            wrapper = only;
            body = inner;
        }

        var types = new List<TypeModel>();
        var model = new PayloadModel(kind, name, prefix + (kind == "hook" ? "Hook" : "Notification"), wrapper, schema["added"]?.GetValue<string>(), types);
        // Nested types are named after the root (ConnectNotificationAddress), never like the client's
        // models of the command of the same name (ConnectAddress): a plugin imports both namespaces.
        new Context(name, types, takenNames, name).Record(model.RootType, model.RootType, body, "");
        return model;
    }

    /// <summary>
    /// Where lightningd writes a payload field otherwise than its schema says, or in a format with a
    /// better .NET type than the schema's (times): (payload, JSON path) to the member's C# type.
    /// </summary>
    private static readonly Dictionary<(string Payload, string Path), (string Type, bool IsValueType, string SchemaType, bool? Required, string? Converter)> PayloadOverrides = new()
    {
        [("warning", "time")] = (DateTimeOffsetType, true, "string (seconds since 1970)", null, SecondsConverter),
        [("log", "time")] = (DateTimeOffsetType, true, "string (seconds since 1970)", null, SecondsConverter),
        [("forward_event", "received_time")] = (DateTimeOffsetType, true, "number (seconds since 1970)", null, SecondsConverter),
        [("forward_event", "resolved_time")] = (DateTimeOffsetType, true, "number (seconds since 1970)", null, SecondsConverter),
        [("channel_state_changed", "timestamp")] = (DateTimeOffsetType, true, "string (ISO 8601)", null, null),

        // lightningd/peer_htlcs.c writes it signed: negative once the HTLC has expired.
        [("htlc_accepted", "htlc.cltv_expiry_relative")] = ("int", true, "integer (the schema says u32; lightningd writes it signed)", null, null),

        // lightningd/forwards.c omits it when the forward has none (a forward recorded before it was kept).
        [("forward_event", "payment_hash")] = ("global::NBitcoin.uint256", false, "hash", false, null),
    };

    /// <summary>
    /// Response fields a schema calls required but lightningd leaves out in some answers:
    /// (command, JSON path) to required or not.
    /// </summary>
    private static readonly Dictionary<(string Command, string Path), bool> RequiredCorrections = new()
    {
        // lightningd/signmessage.c answers {"verified": false} alone when no key can be recovered from the signature.
        [("checkmessage", "response.pubkey")] = false,
    };

    /// <summary>
    /// The converter named on a member of an NBitcoin type (or a list of one): on the member, it holds in
    /// any options the models are used with, not only in the generated context's.
    /// </summary>
    private static string? NBitcoinConverter(string type) => type switch
    {
        "global::NBitcoin.PubKey" => "global::Cln.ProtocolExtensions.Rpc.Json.PubKeyJsonConverter",
        "global::NBitcoin.uint256" => "global::Cln.ProtocolExtensions.Rpc.Json.Uint256JsonConverter",
        "global::System.Collections.Generic.IReadOnlyList<global::NBitcoin.PubKey>" => "global::Cln.ProtocolExtensions.Rpc.Json.PubKeyListJsonConverter",
        "global::System.Collections.Generic.IReadOnlyList<global::NBitcoin.uint256>" => "global::Cln.ProtocolExtensions.Rpc.Json.Uint256ListJsonConverter",
        _ => null,
    };

    private const string DateTimeOffsetType = "global::System.DateTimeOffset";

    private const string SecondsConverter = "global::Cln.ProtocolExtensions.Rpc.Json.UnixSecondsJsonConverter";

    private sealed class Context(string owner, List<TypeModel> types, HashSet<string> takenNames, string? payload)
    {
        public void Record(string typeName, string nestedPrefix, JsonObject schema, string jsonPath)
        {
            Claim(typeName, jsonPath);
            bool isOpen = schema["additionalProperties"] is JsonValue open && open.TryGetValue<bool>(out bool o) && o &&
                !schema.ContainsKey("allOf") && !schema.ContainsKey("if");
            var record = new RecordModel(typeName, jsonPath, [], isOpen);
            types.Add(record);
            var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            var names = new HashSet<string>(StringComparer.Ordinal) { typeName, "AdditionalProperties" };
            if (payload is not null && jsonPath.Length == 0)
            {
                // The payload root's own members (IPluginNotification, IPluginHook).
                names.UnionWith(["Topic", "HookName", "FromJson", "Shape"]);
            }

            foreach (var (jsonName, node) in Reducer.MergedProperties(schema))
            {
                var property = (JsonObject)node;
                if (property["hidden"] is JsonValue hidden && hidden.TryGetValue<bool>(out bool h) && h)
                {
                    continue;
                }

                string childPath = payload is not null && jsonPath.Length == 0 ? jsonName : jsonPath + "." + jsonName;
                string baseName = payload is null ? Naming.Pascal(jsonName) : Naming.PayloadMember(payload, childPath, jsonName);
                string propertyName = baseName;
                if (propertyName == typeName)
                {
                    propertyName += "Value";
                }

                for (int n = 2; !names.Add(propertyName); n++)
                {
                    propertyName = baseName + n;
                }

                string? added = property["added"]?.GetValue<string>();
                string? deprecated = DeprecationText(property["deprecated"]);
                bool isRequired = required.Contains(jsonName) && !IsAfter(added, OldestSupported) && deprecated is null;
                string? converter = null;
                string type, schemaType;
                bool isValueType;
                if (payload is not null && PayloadOverrides.TryGetValue((payload, childPath), out var over))
                {
                    (type, isValueType, schemaType, converter) = (over.Type, over.IsValueType, over.SchemaType, over.Converter);
                    isRequired = over.Required ?? isRequired;
                }
                else
                {
                    (type, isValueType, schemaType) = Map(property, nestedPrefix + baseName, childPath);
                }

                converter ??= NBitcoinConverter(type);

                if (payload is null && RequiredCorrections.TryGetValue((owner, childPath), out bool corrected))
                {
                    isRequired = corrected;
                }

                record.Properties.Add(new PropertyModel(jsonName, propertyName, type, isValueType, schemaType, isRequired, added, deprecated, converter));
            }
        }

        private (string Type, bool IsValueType, string SchemaType) Map(JsonObject schema, string path, string jsonPath)
        {
            if (schema.ContainsKey("oneOf") || schema.ContainsKey("anyOf") || schema.ContainsKey("untyped"))
            {
                return (JsonNodeType, false, "any of several types");
            }

            string? type = schema["type"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
            var enumValues = schema["enum"] as JsonArray;
            bool stringEnum = enumValues is not null && enumValues.All(v => v is JsonValue jv && jv.TryGetValue<string>(out _));
            if (type is null && stringEnum)
            {
                type = "string";
            }

            switch (type)
            {
                case "string" when stringEnum:
                    if (!types.Any(x => x.Name == path))
                    {
                        Claim(path, jsonPath);
                        types.Add(new EnumModel(path, jsonPath, enumValues!.Select(v => v!.GetValue<string>()).ToList()));
                    }

                    return (path, true, "string enum");
                case "string":
                case "short_channel_id_dir":
                case "outpoint":
                case "signature":
                case "bip340sig":
                case "currency":
                    return ("string", false, type);
                case "boolean": return ("bool", true, type);
                case "u8": return ("byte", true, type);
                case "u16": return ("ushort", true, type);
                case "u32": return ("uint", true, type);
                case "u64": return ("ulong", true, type);
                case "integer": return ("long", true, type);
                case "number": return ("double", true, type);
                case "sat": return ("ulong", true, "sat (satoshis)");
                case "msat": return ("global::Cln.ProtocolExtensions.AmountMsat", true, type);
                case "pubkey": return ("global::NBitcoin.PubKey", false, type);
                case "short_channel_id": return ("global::Cln.ProtocolExtensions.Wire.ShortChannelId", true, type);
                case "hash":
                case "txid":
                case "secret":
                    return ("global::NBitcoin.uint256", false, type);
                case "hex": return ("byte[]", false, type);
                case "object":
                    if (Reducer.MergedProperties(schema).Count == 0)
                    {
                        return ("global::System.Text.Json.Nodes.JsonObject", false, "object");
                    }

                    Record(path, path, schema, jsonPath);
                    return (path, false, "object");
                case "array":
                    if (schema["items"] is not JsonObject items || items.Count == 0)
                    {
                        return ($"global::System.Collections.Generic.IReadOnlyList<{JsonNodeType}>", false, "array");
                    }

                    var (element, _, elementSchemaType) = Map(items, path, jsonPath + "[]");
                    return ($"global::System.Collections.Generic.IReadOnlyList<{element}>", false, "array of " + elementSchemaType);
                default:
                    // msat_or_any, sat_or_all, feerate, null, or no type at all: any JSON value.
                    return (JsonNodeType, false, type ?? "any");
            }
        }

        private void Claim(string typeName, string jsonPath)
        {
            if (!takenNames.Add(typeName))
            {
                throw new InvalidDataException($"{owner}: the type name '{typeName}' (for {jsonPath}) is already taken by another type.");
            }
        }
    }
}
