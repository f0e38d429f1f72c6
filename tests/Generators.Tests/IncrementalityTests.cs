using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// The pipeline caches: a re-run is all Cached, an unrelated edit leaves every output Unchanged, an
/// edit of a field's type in another file regenerates, and no step holds a symbol, node or compilation.
/// </summary>
public class IncrementalityTests
{
    private const string Message = """
        using Cln.ProtocolExtensions;

        namespace Demo;

        [CustomMessage(0x8001)]
        public partial record Ping(ushort A, Color Color, [LengthPrefixed] byte[] Data)
        {
            [Tlv(1)] public ulong? Nonce { get; init; }
        }

        [WireSubtype]
        public partial record struct Hop(uint Fee);
        """;

    private const string ColorByte = """
        namespace Demo;

        public enum Color : byte { Red = 1 }
        """;

    private const string ColorUInt = """
        namespace Demo;

        public enum Color : uint { Red = 1 }
        """;

    private static readonly string[] TrackingNames =
        [MessageGenerator.TrackingNames.Messages, MessageGenerator.TrackingNames.Subtypes];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = TestHelpers.Compile(Message, ColorByte);
        GeneratorDriver driver = TestHelpers.CreateDriver().RunGenerators(compilation);
        Assert.Equal(2, driver.GetRunResult().GeneratedTrees.Length);
        return (driver, compilation);
    }

    private static IEnumerable<IncrementalStepRunReason> OutputReasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    [Fact]
    public void A_rerun_on_the_same_input_is_all_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        GeneratorRunResult result = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        foreach (string name in TrackingNames)
        {
            Assert.All(OutputReasons(result, name), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_output_unchanged()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Demo; public class Unrelated { public int X => 1; }", TestHelpers.ParseOptions));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string name in TrackingNames)
        {
            Assert.All(OutputReasons(result, name), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {r}"));
        }

        Assert.All(
            result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Editing_the_message_file_without_changing_its_model_is_unchanged()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(
            Message + "\n// a comment\npublic static class Helpers { }\n", TestHelpers.ParseOptions, old.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(OutputReasons(result, MessageGenerator.TrackingNames.Messages), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(
            result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Changing_the_message_type_regenerates_the_message_only()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(
            Message.Replace("0x8001", "0x8003"), TestHelpers.ParseOptions, old.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal([IncrementalStepRunReason.Modified], OutputReasons(result, MessageGenerator.TrackingNames.Messages));
        Assert.All(OutputReasons(result, MessageGenerator.TrackingNames.Subtypes), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("public static ushort Type => 32771;", result.GeneratedSources.Single(s => s.HintName == "Demo.Ping.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Changing_a_field_type_declared_in_another_file_regenerates()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree colorTree = compilation.SyntaxTrees.ElementAt(1);
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(colorTree, CSharpSyntaxTree.ParseText(ColorUInt, TestHelpers.ParseOptions, colorTree.FilePath));
        GeneratorDriver rerun = driver.RunGenerators(edited);
        GeneratorRunResult result = rerun.GetRunResult().Results.Single();

        Assert.Contains(IncrementalStepRunReason.Modified, OutputReasons(result, MessageGenerator.TrackingNames.Messages));
        Assert.Contains(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        string ping = result.GeneratedSources.Single(s => s.HintName == "Demo.Ping.g.cs").SourceText.ToString();
        Assert.Contains("UncheckedWire.ReadU32(", ping);

        // The subtype did not change.
        Assert.All(OutputReasons(result, MessageGenerator.TrackingNames.Subtypes), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void No_step_output_holds_a_symbol_a_node_or_a_compilation()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        GeneratorRunResult result = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        foreach (GeneratorRunResult run in new[] { first, result })
        {
            Assert.All(TrackingNames, name => Assert.True(run.TrackedSteps.ContainsKey(name), name));
            foreach (IncrementalGeneratorRunStep step in run.TrackedSteps.Where(s => TrackingNames.Contains(s.Key)).SelectMany(s => s.Value))
            {
                foreach ((object value, _) in step.Outputs)
                {
                    AssertNoRoslynObjects(value, step.Name ?? "?", new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location, $"{path} holds a {value.GetType()}");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }
        }

        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
            }
        }
    }
}
