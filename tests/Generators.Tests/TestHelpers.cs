using System.Collections.Immutable;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>References and compilations shared by the generator and analyzer tests (offline, deterministic).</summary>
internal static class TestHelpers
{
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        // The SDK's three layers, as a package consumer references them: Wire, Rpc and the plugin runtime.
        .. TestHelpers.SdkAssemblies.Select(a => MetadataReference.CreateFromFile(a.Location)),
        MetadataReference.CreateFromFile(typeof(NBitcoin.PubKey).Assembly.Location),
    ];

    /// <summary>The SDK's assemblies: the wire layer, the lightningd client and the plugin runtime.</summary>
    public static System.Reflection.Assembly[] SdkAssemblies =>
        [typeof(ICustomMessage).Assembly, typeof(Rpc.ILightningClient).Assembly, typeof(Plugin.ClnPluginBuilder).Assembly];

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "TestAssembly",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new MessageGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
}

/// <summary>Runs <see cref="MessageAnalyzer"/> over sources with <c>{|#n:span|}</c> markup.</summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<MessageAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(TestHelpers.References);
        TestCode = "using Cln.ProtocolExtensions;\nusing Cln.ProtocolExtensions.Wire;\n" + source;
        ExpectedDiagnostics.AddRange(expected);
    }

    protected override CompilationOptions CreateCompilationOptions() =>
        ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);

    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<MessageAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => new AnalyzerTest(source, expected).RunAsync();
}
