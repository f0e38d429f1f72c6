using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Cln.ProtocolExtensions.CodeGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// What generated code may call in the SDK: its public API and, for everything else, only the namespace
/// <c>Cln.ProtocolExtensions.CodeGeneration</c>, whose types are hidden from IntelliSense and documented
/// as for generated code only.
/// </summary>
public partial class GeneratedCodeSurfaceTests
{
    private const string GeneratedNamespace = "Cln.ProtocolExtensions.CodeGeneration";

    /// <summary>The SDK assemblies that hold generated-code support (one today; the namespace may span several).</summary>
    private static readonly Assembly[] SdkAssemblies = TestHelpers.SdkAssemblies;

    private static IEnumerable<Type> PublicTypes => SdkAssemblies.SelectMany(a => a.GetExportedTypes());

    private static bool IsHidden(MemberInfo member) =>
        member.GetCustomAttribute<EditorBrowsableAttribute>() is { State: EditorBrowsableState.Never };

    [Fact]
    public void Every_public_type_of_the_generated_code_namespace_is_hidden_and_documented_as_for_generated_code_only()
    {
        Type[] types = [.. PublicTypes.Where(t => t.Namespace == GeneratedNamespace)];
        Assert.Superset(
            new HashSet<string> { "GeneratedCodeSupport", "UncheckedWire", "TlvRecords", "RpcArguments", "RpcValues", "RpcResults" },
            types.Select(t => t.Name).ToHashSet());

        Dictionary<string, string> docs = SdkAssemblies.SelectMany(TypeSummaries).ToDictionary(p => p.Key, p => p.Value);
        Assert.All(types, type =>
        {
            Assert.True(IsHidden(type), $"{type.FullName} lacks [EditorBrowsable(EditorBrowsableState.Never)]");
            Assert.True(docs.TryGetValue("T:" + type.FullName, out string? summary), $"{type.FullName} has no XML doc summary");
            Assert.Contains("For generated code only: it may change between versions", summary, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Outside_the_generated_code_namespace_no_public_type_or_member_is_hidden()
    {
        var hidden = new List<string>();
        foreach (Type type in PublicTypes.Where(t => t.Namespace != GeneratedNamespace))
        {
            if (IsHidden(type))
            {
                hidden.Add(type.FullName!);
            }

            const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            hidden.AddRange(type.GetMembers(Declared).Where(IsHidden).Select(m => type.FullName + "." + m.Name));
        }

        Assert.Empty(hidden);
    }

    /// <summary>
    /// Every <c>global::Cln.ProtocolExtensions.</c> name in the checked-in baselines is a public SDK type (or
    /// a public member of one), and the hidden ones are all in the generated-code namespace.
    /// </summary>
    [Fact]
    public void Baselines_name_only_public_sdk_types_and_members_and_hidden_ones_only_in_the_generated_code_namespace()
    {
        string root = Path.Combine(DiagnosticTests.RepoRoot(), "tests", "Generators.Tests", "Baselines");
        string[] files = Directory.GetFiles(root, "*.g.cs.txt", SearchOption.AllDirectories);
        Assert.NotEmpty(files);

        var problems = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            foreach (Match match in SdkName().Matches(File.ReadAllText(file)))
            {
                string name = match.Groups[1].Value;
                seen.Add(name);
                if (Check(name) is { } problem)
                {
                    problems.Add($"{Path.GetFileName(file)}: {problem}");
                }
            }
        }

        Assert.Empty(problems);
        Assert.Contains(seen, n => n.StartsWith(GeneratedNamespace + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void The_baseline_check_refuses_a_hidden_member_outside_the_namespace_and_a_non_public_one()
    {
        Assert.Null(Check("Cln.ProtocolExtensions.CodeGeneration.UncheckedWire.Start"));
        Assert.Null(Check("Cln.ProtocolExtensions.Wire.WireSize.BigSize"));
        Assert.NotNull(Check("Cln.ProtocolExtensions.Wire.WireMessage.ThrowIfTooLarge"));
        Assert.NotNull(Check("Cln.ProtocolExtensions.Wire.TlvReader.TryReadRecord"));
        Assert.NotNull(Check("Cln.ProtocolExtensions.Wire.NoSuchType"));
    }

    /// <summary>
    /// The generated code of every baseline source, compiled against the SDK: each SDK symbol it binds to
    /// (instance members included, which a text scan cannot see) is public, and hidden only in the
    /// generated-code namespace.
    /// </summary>
    [Fact]
    public void Generated_code_binds_only_to_public_sdk_symbols_and_hidden_ones_only_in_the_generated_code_namespace()
    {
        var outputs = new List<(Compilation Output, IEnumerable<SyntaxTree> Trees)>();
        foreach (string source in new[] { Sources.Ping, Sources.Subtypes, Sources.Invalid })
        {
            (GeneratorDriverRunResult result, Compilation output) = GeneratorRunner.Run(source);
            outputs.Add((output, result.GeneratedTrees));
        }

        foreach (string source in new[] { MethodSources.PingPong, MethodSources.AllShapes })
        {
            (GeneratorDriverRunResult result, Compilation output) = MethodTestHelpers.Run(source);
            outputs.Add((output, result.GeneratedTrees));
        }

        var problems = new SortedSet<string>(StringComparer.Ordinal);
        var bound = new HashSet<string>(StringComparer.Ordinal);
        foreach ((Compilation output, IEnumerable<SyntaxTree> trees) in outputs)
        {
            foreach (SyntaxTree tree in trees)
            {
                SemanticModel model = output.GetSemanticModel(tree);
                foreach (SyntaxNode node in tree.GetRoot().DescendantNodes().Where(n => n is SimpleNameSyntax))
                {
                    ISymbol? symbol = model.GetSymbolInfo(node).Symbol;
                    if (symbol?.ContainingAssembly?.Name is not { } assembly || !assembly.StartsWith("Cln.ProtocolExtensions", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    ISymbol definition = symbol is IMethodSymbol { ReducedFrom: { } reduced } ? reduced : symbol.OriginalDefinition;
                    string display = definition.ToDisplayString();
                    bound.Add(display);
                    if (!IsEffectivelyPublic(definition))
                    {
                        problems.Add($"{Path.GetFileName(tree.FilePath)}: {display} is not public");
                    }
                    else if (IsHiddenSymbol(definition) && Namespace(definition) != GeneratedNamespace)
                    {
                        problems.Add($"{Path.GetFileName(tree.FilePath)}: {display} is hidden outside {GeneratedNamespace}");
                    }
                }
            }
        }

        Assert.Empty(problems);
        Assert.Contains(bound, s => s.StartsWith(GeneratedNamespace + ".RpcArguments", StringComparison.Ordinal));
        Assert.Contains(bound, s => s.StartsWith(GeneratedNamespace + ".TlvRecords", StringComparison.Ordinal));
    }

    /// <summary>Null when <paramref name="name"/> (a namespace, type, or type and member) may be named by generated code; else why not.</summary>
    private static string? Check(string name)
    {
        string[] parts = name.Split('.');
        for (int length = parts.Length; length > 2; length--)
        {
            string typeName = string.Join(".", parts.Take(length));
            // A generic type is named without its arity (IWireSubtype<T>): try that as well.
            Type? type = SdkAssemblies
                .SelectMany(a => new[] { a.GetType(typeName), a.GetType(typeName + "`1"), a.GetType(typeName + "`2") })
                .FirstOrDefault(t => t is not null);
            if (type is null)
            {
                continue;
            }

            if (!type.IsPublic)
            {
                return $"{typeName} is not public";
            }

            bool allowedHidden = type.Namespace == GeneratedNamespace;
            if (IsHidden(type) && !allowedHidden)
            {
                return $"{typeName} is hidden outside {GeneratedNamespace}";
            }

            if (length == parts.Length)
            {
                return null;
            }

            MemberInfo[] members = type.GetMember(parts[length], BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance);
            if (members.Length == 0)
            {
                return $"{typeName}.{parts[length]} is not a public member";
            }

            return members.Any(IsHidden) && !allowedHidden ? $"{typeName}.{parts[length]} is hidden outside {GeneratedNamespace}" : null;
        }

        // Only a namespace is named (or nothing the SDK declares at all).
        string prefix = name + ".";
        return PublicTypes.Any(t => (t.Namespace + ".").StartsWith(prefix, StringComparison.Ordinal) || t.Namespace == name)
            ? null
            : $"{name} is neither a public SDK type nor an SDK namespace";
    }

    private static bool IsEffectivelyPublic(ISymbol symbol)
    {
        for (ISymbol? s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility != Accessibility.Public && s is not IParameterSymbol and not ITypeParameterSymbol)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHiddenSymbol(ISymbol symbol)
    {
        for (ISymbol? s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.GetAttributes().Any(a => a.AttributeClass?.Name == nameof(EditorBrowsableAttribute)
                && a.ConstructorArguments is [{ Value: int state }] && state == (int)EditorBrowsableState.Never))
            {
                return true;
            }
        }

        return false;
    }

    private static string Namespace(ISymbol symbol) =>
        (symbol is INamespaceSymbol ns ? ns : symbol.ContainingNamespace).ToDisplayString();

    /// <summary>Type summaries from the XML documentation file next to <paramref name="assembly"/>.</summary>
    private static IEnumerable<KeyValuePair<string, string>> TypeSummaries(Assembly assembly)
    {
        string path = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(path), "no XML documentation next to " + assembly.Location);
        return XDocument.Load(path).Descendants("member")
            .Where(m => ((string?)m.Attribute("name"))?.StartsWith("T:", StringComparison.Ordinal) == true)
            .Select(m => new KeyValuePair<string, string>(
                (string)m.Attribute("name")!,
                Regex.Replace(string.Concat(m.Element("summary")?.DescendantNodes().OfType<XText>().Select(t => t.Value) ?? []), @"\s+", " ")));
    }

    [GeneratedRegex(@"global::(Cln\.ProtocolExtensions(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex SdkName();
}
