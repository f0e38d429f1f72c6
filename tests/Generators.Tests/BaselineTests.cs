using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// Generated sources compared with checked-in baselines under <c>Baselines/{case}/</c> (the exact set of
/// files and their text). Set <c>CLNX_UPDATE_BASELINES=1</c> to rewrite them after an intended change.
/// </summary>
public class BaselineTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("CLNX_UPDATE_BASELINES") == "1";

    [Theory]
    [InlineData(nameof(Sources.Ping))]
    [InlineData(nameof(Sources.Subtypes))]
    [InlineData(nameof(Sources.Invalid))]
    public void Generated_sources_match_the_baselines(string name)
    {
        string source = (string)typeof(Sources).GetField(name)!.GetValue(null)!;
        (GeneratorDriverRunResult result, Compilation output) = GeneratorRunner.Run(source);
        Assert.Empty(result.Diagnostics);

        string directory = Path.Combine(DiagnosticTests.RepoRoot(), "tests", "Generators.Tests", "Baselines", name);
        Dictionary<string, string> generated = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        if (Update)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            foreach ((string file, string text) in generated)
            {
                File.WriteAllText(Path.Combine(directory, file + ".txt"), text);
            }
        }

        Assert.True(Directory.Exists(directory), $"no baselines for {name}; run with CLNX_UPDATE_BASELINES=1");
        Assert.Equal(
            Directory.GetFiles(directory).Select(f => Path.GetFileName(f)[..^".txt".Length]).Order(StringComparer.Ordinal),
            generated.Keys.Order(StringComparer.Ordinal));
        foreach ((string file, string text) in generated)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(directory, file + ".txt")).ReplaceLineEndings("\n"), text.ReplaceLineEndings("\n"));
        }

        if (name != nameof(Sources.Invalid))
        {
            Assert.Empty(GeneratorRunner.Problems(output));
        }
    }

    [Fact]
    public void Invalid_types_get_no_code_but_the_valid_one_does()
    {
        (GeneratorDriverRunResult result, _) = GeneratorRunner.Run(Sources.Invalid);
        Assert.Equal(
            ["Cln.ProtocolExtensions.Generated.CustomMessageRegistry.g.cs", "Demo.Valid.g.cs"],
            result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_under_strict_settings()
    {
        // Documentation mode Diagnose reports missing XML docs on public generated members (CS1591).
        (_, Compilation output) = GeneratorRunner.Run(Sources.Ping, Sources.Subtypes.Replace("namespace Demo.Deep.Namespace;", "namespace Demo.Other;"));
        Assert.Empty(GeneratorRunner.Problems(output));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Id == "CS1591"));
    }

    [Fact]
    public void Global_namespace_messages_are_supported()
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorRunner.Run("""
            /// <summary>In the global namespace.</summary>
            [Cln.ProtocolExtensions.CustomMessage(0x8001)]
            public partial record Global(ushort A);
            """);
        Assert.Contains(result.GeneratedTrees, t => Path.GetFileName(t.FilePath) == "Global.g.cs");
        Assert.Empty(GeneratorRunner.Problems(output));
    }
}
