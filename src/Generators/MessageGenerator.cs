using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Messages;
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
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? MessageParser.Parse(type, ct) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Messages);

        IncrementalValuesProvider<MessageSpec> subtypes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.WireSubtypeAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? MessageParser.Parse(type, ct) : null)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Subtypes);

        IncrementalValueProvider<bool> contractMatches = GeneratedCodeContract.Matches(context, TrackingNames.Contract);

        context.RegisterSourceOutput(messages.Combine(contractMatches), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(subtypes.Combine(contractMatches), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
    }

    private static void Emit(SourceProductionContext context, MessageSpec spec, bool contractMatches)
    {
        if (contractMatches)
        {
            context.AddSource(MessageEmitter.HintName(spec), MessageEmitter.Emit(spec));
        }
    }
}
