using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NBitcoin;

namespace Cln.ProtocolExtensions.RpcCodegen;

/// <summary>
/// The "reduce" step: reads <c>doc/schemas</c> of a Core Lightning checkout and writes the repo's
/// schema data: per command, notification and hook only what the code generator and the tests use
/// (names, types, required, enums, items, added/deprecated versions, request/response examples).
/// The schemas' prose (titles, descriptions, notes) is left behind.
/// </summary>
internal static partial class Reducer
{
    /// <summary>The schema keys kept at every level below a request or response.</summary>
    private static readonly HashSet<string> KeptKeys = new(StringComparer.Ordinal)
    {
        "type", "required", "enum", "items", "properties", "additionalProperties", "added", "deprecated",
        "oneOf", "anyOf", "allOf", "if", "then", "else", "hidden", "untyped",
    };

    /// <summary>Reduces the schemas of <paramref name="checkout"/> into <paramref name="outputDirectory"/>.</summary>
    /// <returns>One line per noteworthy change, for the console.</returns>
    public static List<string> Run(string checkout, string release, string outputDirectory)
    {
        var log = new List<string>();
        string schemas = Path.Combine(checkout, "doc", "schemas");
        if (!Directory.Exists(schemas))
        {
            throw new DirectoryNotFoundException($"No doc/schemas in '{checkout}': pass a Core Lightning checkout.");
        }

        var nativeTopics = ReadNativeTopics(checkout);
        foreach (var kind in new[] { "rpc", "notification", "hook" })
        {
            string dir = Path.Combine(outputDirectory, kind);
            if (Directory.Exists(dir))
            {
                foreach (var old in Directory.GetFiles(dir, "*.json"))
                {
                    File.Delete(old);
                }
            }

            Directory.CreateDirectory(dir);
        }

        int examples = 0, replaced = 0;
        foreach (var (kind, file) in Directory.GetFiles(schemas, "*.json").Select(f => ("rpc", f))
                     .Concat(Directory.GetFiles(Path.Combine(schemas, "notification"), "*.json").Select(f => ("notification", f)))
                     .Concat(Directory.GetFiles(Path.Combine(schemas, "hook"), "*.json").Select(f => ("hook", f)))
                     .OrderBy(p => p.Item2, StringComparer.Ordinal))
        {
            var source = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            string? name = source[kind]?.GetValue<string>();
            if (name is null)
            {
                log.Add($"skipped {Path.GetFileName(file)}: no '{kind}' name");
                continue;
            }

            var reduced = new JsonObject { [kind] = name };
            if (kind == "notification")
            {
                reduced["native"] = nativeTopics.Contains(name);
            }

            CopyIf(source, reduced, "added");
            CopyIf(source, reduced, "deprecated");
            var request = ReduceSchema(source["request"] ?? new JsonObject());
            var response = ReduceSchema(source["response"] ?? new JsonObject());
            reduced["request"] = request;
            reduced["response"] = response;
            if (kind == "rpc" && source["examples"] is JsonArray sourceExamples)
            {
                var list = new JsonArray();
                foreach (var example in sourceExamples.OfType<JsonObject>())
                {
                    var reducedExample = new JsonObject();
                    var parameters = example["request"]?["params"];
                    if (parameters is JsonArray positional)
                    {
                        reducedExample["positional"] = true;
                        parameters = NameParameters(name, positional, request);
                    }

                    var requestExample = parameters?.DeepClone() ?? new JsonObject();
                    var responseExample = example["response"]?.DeepClone() ?? new JsonObject();
                    replaced += ReplacePlaceholders(requestExample, request, out requestExample);
                    replaced += ReplacePlaceholders(responseExample, response, out responseExample);
                    reducedExample["request"] = requestExample;
                    reducedExample["response"] = responseExample;
                    list.Add(reducedExample);
                    examples++;
                }

                reduced["examples"] = list;
            }

            string target = Path.Combine(outputDirectory, kind, Path.GetFileName(file));
            File.WriteAllText(target, ToJson(reduced));
        }

        File.WriteAllText(Path.Combine(outputDirectory, "source.json"), ToJson(new JsonObject
        {
            ["repository"] = "ElementsProject/lightning",
            ["release"] = release,
            ["path"] = "doc/schemas",
        }));
        log.Add($"{examples} examples kept; {replaced} placeholder values replaced by valid values derived from them");
        return log;
    }

