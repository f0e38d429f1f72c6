using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cln.ProtocolExtensions.Generators.Methods;

/// <summary>
/// Reports the problems of <c>[RpcMethods]</c> classes with the generator's own parser (so
/// <c>#pragma</c>, <c>[SuppressMessage]</c> and <c>.editorconfig</c> apply), <c>[RpcMethod]</c>s outside
/// such a class, and method names used twice in one compilation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MethodAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        MethodDescriptors.ClassNotPartial,
        MethodDescriptors.ClassShape,
        MethodDescriptors.MethodOutsideClass,
        MethodDescriptors.UnsupportedParameterType,
        MethodDescriptors.DuplicateMethodName,
        MethodDescriptors.InvalidMethodName,
        MethodDescriptors.MethodNameTaken,
        MethodDescriptors.RequiredAfterOptional,
        MethodDescriptors.ResultNotInContext,
        MethodDescriptors.ResultNeedsContext,
        MethodDescriptors.DuplicateParameterName,
        MethodDescriptors.MethodShape,
        MethodDescriptors.NotAJsonContext,
        Descriptors.ContractMismatch);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var declared = new ConcurrentBag<(string Name, IMethodSymbol Method, Location Location)>();
            int contract = GeneratedCodeContract.Version(start.Compilation);
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, declared, contract), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportDuplicates(end, declared));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, ConcurrentBag<(string, IMethodSymbol, Location)> declared, int contract)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        bool isRpcClass = type.GetAttributes().Any(a => MethodParser.IsPluginType(a.AttributeClass, "RpcMethodsAttribute"));
        if (isRpcClass && GeneratedCodeContract.Mismatch(type, contract) is { } mismatch)
        {
            // Nothing else is worth reporting: the generator writes no binder for any class.
            context.ReportDiagnostic(mismatch);
            return;
        }
        foreach (IMethodSymbol method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (MethodParser.RpcMethodAttributeOf(method) is not { } attribute)
            {
                continue;
            }

            if (!isRpcClass)
            {
                context.ReportDiagnostic(Diagnostic.Create(MethodDescriptors.MethodOutsideClass, method.Locations.FirstOrDefault() ?? Location.None, method.Name, type.Name));
            }
            else if (MethodParser.RpcName(attribute) is { Length: > 0 } name)
            {
                declared.Add((name, method, MethodParser.NameLocation(attribute, method, context.CancellationToken)));
            }
        }

        if (isRpcClass)
        {
            var diagnostics = new List<Diagnostic>();
            MethodParser.Analyze(type, diagnostics, context.CancellationToken);
            foreach (Diagnostic diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<(string Name, IMethodSymbol Method, Location Location)> declared)
    {
        foreach (IGrouping<string, (string Name, IMethodSymbol Method, Location Location)> group in declared.GroupBy(d => d.Name))
        {
            var all = group.OrderBy(d => d.Method.ToDisplayString(), System.StringComparer.Ordinal).ToList();
            if (all.Count < 2)
            {
                continue;
            }

            foreach (var entry in all)
            {
                var other = all.First(o => !SymbolEqualityComparer.Default.Equals(o.Method, entry.Method));
                context.ReportDiagnostic(Diagnostic.Create(MethodDescriptors.DuplicateMethodName, entry.Location, entry.Name, other.Method.ContainingType.Name + "." + other.Method.Name));
            }
        }
    }
}
