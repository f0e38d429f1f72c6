using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Cln.ProtocolExtensions.Generators.CodeFixes;

/// <summary>Fixes for the obvious diagnostics: add <c>partial</c> (CLNX1001, CLNX1004), make an even type odd (CLNX3004).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MessageCodeFixProvider)), Shared]
public sealed class MessageCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.NotPartial, DiagnosticIds.ContainingTypeNotPartial, DiagnosticIds.EvenType);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan);
            switch (diagnostic.Id)
            {
                case DiagnosticIds.NotPartial when node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type:
                    context.RegisterCodeFix(
                        CodeAction.Create("Make the type partial", ct => AddPartialAsync(context.Document, type, ct), nameof(DiagnosticIds.NotPartial)),
                        diagnostic);
                    break;
                case DiagnosticIds.ContainingTypeNotPartial when node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } inner:
                    context.RegisterCodeFix(
                        CodeAction.Create("Make the containing types partial", ct => AddPartialToContainersAsync(context.Document, inner, ct), nameof(DiagnosticIds.ContainingTypeNotPartial)),
                        diagnostic);
                    break;
                case DiagnosticIds.EvenType when node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { Expression: LiteralExpressionSyntax literal } argument
                    && literal.Token.Value is int or ushort or uint or long or ulong:
                    ulong value = System.Convert.ToUInt64(literal.Token.Value, CultureInfo.InvariantCulture);
                    if (value < ushort.MaxValue)
                    {
                        string text = literal.Token.Text.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase)
                            ? "0x" + (value + 1).ToString("x4", CultureInfo.InvariantCulture)
                            : (value + 1).ToString(CultureInfo.InvariantCulture);
                        context.RegisterCodeFix(
                            CodeAction.Create($"Use the odd type {text}", ct => ReplaceLiteralAsync(context.Document, literal, text, value + 1, ct), nameof(DiagnosticIds.EvenType)),
                            diagnostic);
                    }

                    break;
            }
        }
    }

    private static async Task<Document> AddPartialAsync(Document document, TypeDeclarationSyntax type, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNode(type, WithPartial(type)));
    }

    private static async Task<Document> AddPartialToContainersAsync(Document document, TypeDeclarationSyntax inner, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        TypeDeclarationSyntax[] containers = inner.Ancestors().OfType<TypeDeclarationSyntax>()
            .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))
            .ToArray();
        return document.WithSyntaxRoot(root.ReplaceNodes(containers, (original, rewritten) => WithPartial(rewritten)));
    }

    private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return type;
        }

        // 'partial' goes last among the modifiers, right before the keyword.
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (type.Modifiers.Count == 0)
        {
            SyntaxToken keyword = type.Keyword;
            partial = partial.WithLeadingTrivia(keyword.LeadingTrivia);
            return type.WithKeyword(keyword.WithLeadingTrivia(SyntaxTriviaList.Empty)).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return type.WithModifiers(type.Modifiers.Add(partial));
    }

    private static async Task<Document> ReplaceLiteralAsync(Document document, LiteralExpressionSyntax literal, string text, ulong value, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        LiteralExpressionSyntax replacement = SyntaxFactory.LiteralExpression(
            SyntaxKind.NumericLiteralExpression,
            SyntaxFactory.Literal(literal.Token.LeadingTrivia, text, (int)value, literal.Token.TrailingTrivia));
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }
}
