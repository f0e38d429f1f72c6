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

        context.RegisterSourceOutput(messages, static (spc, spec) => spc.AddSource(Emitter.HintName(spec), Emitter.Emit(spec)));
        context.RegisterSourceOutput(subtypes, static (spc, spec) => spc.AddSource(Emitter.HintName(spec), Emitter.Emit(spec)));
    }
}
