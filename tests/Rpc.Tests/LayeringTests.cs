using System.Text.RegularExpressions;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>
/// The layers depend one way: Wire &lt;- Rpc &lt;- Plugin. The lightningd client (src/Sdk/Rpc) must not
/// name anything of the plugin runtime (src/Sdk/Plugin), and the wire layer nothing of either, so
/// the client could move to an assembly of its own.
/// </summary>
public partial class LayeringTests
{
    [Fact]
    public void The_lightningd_client_does_not_use_the_plugin_runtime()
    {
        AssertNoReference(from: "Rpc", to: "Plugin");
    }

    [Fact]
    public void The_wire_layer_uses_neither_the_client_nor_the_plugin_runtime()
    {
        AssertNoReference(from: "Wire", to: "Plugin");
        AssertNoReference(from: "Wire", to: "Rpc");
    }

    [Fact]
    public void The_check_finds_a_reference_when_there_is_one()
    {
        // The plugin runtime does use the client (ILightningClient), so the check must see it.
        Assert.NotEmpty(References(from: "Plugin", to: "Rpc"));
    }

    private static void AssertNoReference(string from, string to)
    {
        var found = References(from, to);
        Assert.True(found.Count == 0, $"{from} uses {to}: " + string.Join("; ", found));
    }

    /// <summary>Where files of layer <paramref name="from"/> name the namespace or a type declared in layer <paramref name="to"/>.</summary>
    private static List<string> References(string from, string to)
    {
        string sdk = Path.Combine(Repo.Root, "src", "Sdk");
        var declared = Directory.GetFiles(Path.Combine(sdk, to), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(sdk, from), "*.cs", SearchOption.AllDirectories))
        {
            string text = Comments().Replace(File.ReadAllText(file), string.Empty);
            if (text.Contains($"Cln.ProtocolExtensions.{to}", StringComparison.Ordinal) || Regex.IsMatch(text, $@"\b{to}\."))
            {
                found.Add($"{Path.GetFileName(file)} names the {to} namespace");
            }

            // Generated files name every type global::-qualified, so the namespace check above covers them;
            // their property names (Hex, Log) would read as types here.
            bool generated = file.Contains($"{Path.DirectorySeparatorChar}Generated{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
            foreach (Match word in generated ? Enumerable.Empty<Match>() : Identifier().Matches(text))
            {
                if (declared.Contains(word.Value))
                {
                    found.Add($"{Path.GetFileName(file)} uses {word.Value}");
                    break;
                }
            }
        }

        return found;
    }

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum|delegate\s+\S+)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
