using Cln.ProtocolExtensions.Generators.Common;

namespace Cln.ProtocolExtensions.RpcCodegen;

// The payloads of lightningd's notifications and hooks, from the same schema data and with the same
// type mapping as the client's models: one record per topic or hook (IPluginNotification /
// IPluginHook), read by System.Text.Json source generation after a check of the payload's shape
// that names the field at fault.
internal static partial class Generator
{
    private const string PluginNamespace = "Cln.ProtocolExtensions.Plugin";
    private const string PayloadContext = "global::Cln.ProtocolExtensions.Plugin.PluginPayloadJsonContext";
    private const string Shape = "global::Cln.ProtocolExtensions.Plugin.Internal.PayloadField";
    private const string Kind = "global::Cln.ProtocolExtensions.Plugin.Internal.PayloadKind";

    /// <summary>Generates the payload files, keyed by their path relative to the payload folder ('/'-separated).</summary>
    public static SortedDictionary<string, string> GeneratePayloads(string schemaDirectory)
    {
        string release = Release(schemaDirectory);
        // The client's model names are taken too: a plugin imports Plugin and Rpc.Models together.
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in Load(schemaDirectory, "rpc"))
        {
            ModelBuilder.Build(command, taken);
        }

        var payloads = Load(schemaDirectory, "notification").Select(s => ModelBuilder.BuildPayload("notification", s, taken))
            .Concat(Load(schemaDirectory, "hook").Select(s => ModelBuilder.BuildPayload("hook", s, taken)))
            .OrderBy(p => p.RootType, StringComparer.Ordinal)
            .ToList();

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var payload in payloads)
        {
            files[$"{(payload.Kind == "hook" ? "Hooks" : "Notifications")}/{payload.RootType}.g.cs"] = EmitPayload(payload, release);
        }

        files["PluginPayloadJsonContext.g.cs"] = EmitPayloadContext(payloads, release);
        return files;
    }

    private static string EmitPayload(PayloadModel payload, string release)
    {
        var w = Header();
        w.Line($"namespace {PluginNamespace};");
        string owner = payload.Kind == "hook" ? $"<c>{payload.Name}</c> hook" : $"<c>{payload.Name}</c> notification";
        foreach (var type in payload.Types)
        {
            w.Line();
            switch (type)
            {
                case RecordModel record when ReferenceEquals(record, payload.Root):
                    EmitPayloadRoot(w, payload, record, release);
                    break;
                case RecordModel record:
                    EmitRecord(w, $"<c>{Xml(record.JsonPath)}</c> in lightningd's {owner}.", record, release, null, null);
                    break;
                case EnumModel enumModel:
                    EmitEnum(w, owner, enumModel, release);
                    break;
            }
        }

        return w.ToString();
    }

    private static void EmitPayloadRoot(SourceWriter w, PayloadModel payload, RecordModel root, string release)
    {
        bool hook = payload.Kind == "hook";
        string added = payload.Added is { } a && a.StartsWith('v') ? $" (lightningd {Xml(a)}+)" : "";
        string summary = hook
            ? $"The payload of lightningd's <c>{payload.Name}</c> hook{added}" + (payload.Wrapper is null ? "." : $": its <c>{payload.Wrapper}</c> object.")
            : $"The payload of lightningd's <c>{payload.Name}</c> notification{added}; subscribe with <c>Subscribe&lt;{root.Name}&gt;</c>.";
        string bases = hook
            ? $" : global::{PluginNamespace}.IPluginHook<{root.Name}>"
            : $" : global::{PluginNamespace}.IPluginNotification<{root.Name}>";
        EmitRecord(w, summary, root, release, bases, m =>
        {
            m.Line("/// <inheritdoc/>");
            m.Line(hook ? $"public static string HookName => {Literal(payload.Name)};" : $"public static string Topic => {Literal(payload.Name)};");
            m.Line();
            m.Line("/// <inheritdoc/>");
            string parameter = hook ? "parameters" : "payload";
            m.Line($"public static {root.Name} FromJson(global::System.Text.Json.JsonElement {parameter}) =>");
            m.Line($"    global::Cln.ProtocolExtensions.Plugin.Internal.PayloadReader.Read({parameter}, {(payload.Wrapper is null ? "null" : Literal(payload.Wrapper))}, {PayloadContext}.Default.{root.Name}, Shape);");
            m.Line();
            m.Line("/// <summary>What the payload must hold, checked before it is read, so that an error names the field at fault.</summary>");
            EmitShape(m, payload, root, $"private static readonly {Shape} Shape = ", "\"\"", "true", ";");
        });
    }

    /// <summary>The shape of one record: its fields, each with its JSON kind, whether it is required, and what it must be.</summary>
    private static void EmitShape(SourceWriter w, PayloadModel payload, RecordModel record, string prefix, string name, string required, string end)
    {
        w.Line($"{prefix}new({name}, {Kind}.Object, {required}, \"an object\", Fields: new {Shape}[]");
        w.OpenBrace();
        foreach (var p in record.Properties)
        {
            EmitField(w, payload, "", Literal(p.JsonName), p.Required ? "true" : "false", p.Type, p.Converter, ",");
        }

        w.Close(")" + end);
    }

    private static void EmitField(SourceWriter w, PayloadModel payload, string prefix, string name, string required, string type, string? converter, string end)
    {
        const string List = "global::System.Collections.Generic.IReadOnlyList<";
        if (type.StartsWith(List, StringComparison.Ordinal))
        {
            string element = type[List.Length..^1];
            EmitField(w, payload, $"{prefix}new({name}, {Kind}.Array, {required}, \"an array\", Items: ", "\"[]\"", "true", element, null, ")" + end);
            return;
        }

        if (payload.Types.OfType<RecordModel>().FirstOrDefault(r => r.Name == type) is { } nested)
        {
            EmitShape(w, payload, nested, prefix, name, required, end);
            return;
        }

        bool isEnum = payload.Types.OfType<EnumModel>().Any(e => e.Name == type);
        var (kind, description) = isEnum ? ("String", "a string") : Describe(type, converter);
        w.Line($"{prefix}new({name}, {Kind}.{kind}, {required}, {Literal(description)}){end}");
    }

    /// <summary>A member's JSON kind and, for an error message, what its value must be.</summary>
    private static (string Kind, string Description) Describe(string type, string? converter) => type switch
    {
        "string" => ("String", "a string"),
        "bool" => ("Boolean", "a boolean"),
        "byte" => ("Number", "an unsigned 8-bit integer"),
        "ushort" => ("Number", "an unsigned 16-bit integer"),
        "uint" => ("Number", "an unsigned 32-bit integer"),
        "ulong" => ("Number", "an unsigned 64-bit integer"),
        "int" => ("Number", "a 32-bit integer"),
        "long" => ("Number", "a 64-bit integer"),
        "double" => ("Number", "a number"),
        "byte[]" => ("String", "hex"),
        "global::Cln.ProtocolExtensions.AmountMsat" => ("NumberOrString", "an amount in millisatoshi"),
        "global::NBitcoin.PubKey" => ("String", "a node id"),
        "global::NBitcoin.uint256" => ("String", "a 32-byte hash"),
        "global::Cln.ProtocolExtensions.Wire.ShortChannelId" => ("String", "a short channel id"),
        "global::System.DateTimeOffset" when converter is not null => ("NumberOrString", "a time in seconds since 1970"),
        "global::System.DateTimeOffset" => ("String", "an ISO 8601 time"),
        "global::System.Text.Json.Nodes.JsonObject" => ("Object", "an object"),
        "global::System.Text.Json.Nodes.JsonNode" => ("Any", "JSON"),
        _ => throw new InvalidDataException($"No payload shape for the type '{type}'."),
    };

    private static string EmitPayloadContext(List<PayloadModel> payloads, string release)
    {
        var w = Header();
        w.Line($"namespace {PluginNamespace};");
        w.Line();
        w.Line($"/// <summary>Source-generated System.Text.Json metadata for the notification and hook payloads of lightningd {release} (read only: no serialization code).</summary>");
        ContextOptions(w, null);
        foreach (var p in payloads)
        {
            w.Line($"[global::System.Text.Json.Serialization.JsonSerializable(typeof(global::{PluginNamespace}.{p.RootType}))]");
        }

        w.Line("internal sealed partial class PluginPayloadJsonContext : global::System.Text.Json.Serialization.JsonSerializerContext;");
        return w.ToString();
    }
}
