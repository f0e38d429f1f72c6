using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.RpcCodegen;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>The checked-in client and payloads are exactly what the generator makes of the checked-in schema data.</summary>
public class GeneratedFilesTests
{
    [Fact]
    public void Checked_in_generated_files_match_a_fresh_run_of_the_generator()
    {
        AssertFresh(Generator.Generate(Repo.Schemas), Repo.Generated);
    }

    [Fact]
    public void Checked_in_generated_payloads_match_a_fresh_run_of_the_generator()
    {
        AssertFresh(Generator.GeneratePayloads(Repo.Schemas), Repo.GeneratedPayloads);
    }

    private static void AssertFresh(SortedDictionary<string, string> expected, string directory)
    {
        var actual = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        var stale = expected.Where(p => actual[p.Key] != p.Value).Select(p => p.Key).ToList();
        Assert.True(stale.Count == 0, "Stale generated files (run `dotnet run --project src/RpcCodegen -- generate`): " + string.Join(", ", stale));
    }

    /// <summary>CLN's prose sits in "description", "title", notes...: strings or arrays of strings outside examples.</summary>
    private static void AssertNoProse(JsonNode? node, string where)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var (key, value) in obj)
        {
            if (key == "examples")
            {
                continue;
            }

            Assert.False(
                key is "description" or "title" or "notes" or "see_also" or "author" or "resources" && value is JsonValue or JsonArray,
                $"{where}: prose under '{key}'");
            if (value is JsonObject)
            {
                AssertNoProse(value, where);
            }
            else if (value is JsonArray array)
            {
                foreach (var item in array)
                {
                    AssertNoProse(item, where);
                }
            }
        }
    }

    [Fact]
    public void Generation_does_not_depend_on_anything_but_the_data()
    {
        Assert.Equal(Generator.Generate(Repo.Schemas), Generator.Generate(Repo.Schemas));
        Assert.Equal(Generator.GeneratePayloads(Repo.Schemas), Generator.GeneratePayloads(Repo.Schemas));
    }

    [Fact]
    public void The_schema_data_keeps_no_prose()
    {
        foreach (var file in Directory.GetFiles(Repo.Schemas, "*.json", SearchOption.AllDirectories))
        {
            AssertNoProse(JsonNode.Parse(File.ReadAllText(file)), Path.GetFileName(file));
        }
    }
}
