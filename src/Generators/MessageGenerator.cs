using Cln.ProtocolExtensions.Generators.Emitting;
using Cln.ProtocolExtensions.Generators.Model;
using Cln.ProtocolExtensions.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cln.ProtocolExtensions.Generators;

/// <summary>Turns <c>[CustomMessage]</c> and <c>[WireSubtype]</c> records into BOLT #1 serializers.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class MessageGenerator : IIncrementalGenerator
{
    /// <summary>Step names for incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Parsed messages.</summary>
        public const string Messages = nameof(Messages);

        /// <summary>Parsed subtypes.</summary>
        public const string Subtypes = nameof(Subtypes);

        /// <summary>The referenced SDK's generated-code contract version.</summary>
        public const string Contract = nameof(Contract);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<MessageSpec> messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.CustomMessageAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Parser.Parse(type, ct) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Messages);

        IncrementalValuesProvider<MessageSpec> subtypes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.WireSubtypeAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? Parser.Parse(type, ct) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Subtypes);

        // An int, so that it stays Unchanged across edits; code is written only for the contract this
        // generator knows (the analyzer reports CLNX1007 otherwise).
        IncrementalValueProvider<bool> contractMatches = context.CompilationProvider
            .Select(static (compilation, _) => KnownTypes.ContractVersion(compilation))
            .Select(static (version, _) => version == KnownTypes.ExpectedContractVersion)
            .WithTrackingName(TrackingNames.Contract);

        context.RegisterSourceOutput(messages.Combine(contractMatches), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(subtypes.Combine(contractMatches), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
    }

    private static void Emit(SourceProductionContext context, MessageSpec spec, bool contractMatches)
    {
        if (contractMatches)
        {
            context.AddSource(Emitter.HintName(spec), Emitter.Emit(spec));
        }
    }
}
