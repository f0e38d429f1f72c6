using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>lightningd's own request and response examples (doc/schemas) against the typed models.</summary>
public class SchemaExampleTests
{
    /// <summary>
    /// Examples in which CLN's example contradicts CLN's own schema, so no model of the schema can
    /// round-trip them. Each one is checked to still fail: when CLN fixes it, the entry must go.
    /// </summary>
    private static readonly Dictionary<(string Command, int Index, string Part), string> ExampleContradictsSchema = new()
    {
        [("getlog", 0, "response")] = "created_at is a number in the example, a string in the schema",
        [("getemergencyrecoverdata", 0, "response")] = "the example answer is a bare string, the schema an object with filedata",
        [("close", 0, "response")] = "the example has tx and txid, which the schema no longer lists and forbids (additionalProperties false)",
        [("close", 1, "response")] = "the example has tx and txid, which the schema no longer lists and forbids (additionalProperties false)",
        [("askrene-bias-node", 0, "response")] = "the schema requires node_biases[].timestamp, the example has none",
        [("askrene-bias-node", 1, "response")] = "the schema requires node_biases[].timestamp, the example has none",
        [("parsefeerate", 2, "request")] = "feerate_str is the number 10000 in the example, a string in the schema",
        [("listpeerchannels", 0, "response")] = "u64 max printed through a double (18446744073709552000 > 2^64-1) in *_max_htlc_value_in_flight_msat",
        [("listpeerchannels", 1, "response")] = "u64 max printed through a double (18446744073709552000 > 2^64-1) in *_max_htlc_value_in_flight_msat",
        [("listconfigs", 2, "response")] = "u64 max printed through a double (18446744073709552000 > 2^64-1) in htlc-maximum-msat",
    };

    /// <summary>Every example of every command: (command, example index, "request" or "response").</summary>
    public static TheoryData<string, int, string> Examples() => Select(known: false);

    /// <summary>The examples that contradict their schema.</summary>
    public static TheoryData<string, int, string> Contradictions() => Select(known: true);

    private static TheoryData<string, int, string> Select(bool known)
    {
        var data = new TheoryData<string, int, string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Schemas, "rpc"), "*.json").Order(StringComparer.Ordinal))
        {
            var schema = JsonNode.Parse(File.ReadAllText(file))!;
            var examples = schema["examples"]?.AsArray() ?? [];
            string command = schema["rpc"]!.GetValue<string>();
            for (int i = 0; i < examples.Count; i++)
            {
                foreach (var part in new[] { "request", "response" })
                {
                    if (ExampleContradictsSchema.ContainsKey((command, i, part)) == known)
                    {
                        data.Add(command, i, part);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_deserializes_into_its_model_and_serializes_back_to_the_same_json(string command, int index, string part)
    {
        string? failure = RoundTrip(command, index, part);
        Assert.True(failure is null, failure);
    }

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void An_example_that_contradicts_its_schema_still_does_not_round_trip(string command, int index, string part)
    {
        Assert.NotNull(RoundTrip(command, index, part));
        Assert.NotEmpty(ExampleContradictsSchema[(command, index, part)]);
    }

    /// <summary>Null when the example round-trips through its typed model, else what went wrong.</summary>
    private static string? RoundTrip(string command, int index, string part)
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Schemas, "rpc", SchemaFile(command))))!;
        var json = schema["examples"]![index]![part]!;
        var entry = CommandTable.ByCommand[command];
        var typeInfo = part == "request" ? entry.Request : entry.Response;
        try
        {
            var model = JsonSerializer.Deserialize(json.ToJsonString(), typeInfo);
            if (model is null)
            {
                return "deserialized to null";
            }

            return JsonEquivalence.FirstDifference(json, JsonNode.Parse(JsonSerializer.Serialize(model, typeInfo)));
        }
        catch (JsonException ex)
        {
            return ex.Message;
        }
    }

    [Fact]
    public void There_are_examples_for_most_commands()
    {
        // A guard on the data: the reduce step keeps the examples (289 in v26.06.6).
        int parts = Examples().Count() + Contradictions().Count();
        Assert.True(parts >= 2 * 280, $"only {parts} example parts");
        Assert.Equal(ExampleContradictsSchema.Count, Contradictions().Count());
    }

    [Fact]
    public void Every_command_of_the_schemas_has_exactly_one_typed_method_and_nothing_else_does()
    {
        var commands = Directory.GetFiles(Path.Combine(Repo.Schemas, "rpc"), "*.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["rpc"]!.GetValue<string>())
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.True(commands.Length >= 160, $"only {commands.Length} commands in the schema data");
        Assert.Equal(commands, CommandTable.ByCommand.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_typed_method_is_named_with_the_Async_suffix_and_returns_its_response_model()
    {
        foreach (var entry in CommandTable.ByCommand.Values)
        {
            Assert.EndsWith("Async", entry.Method.Name, StringComparison.Ordinal);
            Assert.Equal(typeof(Task<>).MakeGenericType(entry.Response.Type), entry.Method.ReturnType);
            Assert.Equal(entry.Request.Type, entry.Method.GetParameters()[0].ParameterType);
        }
    }

    /// <summary>The data file of a command (the file name is CLN's, e.g. sql-template.json for sql).</summary>
    private static string SchemaFile(string command) => FileByCommand.Value[command];

    private static readonly Lazy<Dictionary<string, string>> FileByCommand = new(() =>
        Directory.GetFiles(Path.Combine(Repo.Schemas, "rpc"), "*.json")
            .ToDictionary(f => JsonNode.Parse(File.ReadAllText(f))!["rpc"]!.GetValue<string>(), f => Path.GetFileName(f), StringComparer.Ordinal));
}
