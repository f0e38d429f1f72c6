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
internal sealed record PropertyModel(string JsonName, string Name, string Type, bool IsValueType, string SchemaType, bool Required, string? Added, string? Deprecated);

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
        var context = new Context(command, takenNames);
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

    private sealed class Context(CommandModel command, HashSet<string> takenNames)
    {
        public void Record(string typeName, string nestedPrefix, JsonObject schema, string jsonPath)
        {
            Claim(typeName, jsonPath);
            bool isOpen = schema["additionalProperties"] is JsonValue open && open.TryGetValue<bool>(out bool o) && o &&
                !schema.ContainsKey("allOf") && !schema.ContainsKey("if");
            var record = new RecordModel(typeName, jsonPath, [], isOpen);
            command.Types.Add(record);
            var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            var names = new HashSet<string>(StringComparer.Ordinal) { typeName, "AdditionalProperties" };
            foreach (var (jsonName, node) in Reducer.MergedProperties(schema))
            {
                var property = (JsonObject)node;
                if (property["hidden"] is JsonValue hidden && hidden.TryGetValue<bool>(out bool h) && h)
                {
                    continue;
                }

                string propertyName = Naming.Pascal(jsonName);
                if (propertyName == typeName)
                {
                    propertyName += "Value";
                }

                for (int n = 2; !names.Add(propertyName); n++)
                {
                    propertyName = Naming.Pascal(jsonName) + n;
                }

                var (type, isValueType, schemaType) = Map(property, nestedPrefix + Naming.Pascal(jsonName), jsonPath + "." + jsonName);
                string? added = property["added"]?.GetValue<string>();
                string? deprecated = DeprecationText(property["deprecated"]);
                bool isRequired = required.Contains(jsonName) && !IsAfter(added, OldestSupported) && deprecated is null;
                record.Properties.Add(new PropertyModel(jsonName, propertyName, type, isValueType, schemaType, isRequired, added, deprecated));
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
                    if (!command.Types.Any(x => x.Name == path))
                    {
                        Claim(path, jsonPath);
                        command.Types.Add(new EnumModel(path, jsonPath, enumValues!.Select(v => v!.GetValue<string>()).ToList()));
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
                throw new InvalidDataException($"{command.Name}: the type name '{typeName}' (for {jsonPath}) is already taken by another type.");
            }
        }
    }
}
