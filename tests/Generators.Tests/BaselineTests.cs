using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// Generated sources compared with checked-in baselines under <c>Baselines/{case}/</c> (the exact set of
/// folders, of files and their text). Set <c>CLNX_UPDATE_BASELINES=1</c> to rewrite them after an intended
/// change: that run rewrites the files and then fails ("baselines rewritten, review and commit"), so an
/// update can never pass as a test run, and CI fails on the changed working tree.
/// </summary>
[Collection("Baselines")]
public class BaselineTests
{
    /// <summary>The cases with baselines: one folder each under <c>Baselines/</c>, and no other folder.</summary>
    private static readonly string[] CaseNames = [nameof(Sources.Ping), nameof(Sources.Subtypes), nameof(Sources.Invalid)];

    /// <summary><see cref="CaseNames"/> as theory data.</summary>
    public static TheoryData<string> Cases => [.. CaseNames];

    private static string BaselineRoot => Path.Combine(DiagnosticTests.RepoRoot(), "tests", "Generators.Tests", "Baselines");

    [Fact]
    public void Every_baseline_folder_belongs_to_a_case_and_holds_only_baseline_files()
    {
        string methods = Path.Combine(BaselineRoot, "Methods");
        Assert.Equal(
            CaseNames.Append("Methods").Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(BaselineRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            MethodBaselineTests.CaseNames.Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(methods).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string folder in Directory.GetDirectories(BaselineRoot).Where(f => f != methods).Concat(Directory.GetDirectories(methods)))
        {
            Assert.All(Directory.GetFileSystemEntries(folder), e => Assert.True(File.Exists(e) && e.EndsWith(".g.cs.txt", StringComparison.Ordinal), e));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_sources_match_the_baselines(string name)
    {
        string source = (string)typeof(Sources).GetField(name)!.GetValue(null)!;
        (GeneratorDriverRunResult result, Compilation output) = GeneratorRunner.Run(source);
        Assert.Empty(result.Diagnostics);

        string directory = Path.Combine(BaselineRoot, name);
        Dictionary<string, string> generated = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        BaselineFiles.AssertMatch(directory, generated, name);

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
            ["Demo.Valid.g.cs"],
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

/// <summary>The same baselines through Microsoft.CodeAnalysis.Testing's source generator harness.</summary>
/// <remarks>In the same collection as <see cref="BaselineTests"/> so that an update run never races it.</remarks>
[Collection("Baselines")]
public class SourceGeneratorHarnessTests
{
    [Theory]
    [InlineData(nameof(Sources.Ping))]
    [InlineData(nameof(Sources.Subtypes))]
    public async Task Generated_sources_match_the_baselines_in_the_testing_harness(string name)
    {
        string source = (string)typeof(Sources).GetField(name)!.GetValue(null)!;
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpSourceGeneratorTest<MessageGenerator, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            ReferenceAssemblies = new Microsoft.CodeAnalysis.Testing.ReferenceAssemblies("net10.0"),
            TestCode = source,
        };
        test.TestState.AdditionalReferences.AddRange(TestHelpers.References);
        string directory = Path.Combine(DiagnosticTests.RepoRoot(), "tests", "Generators.Tests", "Baselines", name);
        foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            string hintName = Path.GetFileName(file)[..^".txt".Length];
            test.TestState.GeneratedSources.Add((typeof(MessageGenerator), hintName, Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(file), System.Text.Encoding.UTF8)));
        }

        await test.RunAsync();
    }
}

/// <summary>Generated code needs nothing newer than C# 11 (static abstract interface members, file types).</summary>
public class LanguageVersionTests
{
    [Fact]
    public void Generated_code_compiles_as_csharp_11()
    {
        var options = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11);
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = TestHelpers.Compile(Sources.Ping, Sources.Subtypes);
        compilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Sources.Ping, options),
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Sources.Subtypes, options));
        Microsoft.CodeAnalysis.GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            [new MessageGenerator().AsSourceGenerator()], parseOptions: options);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Microsoft.CodeAnalysis.Compilation output, out _);
        Assert.Equal(8, output.SyntaxTrees.Count()); // 2 sources, Ping, Hop, Route, Offer, Note, Flags
        Assert.Empty(GeneratorRunner.Problems(output));
    }
}
