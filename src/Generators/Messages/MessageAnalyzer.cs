using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Cln.ProtocolExtensions.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>
/// Reports the problems of <c>[CustomMessage]</c> and <c>[WireSubtype]</c> types with the same parser
/// as the generator, so <c>#pragma</c>, <c>[SuppressMessage]</c> and <c>.editorconfig</c> apply.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MessageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.NotPartial,
        Descriptors.Generic,
        Descriptors.NotRecord,
        Descriptors.ContainingTypeNotPartial,
        Descriptors.DerivedRecord,
        Descriptors.MessageAndSubtype,
        Descriptors.ContractMismatch,
        Descriptors.UnsupportedMemberType,
        Descriptors.MissingLengthRule,
        Descriptors.MisplacedTruncated,
        Descriptors.DuplicateTlvType,
        Descriptors.FieldAfterTlv,
        Descriptors.TlvNotNullable,
        Descriptors.MisplacedRestOfMessage,
        Descriptors.InvalidEncodingAttribute,
        Descriptors.TlvInSubtype,
        Descriptors.ReservedMemberName,
        Descriptors.ArrayOfVariableSize,
        Descriptors.FixedLengthTooSmall,
        Descriptors.NullableNotTlv,
        Descriptors.RecordNotSubtype,
        Descriptors.IgnoredWithWireAttribute,
        Descriptors.ReservedType,
        Descriptors.BlipRegisteredType,
        Descriptors.BelowCustomRange,
        Descriptors.EvenType,
        Descriptors.DuplicateMessageType);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var declared = new ConcurrentBag<(int Type, INamedTypeSymbol Symbol, Location Location)>();
            int contract = GeneratedCodeContract.Version(start.Compilation);
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, declared, contract), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportDuplicates(end, declared));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, ConcurrentBag<(int, INamedTypeSymbol, Location)> declared, int contract)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        bool relevant = false;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            relevant |= KnownTypes.Is(attribute, KnownTypes.CustomMessage) || KnownTypes.Is(attribute, KnownTypes.WireSubtype);
        }

        if (!relevant)
        {
            return;
        }

        if (GeneratedCodeContract.Mismatch(type, contract) is { } mismatch)
        {
            // Nothing else is worth reporting: the generator writes no code for any type.
            context.ReportDiagnostic(mismatch);
            return;
        }

        var diagnostics = new List<Diagnostic>();
        MessageParser.Analyze(type, diagnostics, context.CancellationToken);
        foreach (Diagnostic diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }

        if (MessageParser.GetMessageType(type) is { } messageType)
        {
            declared.Add((messageType.Type, type, MessageParser.GetMessageTypeLocation(type, messageType.Attribute, context.CancellationToken)));
        }
    }

    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<(int Type, INamedTypeSymbol Symbol, Location Location)> declared)
    {
        foreach (IGrouping<int, (int Type, INamedTypeSymbol Symbol, Location Location)> group in declared.GroupBy(d => d.Type))
        {
            if (group.Count() < 2)
            {
                continue;
            }

            List<(int Type, INamedTypeSymbol Symbol, Location Location)> all = group
                .OrderBy(d => d.Symbol.ToDisplayString(), System.StringComparer.Ordinal)
                .ToList();
            foreach ((int type, INamedTypeSymbol symbol, Location location) in all)
            {
                string others = string.Join(", ", all
                    .Where(o => !SymbolEqualityComparer.Default.Equals(o.Symbol, symbol))
                    .Select(o => o.Symbol.ToDisplayString()));
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.DuplicateMessageType,
                    location,
                    symbol.ToDisplayString(),
                    type,
                    others));
            }
        }
    }
}
