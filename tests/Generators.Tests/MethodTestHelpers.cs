using System.Collections.Immutable;
using Cln.ProtocolExtensions.Generators.Methods;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>References, the generator driver and the analyzer harness for the RPC method generator.</summary>
internal static class MethodTestHelpers
{
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. TestHelpers.References,
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger<>).Assembly.Location),
    ];

    /// <summary>
    /// System.Text.Json's own source generator, from the .NET reference pack this SDK ships: plugins
    /// run it next to ours, so generated code is compiled with both.
    /// </summary>
    public static ISourceGenerator[] JsonGenerator()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // .../shared/Microsoft.NETCore.App/10.0.x
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string? dll = Directory.EnumerateDirectories(Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref"))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
            .FirstOrDefault(File.Exists);
        Assert.True(dll is not null, "System.Text.Json.SourceGeneration.dll not found under " + dotnetRoot);
        var reference = new AnalyzerFileReference(dll, new Loader());
        return [.. reference.GetGenerators(LanguageNames.CSharp)];
    }

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "TestAssembly",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, TestHelpers.ParseOptions, path: $"Source{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the method generator alone (for baselines).</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new MethodGenerator().AsSourceGenerator()],
            parseOptions: TestHelpers.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(Compile(sources), out Compilation output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Runs the method generator and System.Text.Json's, as a plugin's build does.</summary>
    public static Compilation RunWithJson(params string[] sources)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new MethodGenerator().AsSourceGenerator(), .. JsonGenerator()],
            parseOptions: TestHelpers.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(Compile(sources), out Compilation output, out _);
        return output;
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}

/// <summary>Runs <see cref="MethodAnalyzer"/> over sources with <c>{|#n:span|}</c> markup.</summary>
internal sealed class MethodAnalyzerTest : CSharpAnalyzerTest<MethodAnalyzer, DefaultVerifier>
{
    public MethodAnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(MethodTestHelpers.References);
        TestCode = """
            using System.Text.Json;
            using System.Text.Json.Nodes;
            using System.Text.Json.Serialization;
            using System.Threading;
            using System.Threading.Tasks;
            using Cln.ProtocolExtensions;
            using Cln.ProtocolExtensions.Plugin;
            using NBitcoin;

            """ + source;
        ExpectedDiagnostics.AddRange(expected);
    }

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);

    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<MethodAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => new MethodAnalyzerTest(source, expected).RunAsync();
}
