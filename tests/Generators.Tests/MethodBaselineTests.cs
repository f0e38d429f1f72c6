using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// The RPC method binders compared with checked-in baselines under <c>Baselines/Methods/{case}/</c> (the
/// exact set of files and their text). Set <c>CLNX_UPDATE_BASELINES=1</c> to rewrite them after an
/// intended change.
/// </summary>
[Collection("Baselines")]
public class MethodBaselineTests
{
    /// <summary>The cases with baselines: one folder each under <c>Baselines/Methods/</c>, and no other folder.</summary>
    internal static readonly string[] CaseNames = [nameof(MethodSources.PingPong), nameof(MethodSources.AllShapes)];

    /// <summary><see cref="CaseNames"/> as theory data.</summary>
    public static TheoryData<string> Cases => [.. CaseNames];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_binders_match_the_baselines(string name)
    {
        string source = (string)typeof(MethodSources).GetField(name)!.GetValue(null)!;
        (GeneratorDriverRunResult result, _) = MethodTestHelpers.Run(source);
        Assert.Empty(result.Diagnostics);

        string directory = Path.Combine(DiagnosticTests.RepoRoot(), "tests", "Generators.Tests", "Baselines", "Methods", name);
        Dictionary<string, string> generated = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        BaselineFiles.AssertMatch(directory, generated, name);
    }

    [Theory]
    [InlineData(nameof(MethodSources.PingPong))]
    [InlineData(nameof(MethodSources.AllShapes))]
    public void Generated_binders_compile_without_warnings_next_to_the_json_generator(string name)
    {
        string source = (string)typeof(MethodSources).GetField(name)!.GetValue(null)!;
        Compilation output = MethodTestHelpers.RunWithJson(source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Id == "CS1591" && d.Location.SourceTree?.FilePath.Contains("RpcMethods.g.cs", StringComparison.Ordinal) == true));
    }

    [Fact]
    public void A_class_with_an_error_gets_no_binder_and_a_valid_one_does()
    {
        (GeneratorDriverRunResult result, _) = MethodTestHelpers.Run(MethodSources.PingPong + """

            [RpcMethods]
            public partial class Broken
            {
                [RpcMethod("getinfo")]
                public void GetInfo() { }
            }
            """);
        Assert.Equal(["Demo.PingMethods.RpcMethods.g.cs"], result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)));
    }

    [Fact]
    public void A_record_class_gets_its_binder_as_a_partial_record()
    {
        Compilation output = MethodTestHelpers.RunWithJson("""
            using Cln.ProtocolExtensions.Plugin;

            /// <summary>Methods on a record.</summary>
            [RpcMethods]
            public sealed partial record RecordMethods
            {
                /// <summary>Pings.</summary>
                [RpcMethod("my-ping")]
                public void Ping(int count) { }
            }
            """);
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("RecordMethods.RpcMethods.g.cs", StringComparison.Ordinal) && t.ToString().Contains("partial record RecordMethods", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Usage_and_description_come_from_the_declaration()
    {
        (GeneratorDriverRunResult result, _) = MethodTestHelpers.Run(MethodSources.PingPong);
        string text = Assert.Single(result.GeneratedTrees).GetText().ToString();
        Assert.Contains("""builder.AddMethod("pingpong-ping", __RpcBinders.Invoke0, usage: "peer [count]", description: "Sends count pings to a peer and waits for the pongs.", deprecated: false, check: __RpcBinders.Check0);""", text);
    }

    [Fact]
    public void A_rerun_with_no_change_is_cached_and_an_unrelated_edit_leaves_the_output_unchanged()
    {
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
            [new MethodGenerator().AsSourceGenerator()],
            parseOptions: TestHelpers.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var compilation = MethodTestHelpers.Compile(MethodSources.PingPong, "public class Other { }");
        GeneratorDriver first = driver.RunGenerators(compilation);

        GeneratorDriver same = first.RunGenerators(compilation.Clone());
        Assert.All(same.GetRunResult().Results[0].TrackedSteps[MethodGenerator.TrackingNames.RpcClasses].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public class Other { public int X; }", TestHelpers.ParseOptions, path: "Source1.cs"));
        GeneratorDriver unrelated = first.RunGenerators(edited);
        Assert.All(unrelated.GetRunResult().Results[0].TrackedSteps[MethodGenerator.TrackingNames.RpcClasses].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        // The contract check reads the compilation on every edit, but its value stays the same, so the
        // binder is not written again.
        Assert.All(unrelated.GetRunResult().Results[0].TrackedSteps[MethodGenerator.TrackingNames.Contract].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(unrelated.GetRunResult().Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        var renamed = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(MethodSources.PingPong.Replace("pingpong-ping", "pingpong-pong"), TestHelpers.ParseOptions, path: "Source0.cs"));
        GeneratorDriver modified = first.RunGenerators(renamed);
        Assert.Contains(modified.GetRunResult().Results[0].TrackedSteps[MethodGenerator.TrackingNames.RpcClasses].SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
    }
}
