using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// A plugin imports NBitcoin next to the SDK's namespaces (the template does): no SDK type may share a
/// name with a type of NBitcoin's root namespace, or every use of it is ambiguous (CS0104).
/// </summary>
public class NameClashTests
{
    [Fact]
    public void Every_public_sdk_type_compiles_unqualified_next_to_NBitcoin()
    {
        Type[] types = TestHelpers.SdkAssemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => !t.IsNested && t.Namespace is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        IEnumerable<string> usings = types.Select(t => t.Namespace!).Append("NBitcoin").Distinct().Order(StringComparer.Ordinal);
        string source = string.Concat(usings.Select(n => $"using {n};\n"))
            + "internal static class Uses\n{\n    public static readonly System.Type[] All =\n    [\n"
            + string.Concat(types.Select(t => $"        typeof({Unbound(t)}),\n"))
            + "    ];\n}\n";

        Compilation compilation = TestHelpers.Compile(source);
        Assert.Contains(types, t => t.Name == "CompactEcdsaSignature");
        Assert.Contains(types, t => t.Name == "ClnPluginBuilder");
        Assert.Contains(types, t => t.Name == "ILightningClient");
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }

    /// <summary>The type's name as <c>typeof</c> takes it: <c>Name</c>, or <c>Name&lt;,&gt;</c> for a generic definition.</summary>
    private static string Unbound(Type type)
    {
        if (!type.IsGenericTypeDefinition)
        {
            return type.Name;
        }

        int arity = type.GetGenericArguments().Length;
        return type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "<" + new string(',', arity - 1) + ">";
    }
}
