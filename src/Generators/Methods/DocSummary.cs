using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Cln.ProtocolExtensions.Generators.Methods;

/// <summary>
/// The text of a method's XML doc <c>&lt;summary&gt;</c>, read from the source itself: the symbol's
/// documentation is empty unless the project generates a documentation file, and a plugin's
/// description should not depend on that setting.
/// </summary>
internal static class DocSummary
{
    private static readonly Regex Summary = new("<summary>(.*?)</summary>", RegexOptions.Singleline);
    private static readonly Regex Reference = new("<(?:see|seealso|paramref|typeparamref)\\s+(?:cref|name|langword|href)\\s*=\\s*\"(?:[A-Z]:)?([^\"]*)\"\\s*/>");
    private static readonly Regex Tag = new("</?[a-zA-Z][^>]*>");
    private static readonly Regex Space = new("\\s+");

    /// <summary>The summary as one line of plain text, or null when there is none.</summary>
    public static string? Read(IMethodSymbol method, CancellationToken cancellationToken)
    {
        SyntaxReference? reference = method.DeclaringSyntaxReferences.FirstOrDefault();
        if (reference is null)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (SyntaxTrivia trivia in reference.GetSyntax(cancellationToken).GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                foreach (string line in trivia.ToFullString().Split('\n'))
                {
                    string trimmed = line.Trim();
                    if (trimmed.StartsWith("///", System.StringComparison.Ordinal))
                    {
                        text.Append(trimmed.Substring(3)).Append(' ');
                    }
                }
            }
        }

        return FromXml(text.ToString());
    }

    /// <summary>The plain text of the first <c>&lt;summary&gt;</c> in a doc comment's XML.</summary>
    public static string? FromXml(string xml)
    {
        Match match = Summary.Match(xml);
        if (!match.Success)
        {
            return null;
        }

        string plain = Reference.Replace(match.Groups[1].Value, m => m.Groups[1].Value.Split('.').Last());
        plain = Tag.Replace(plain, string.Empty);
        plain = Space.Replace(plain, " ").Trim()
            .Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&apos;", "'").Replace("&amp;", "&");
        return plain.Length == 0 ? null : plain;
    }
}