    /// <summary>Writes JSON the same way on every machine: two-space indent, "\n" line ends, final newline.</summary>
    public static string ToJson(JsonNode node)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return node.ToJsonString(options) + "\n";
    }

    /// <summary>lightningd's own topics: <c>REGISTER_NOTIFICATION(topic)</c> in lightningd/*.c.</summary>
    private static HashSet<string> ReadNativeTopics(string checkout)
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(checkout, "lightningd"), "*.c"))
        {
            foreach (Match m in RegisterNotification().Matches(File.ReadAllText(file)))
            {
                topics.Add(m.Groups[1].Value);
            }
        }

        if (topics.Count == 0)
        {
            throw new InvalidDataException("No REGISTER_NOTIFICATION(...) found in lightningd/*.c: cannot tell native topics.");
        }

        return topics;
    }

    [GeneratedRegex(@"^\s*REGISTER_NOTIFICATION\((\w+)\)", RegexOptions.Multiline)]
    private static partial Regex RegisterNotification();

    private static void CopyIf(JsonObject from, JsonObject to, string key)
    {
        if (from[key] is { } value)
        {
            to[key] = value.DeepClone();
        }
    }

    private static JsonNode ReduceSchema(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            return node.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (!KeptKeys.Contains(key) || value is null)
            {
                continue;
            }

            result[key] = key switch
            {
                "properties" => new JsonObject(value.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ReduceSchema(p.Value!)))),
                "items" or "if" or "then" or "else" => ReduceSchema(value),
                "oneOf" or "anyOf" or "allOf" => new JsonArray(value.AsArray().Select(v => (JsonNode?)ReduceSchema(v!)).ToArray()),
                _ => value.DeepClone(),
            };
        }

        return result;
    }

    /// <summary>Positional parameters, named in the order of the request's properties (lightningd's order).</summary>
    private static JsonObject NameParameters(string command, JsonArray positional, JsonNode request)
    {
        var names = request["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
        if (positional.Count > names.Count)
        {
            throw new InvalidDataException($"{command}: an example has {positional.Count} positional parameters but the request has {names.Count}.");
        }

        var named = new JsonObject();
        for (int i = 0; i < positional.Count; i++)
        {
            if (positional[i] is not null)
            {
                named[names[i]] = positional[i]!.DeepClone();
            }
        }

        return named;
    }

    /// <summary>
    /// CLN's examples write ids as readable placeholders ("nodeid0303...", "txidtxprep0001..."), which are
    /// not valid keys or hashes. Each is replaced by a valid value derived from it (the same placeholder
    /// always gives the same value), guided by the schema type at that place.
    /// </summary>
    private static int ReplacePlaceholders(JsonNode value, JsonNode schema, out JsonNode result)
    {
        int count = 0;
        result = Walk(value, schema);
        return count;

        JsonNode Walk(JsonNode node, JsonNode? s)
        {
            if (s is not JsonObject so)
            {
                return node;
            }

            switch (node)
            {
                case JsonObject obj:
                    var properties = MergedProperties(so);
                    foreach (var key in obj.Select(p => p.Key).ToList())
                    {
                        if (obj[key] is { } child && properties.TryGetValue(key, out var childSchema))
                        {
                            var replacement = Walk(child, childSchema);
                            if (!ReferenceEquals(replacement, child))
                            {
                                obj[key] = replacement;
                            }
                        }
                    }

                    return obj;
                case JsonArray array:
                    if (so["items"] is JsonObject items)
                    {
                        for (int i = 0; i < array.Count; i++)
                        {
                            if (array[i] is { } element)
                            {
                                var replacement = Walk(element, items);
                                if (!ReferenceEquals(replacement, element))
                                {
                                    array[i] = replacement;
                                }
                            }
                        }
                    }

                    return array;
                case JsonValue v when v.TryGetValue<string>(out var text):
                    var type = so["type"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
                    string? fixedText = type switch
                    {
                        "pubkey" when !IsPubKey(text) => DerivePubKey(text),
                        "hash" or "txid" or "secret" when !IsHex(text, 64) => DeriveHash(text),
                        "hex" when !IsHex(text, -1) => DeriveHash(text),
                        "short_channel_id" when !IsShortChannelId(text) => DeriveShortChannelId(text),
                        _ => null,
                    };
                    if (fixedText is null)
                    {
                        return node;
                    }

                    count++;
                    return JsonValue.Create(fixedText);
                default:
                    return node;
            }
        }
    }

    /// <summary>An object schema's properties, plus those its <c>if/then/else</c> branches add.</summary>
    public static Dictionary<string, JsonNode> MergedProperties(JsonObject schema)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        Add(schema);
        return result;

        void Add(JsonObject s)
        {
            if (s["properties"] is JsonObject properties)
            {
                foreach (var (key, value) in properties)
                {
                    if (value is JsonObject v && (v.Count > 0 || !result.ContainsKey(key)))
                    {
                        result.TryAdd(key, v);
                    }
                }
            }

            foreach (var branch in new[] { s["then"], s["else"] }.OfType<JsonObject>())
            {
                Add(branch);
            }

            if (s["allOf"] is JsonArray all)
            {
                foreach (var part in all.OfType<JsonObject>())
                {
                    Add(part);
                }
            }
        }
    }

    private static bool IsHex(string text, int length) =>
        (length < 0 ? text.Length % 2 == 0 : text.Length == length) && text.All(char.IsAsciiHexDigit);

    private static bool IsPubKey(string text) =>
        IsHex(text, 66) && PubKey.TryCreatePubKey(Convert.FromHexString(text), out _);

    /// <summary>BLOCKxTXxOUT with a 3-byte block, 3-byte transaction index and 2-byte output (BOLT #7).</summary>
    private static bool IsShortChannelId(string text)
    {
        var parts = text.Split('x');
        return parts.Length == 3 &&
            uint.TryParse(parts[0], out uint block) && block <= 0xFF_FFFF &&
            uint.TryParse(parts[1], out uint tx) && tx <= 0xFF_FFFF &&
            ushort.TryParse(parts[2], out _);
    }

    private static string DeriveShortChannelId(string placeholder)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(placeholder));
        return $"{(hash[0] << 16) | (hash[1] << 8) | hash[2]}x{(hash[3] << 16) | (hash[4] << 8) | hash[5]}x{(hash[6] << 8) | hash[7]}";
    }

    private static string DerivePubKey(string placeholder) =>
        new Key(SHA256.HashData(Encoding.UTF8.GetBytes(placeholder))).PubKey.ToHex();

    private static string DeriveHash(string placeholder) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(placeholder)));
}
