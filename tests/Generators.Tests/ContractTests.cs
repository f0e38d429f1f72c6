using System.Collections.Immutable;
using Cln.ProtocolExtensions.Generators.Diagnostics;
using Cln.ProtocolExtensions.Generators.Parsing;
using Cln.ProtocolExtensions.Wire;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>A generator and an SDK of different generated-code contracts: one clear error, no generated code.</summary>
public class ContractTests
{
    private const string UserCode = """
        using Cln.ProtocolExtensions;

        [CustomMessage(0x8001)]
        internal partial record Ping(ushort A);
        """;

    /// <summary>An SDK of another version: the attribute a plugin uses, and the contract constant (or none, as before it existed).</summary>
    private static MetadataReference OtherSdk(string? contractVersion)
    {
        string constant = contractVersion is null ? string.Empty : $"public const int ContractVersion = {contractVersion};";
        string source = $$"""
            namespace Cln.ProtocolExtensions
            {
                [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Struct)]
                public sealed class CustomMessageAttribute : System.Attribute
                {
                    public CustomMessageAttribute(ushort type) => Type = type;

                    public ushort Type { get; }
                }
            }

            namespace Cln.ProtocolExtensions.Wire
            {
                public static class GeneratedCodeSupport
                {
                    {{constant}}
                }
            }
            """;
        CSharpCompilation sdk = CSharpCompilation.Create(
            "Cln.ProtocolExtensions",
            [CSharpSyntaxTree.ParseText(source)],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        Assert.True(sdk.Emit(stream).Success);
        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    [Fact]
    public void The_sdk_and_this_generator_share_a_contract()
    {
        Assert.Equal(KnownTypes.ExpectedContractVersion, GeneratedCodeSupport.ContractVersion);
        Assert.Equal(KnownTypes.ExpectedContractVersion, KnownTypes.ContractVersion(TestHelpers.Compile(UserCode)));
    }

    [Theory]
    [InlineData("2", 2)]
    [InlineData(null, 0)]
    public async Task A_mismatched_sdk_gets_CLNX1007_only_and_no_generated_code(string? contractVersion, int reported)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "TestAssembly",
            [CSharpSyntaxTree.ParseText(UserCode, TestHelpers.ParseOptions)],
            [.. Basic.Reference.Assemblies.Net100.References.All, OtherSdk(contractVersion)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = TestHelpers.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        Assert.Empty(driver.GetRunResult().GeneratedTrees);

        ImmutableArray<Diagnostic> all = await output.WithAnalyzers([new MessageAnalyzer()]).GetAllDiagnosticsAsync();
        Diagnostic diagnostic = Assert.Single(all, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Equal(DiagnosticIds.ContractMismatch, diagnostic.Id);
        Assert.Contains($"'Ping' gets no generated code: the referenced Cln.ProtocolExtensions SDK has generated-code contract {reported}, but its generator writes code for contract {KnownTypes.ExpectedContractVersion}", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("Ping", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }
}
