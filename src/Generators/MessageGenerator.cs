using Cln.ProtocolExtensions.Generators.Emitting;
using Cln.ProtocolExtensions.Generators.Model;
using Cln.ProtocolExtensions.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cln.ProtocolExtensions.Generators;

/// <summary>Turns <c>[CustomMessage]</c> and <c>[WireSubtype]</c> records into BOLT #1 serializers and a message registry.</summary>
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

        /// <summary>The registry's entries.</summary>
        public const string Registry = nameof(Registry);
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

        IncrementalValueProvider<EquatableArray<RegistryEntry>> registry = messages
            .Select(static (spec, _) => new RegistryEntry(spec.FullName, spec.FullName.Substring("global::".Length), spec.MessageType))
            .Collect()
            .Select(static (entries, _) => new EquatableArray<RegistryEntry>(entries))
            .WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(messages, static (spc, spec) => spc.AddSource(Emitter.HintName(spec), Emitter.Emit(spec)));
        context.RegisterSourceOutput(subtypes, static (spc, spec) => spc.AddSource(Emitter.HintName(spec), Emitter.Emit(spec)));
        context.RegisterSourceOutput(registry, static (spc, entries) => spc.AddSource(RegistryEmitter.HintName, RegistryEmitter.Emit(entries)));
    }
}
