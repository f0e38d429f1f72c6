using System.Collections.Immutable;
using Cln.ProtocolExtensions.CodeGeneration;
using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Messages;
using Cln.ProtocolExtensions.Generators.Methods;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// A generator and an SDK of different generated-code contracts: one clear error per message, subtype or
/// RPC methods class, and no generated code; the same SDK stub at this generator's contract: no error.
/// </summary>
public class ContractTests
{
    private const string MessageCode = """
        using Cln.ProtocolExtensions;

        [CustomMessage(0x8001)]
        internal partial record Ping(ushort A);
        """;

    private const string MethodCode = """
        using Cln.ProtocolExtensions.Plugin;

        [RpcMethods]
        internal sealed partial class PingMethods
        {
            [RpcMethod("pingpong-ping")]
            public static void Ping(int count) { }
        }
        """;

    /// <summary>Where an SDK declares its contract: where this generator reads it, or where SDKs of contract 1 did.</summary>
    public enum ContractPlace
    {
        /// <summary><c>Cln.ProtocolExtensions.CodeGeneration.GeneratedCodeSupport</c>.</summary>
        CodeGeneration,

        /// <summary><c>Cln.ProtocolExtensions.Wire.GeneratedCodeSupport</c> (contract 1 and before).</summary>
        Wire,
    }

    /// <summary>
    /// An SDK of another version: the attributes a plugin uses, and the contract constant (or none, as
    /// before it existed) in <paramref name="place"/>.
    /// </summary>
    private static MetadataReference OtherSdk(string? contractVersion, ContractPlace place)
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

            namespace Cln.ProtocolExtensions.Plugin
            {
                [System.AttributeUsage(System.AttributeTargets.Class)]
                public sealed class RpcMethodsAttribute : System.Attribute
                {
                }

                [System.AttributeUsage(System.AttributeTargets.Method)]
                public sealed class RpcMethodAttribute : System.Attribute
                {
                    public RpcMethodAttribute(string name) => Name = name;

                    public string Name { get; }
                }
            }

            namespace Cln.ProtocolExtensions.{{place}}
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

    private static CSharpCompilation CompileAgainst(MetadataReference sdk, string userCode) => CSharpCompilation.Create(
        "TestAssembly",
        [CSharpSyntaxTree.ParseText(userCode, TestHelpers.ParseOptions)],
        [.. Basic.Reference.Assemblies.Net100.References.All, sdk],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static GeneratorDriverRunResult RunGenerator(IIncrementalGenerator generator, Compilation compilation) =>
        CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: TestHelpers.ParseOptions)
            .RunGenerators(compilation)
            .GetRunResult();

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(DiagnosticAnalyzer analyzer, Compilation compilation) =>
        await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();

    [Fact]
    public void The_sdk_and_this_generator_share_a_contract()
    {
        Assert.Equal(GeneratedCodeContract.ExpectedVersion, GeneratedCodeSupport.ContractVersion);
        Assert.Equal(GeneratedCodeContract.ExpectedVersion, GeneratedCodeContract.Version(TestHelpers.Compile(MessageCode)));
        Assert.Equal(GeneratedCodeContract.ExpectedVersion, GeneratedCodeContract.Version(MethodTestHelpers.Compile(MethodCode)));
    }

    [Fact]
    public void The_contract_is_read_where_this_sdk_declares_it()
    {
        Assert.Equal(GeneratedCodeContract.ContractType, typeof(GeneratedCodeSupport).FullName);
    }

    /// <summary>The generated products: message serializers and RPC method binders.</summary>
    public enum Product
    {
        /// <summary>A <c>[CustomMessage]</c> record, <see cref="MessageGenerator"/> and <see cref="MessageAnalyzer"/>.</summary>
        Message,

        /// <summary>An <c>[RpcMethods]</c> class, <see cref="MethodGenerator"/> and <see cref="MethodAnalyzer"/>.</summary>
        Method,
    }

    [Theory]
    [InlineData(Product.Message, "1", ContractPlace.Wire, 1)]
    [InlineData(Product.Message, null, ContractPlace.Wire, 0)]
    [InlineData(Product.Message, "3", ContractPlace.CodeGeneration, 3)]
    [InlineData(Product.Message, "1", ContractPlace.CodeGeneration, 1)]
    [InlineData(Product.Method, "1", ContractPlace.Wire, 1)]
    [InlineData(Product.Method, null, ContractPlace.Wire, 0)]
    [InlineData(Product.Method, "3", ContractPlace.CodeGeneration, 3)]
    public async Task A_mismatched_sdk_gets_CLNX1007_only_and_no_generated_code(Product product, string? contractVersion, ContractPlace place, int reported)
    {
        (string code, IIncrementalGenerator generator, DiagnosticAnalyzer analyzer, string name) = product == Product.Message
            ? (MessageCode, (IIncrementalGenerator)new MessageGenerator(), (DiagnosticAnalyzer)new MessageAnalyzer(), "Ping")
            : (MethodCode, new MethodGenerator(), new MethodAnalyzer(), "PingMethods");
        CSharpCompilation compilation = CompileAgainst(OtherSdk(contractVersion, place), code);

        Assert.Empty(RunGenerator(generator, compilation).GeneratedTrees);
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(analyzer, compilation));
        Assert.Equal(DiagnosticIds.ContractMismatch, diagnostic.Id);
        Assert.Contains($"'{name}' gets no generated code: the referenced Cln.ProtocolExtensions SDK has generated-code contract {reported}, but its generator writes code for contract {GeneratedCodeContract.ExpectedVersion}", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(name, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public async Task An_sdk_stub_of_this_contract_gets_message_code_and_no_CLNX1007()
    {
        string version = GeneratedCodeContract.ExpectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        CSharpCompilation compilation = CompileAgainst(OtherSdk(version, ContractPlace.CodeGeneration), MessageCode);

        Assert.Single(RunGenerator(new MessageGenerator(), compilation).GeneratedTrees);
        Assert.DoesNotContain(await AnalyzeAsync(new MessageAnalyzer(), compilation), d => d.Id == DiagnosticIds.ContractMismatch);
    }

    [Fact]
    public async Task The_sdk_of_this_contract_gets_a_method_binder_and_no_CLNX1007()
    {
        // The real SDK (a stub lacks the types the method parser checks parameters against).
        CSharpCompilation compilation = MethodTestHelpers.Compile(MethodCode);

        Assert.Single(RunGenerator(new MethodGenerator(), compilation).GeneratedTrees);
        Assert.Empty(await AnalyzeAsync(new MethodAnalyzer(), compilation));
    }

    [Fact]
    public void Without_the_sdk_there_is_no_contract_and_nothing_is_generated()
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "TestAssembly",
            [CSharpSyntaxTree.ParseText("internal sealed class Plain { }", TestHelpers.ParseOptions)],
            Basic.Reference.Assemblies.Net100.References.All);

        Assert.Equal(-1, GeneratedCodeContract.Version(compilation));
    }
}
