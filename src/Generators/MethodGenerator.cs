using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Methods;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cln.ProtocolExtensions.Generators;

/// <summary>Turns <c>[RpcMethods]</c> classes into RPC method binders registered with <c>builder.AddMethods&lt;T&gt;()</c>.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class MethodGenerator : IIncrementalGenerator
{
    /// <summary>Step names for incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Parsed classes of RPC methods.</summary>
        public const string RpcClasses = nameof(RpcClasses);

        /// <summary>Whether the referenced SDK has the generated-code contract this generator writes for.</summary>
        public const string Contract = nameof(Contract);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<RpcClassSpec> classes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MethodParser.RpcMethodsAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? MethodParser.Parse(type, ct) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.RpcClasses);

        IncrementalValueProvider<bool> contractMatches = GeneratedCodeContract.Matches(context, TrackingNames.Contract);

        context.RegisterSourceOutput(classes.Combine(contractMatches), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
    }

    private static void Emit(SourceProductionContext context, RpcClassSpec spec, bool contractMatches)
    {
        if (contractMatches)
        {
            context.AddSource(MethodEmitter.HintName(spec), MethodEmitter.Emit(spec));
        }
    }
}
