using System.Linq;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Common;

/// <summary>
/// What both generated products (message serializers and RPC method binders) share about the SDK they
/// compile against: the namespace their SDK calls go to, the <c>[GeneratedCode]</c> attribute, and the
/// version of the SDK's generated-code contract this generator writes for.
/// </summary>
internal static class GeneratedCodeContract
{
    /// <summary>
    /// The SDK namespace meant for generated code, <c>global::</c>-qualified with a trailing dot: generated
    /// code calls the public API and, for everything else, only this namespace.
    /// </summary>
    public const string Namespace = "global::Cln.ProtocolExtensions.CodeGeneration.";

    /// <summary>The SDK type that declares the contract version (<c>ContractVersion</c>).</summary>
    public const string ContractType = "Cln.ProtocolExtensions.CodeGeneration.GeneratedCodeSupport";

    /// <summary>Where SDKs of contract 1 and older declared it, read so that such an SDK gets a clear mismatch.</summary>
    public const string LegacyContractType = "Cln.ProtocolExtensions.Wire.GeneratedCodeSupport";

    /// <summary>
    /// The version of the SDK's generated-code contract this generator writes code for. Bump it with the
    /// SDK's <c>GeneratedCodeSupport.ContractVersion</c> whenever generated code needs a changed or new
    /// SDK member. 2: the helpers moved to <c>Cln.ProtocolExtensions.CodeGeneration</c>, and RPC method
    /// binders are checked too.
    /// </summary>
    public const int ExpectedVersion = 2;

    /// <summary>The assembly version written into <c>[GeneratedCode]</c>.</summary>
    public static readonly string GeneratorVersion = typeof(GeneratedCodeContract).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <summary>The <c>[GeneratedCode]</c> attribute every generated type carries.</summary>
    public static string GeneratedCodeAttribute => $"[global::System.CodeDom.Compiler.GeneratedCode(\"Cln.ProtocolExtensions.Generators\", \"{GeneratorVersion}\")]";

    /// <summary>
    /// The contract version of the SDK that <paramref name="compilation"/> references: its
    /// <c>GeneratedCodeSupport.ContractVersion</c> (in this generator's namespace, or where older SDKs
    /// declared it), 0 for an SDK older than the constant, or -1 when the compilation does not reference
    /// the SDK at all (then there is nothing to generate).
    /// </summary>
    public static int Version(Compilation compilation)
    {
        INamedTypeSymbol? type = compilation.GetTypeByMetadataName(ContractType) ?? compilation.GetTypeByMetadataName(LegacyContractType);
        if (type is null)
        {
            return -1;
        }

        foreach (ISymbol member in type.GetMembers("ContractVersion"))
        {
            if (member is IFieldSymbol { IsConst: true, ConstantValue: int version })
            {
                return version;
            }
        }

        return 0;
    }

    /// <summary>
    /// Whether the referenced SDK has the contract this generator writes for, as a pipeline value: a
    /// bool, so that it stays <c>Unchanged</c> across edits. Code is written only when it is true (the
    /// analyzers report CLNX1007 otherwise).
    /// </summary>
    public static IncrementalValueProvider<bool> Matches(IncrementalGeneratorInitializationContext context, string trackingName) =>
        context.CompilationProvider
            .Select(static (compilation, _) => Version(compilation))
            .Select(static (version, _) => version == ExpectedVersion)
            .WithTrackingName(trackingName);

    /// <summary>
    /// CLNX1007 on <paramref name="type"/> (a message, subtype or <c>[RpcMethods]</c> class) when the SDK's
    /// contract <paramref name="contract"/> is not the one this generator writes for; otherwise null.
    /// </summary>
    public static Diagnostic? Mismatch(INamedTypeSymbol type, int contract) =>
        contract == ExpectedVersion
            ? null
            : Diagnostic.Create(
                Descriptors.ContractMismatch,
                type.Locations.FirstOrDefault(),
                type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                contract,
                ExpectedVersion);
}
