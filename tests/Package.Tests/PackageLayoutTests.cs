using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>What the pack commands of README.md make on a fresh clone, and what they put in the packages.</summary>
[Collection(PackagesCollection.Name)]
public class PackageLayoutTests(PackagesFixture packages)
{
    [Fact]
    public void Packing_at_the_root_of_a_fresh_clone_makes_exactly_the_three_packages_in_one_version()
    {
        Assert.Equal(PackagesFixture.PackageIds.Select(id => $"{id}.{packages.Version}.nupkg"), packages.FeedPackages);
    }

    [Fact]
    public void Packing_src_Sdk_on_a_fresh_clone_makes_exactly_the_runtime_package()
    {
        Assert.Equal([$"Cln.ProtocolExtensions.{packages.Version}.nupkg"], packages.SdkFeedPackages);
    }

    [Fact]
    public void Local_packages_get_a_prerelease_version_from_the_newest_source_time_and_the_source_hash()
    {
        string prefix = XElement.Load(Path.Combine(packages.RepoRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Match version = Regex.Match(packages.Version, $@"^{Regex.Escape(prefix)}-local\.(?<time>\d{{14}})\.(?<hash>[0-9a-f]{{8}})$");
        Assert.True(version.Success, $"{packages.Version} is not {prefix}-local.<yyyyMMddHHmmss>.<hash>");

        // The time is the last-write time of the newest file the packages are built from, in the packed copy.
        string[] inputs = ["src", "templates", Path.Combine("docs", "packages"), "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json"];
        DateTime newest = inputs
            .Select(input => Path.Combine(packages.Clone, input))
            .SelectMany(path => Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : File.Exists(path) ? [path] : [])
            .Where(path => !PackagesFixture.IsBuildOutput(Path.GetRelativePath(packages.Clone, path)))
            .Max(File.GetLastWriteTimeUtc);
        Assert.Equal(newest.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture), version.Groups["time"].Value);
    }

    [Fact]
    public void Readme_quickstart_packs_with_the_commands_these_tests_run()
    {
        string readme = File.ReadAllText(Path.Combine(packages.RepoRoot, "README.md"));
        Assert.Contains("dotnet " + string.Join(' ', PackagesFixture.PackCommand), readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_package_ships_the_code_fixes_next_to_the_generator()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));
        using PEReader pe = OpenAssembly(zip, "analyzers/dotnet/cs/Cln.ProtocolExtensions.Generators.CodeFixes.dll");
        MetadataReader reader = pe.GetMetadataReader();
        TypeDefinition provider = reader.TypeDefinitions.Select(reader.GetTypeDefinition)
            .Single(t => reader.GetString(t.Name) == "MessageCodeFixProvider");
        Assert.Equal("Cln.ProtocolExtensions.Generators.CodeFixes", reader.GetString(provider.Namespace));
        // Visual Studio, Rider and the C# extension find code fixes by this attribute.
        Assert.Contains("ExportCodeFixProviderAttribute", provider.GetCustomAttributes().Select(h => AttributeName(reader, reader.GetCustomAttribute(h))));
    }

    [Fact]
    public void Template_defaults_to_the_packages_it_was_packed_with()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions.Templates"));
        using var reader = new StreamReader(zip.GetEntry("content/cln-plugin/.template.config/template.json")!.Open());
        using var template = JsonDocument.Parse(reader.ReadToEnd());
        JsonElement sdkVersion = template.RootElement.GetProperty("symbols").GetProperty("SdkVersion");
        Assert.Equal(packages.Version, sdkVersion.GetProperty("defaultValue").GetString());
        Assert.Equal("CLN_SDK_VERSION", sdkVersion.GetProperty("replaces").GetString());
    }

    [Fact]
    public void Consumer_copies_leave_out_bin_and_obj()
    {
        string source = Path.Combine(packages.Root, "copy-source-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(source, "obj"));
        Directory.CreateDirectory(Path.Combine(source, "sub", "bin", "Release"));
        File.WriteAllText(Path.Combine(source, "App.csproj"), "<Project />");
        File.WriteAllText(Path.Combine(source, "obj", "project.assets.json"), "{}");
        File.WriteAllText(Path.Combine(source, "sub", "bin", "Release", "App.dll"), "");
        File.WriteAllText(Path.Combine(source, "sub", "Program.cs"), "");
        string target = source + "-copy";

        PackagesFixture.CopyDirectory(source, target);

        var copied = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(target, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["App.csproj", "sub/Program.cs"], copied);
    }

    [Fact]
    public void Runtime_package_has_the_library_its_docs_and_the_generator_as_an_analyzer()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net10.0/Cln.ProtocolExtensions.dll", entries);
        Assert.Contains("lib/net10.0/Cln.ProtocolExtensions.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/Cln.ProtocolExtensions.Generators.dll", entries);
        Assert.Contains("README.md", entries);
        // The generator is a compiler plug-in, never a reference of the consumer.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));

        string docs = Read(zip, "lib/net10.0/Cln.ProtocolExtensions.xml");
        Assert.Contains("T:Cln.ProtocolExtensions.Plugin.ClnPluginBuilder", docs, StringComparison.Ordinal);

        XElement metadata = Nuspec(zip);
        Assert.Equal("MIT", Element(metadata, "license").Value);
        Assert.Equal("expression", Element(metadata, "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Element(metadata, "readme").Value);
        Assert.StartsWith("https://", Element(metadata, "repository").Attribute("url")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(Element(metadata, "description").Value));
        var dependencies = Dependencies(metadata);
        Assert.DoesNotContain(dependencies.Keys, id => id.Contains("Generators", StringComparison.Ordinal));
        Assert.Contains("NBitcoin", dependencies.Keys);
    }

    [Fact]
    public void Runtime_package_holds_the_three_layer_assemblies_with_their_docs_and_nothing_else_in_lib()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));
        var lib = zip.Entries.Select(e => e.FullName).Where(e => e.StartsWith("lib/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "lib/net10.0/Cln.ProtocolExtensions.Rpc.dll", "lib/net10.0/Cln.ProtocolExtensions.Rpc.xml",
                "lib/net10.0/Cln.ProtocolExtensions.Wire.dll", "lib/net10.0/Cln.ProtocolExtensions.Wire.xml",
                "lib/net10.0/Cln.ProtocolExtensions.dll", "lib/net10.0/Cln.ProtocolExtensions.xml",
            ],
            lib);

        // Each layer's docs describe that layer's types.
        Assert.Contains("T:Cln.ProtocolExtensions.CustomMessageAttribute", Read(zip, "lib/net10.0/Cln.ProtocolExtensions.Wire.xml"), StringComparison.Ordinal);
        Assert.Contains("T:Cln.ProtocolExtensions.Wire.WireReader", Read(zip, "lib/net10.0/Cln.ProtocolExtensions.Wire.xml"), StringComparison.Ordinal);
        Assert.Contains("T:Cln.ProtocolExtensions.Rpc.ILightningClient", Read(zip, "lib/net10.0/Cln.ProtocolExtensions.Rpc.xml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Packed_layers_reference_each_other_one_way()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));

        Assert.Empty(ProductReferences(zip, "Cln.ProtocolExtensions.Wire"));
        Assert.Equal(["Cln.ProtocolExtensions.Wire"], ProductReferences(zip, "Cln.ProtocolExtensions.Rpc"));
        Assert.Equal(["Cln.ProtocolExtensions.Rpc", "Cln.ProtocolExtensions.Wire"], ProductReferences(zip, "Cln.ProtocolExtensions"));
    }

    [Fact]
    public void Runtime_package_declares_the_dependencies_of_all_three_layers_and_no_package_for_a_layer()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));

        // NBitcoin for Wire, StreamJsonRpc for Rpc, Hosting for the plugin runtime; the layers are inside.
        Assert.Equal(["Microsoft.Extensions.Hosting", "NBitcoin", "StreamJsonRpc"], Dependencies(Nuspec(zip)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Symbol_package_holds_the_pdbs_of_the_three_layers()
    {
        using ZipArchive zip = ZipFile.OpenRead(Path.ChangeExtension(packages.PackagePath("Cln.ProtocolExtensions"), ".snupkg"));
        var pdbs = zip.Entries.Select(e => e.FullName).Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(["lib/net10.0/Cln.ProtocolExtensions.Rpc.pdb", "lib/net10.0/Cln.ProtocolExtensions.Wire.pdb", "lib/net10.0/Cln.ProtocolExtensions.pdb"], pdbs);
    }

    [Fact]
    public void Generator_targets_netstandard20_and_the_oldest_supported_roslyn()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));
        using PEReader pe = OpenAssembly(zip, "analyzers/dotnet/cs/Cln.ProtocolExtensions.Generators.dll");
        MetadataReader reader = pe.GetMetadataReader();
        var references = reader.AssemblyReferences
            .Select(h => reader.GetAssemblyReference(h))
            .ToDictionary(r => reader.GetString(r.Name), r => r.Version);

        // Loads in every compiler from the .NET 8 SDK on (Roslyn 4.8).
        Assert.True(references.TryGetValue("Microsoft.CodeAnalysis", out Version? roslyn), "the generator does not reference Roslyn");
        Assert.True(roslyn <= new Version(4, 8, 0, 0), $"the generator references Roslyn {roslyn}");
        Assert.Contains("netstandard", references.Keys);
    }

    [Fact]
    public void Testing_package_depends_on_the_same_runtime_version()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions.Testing"));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net10.0/Cln.ProtocolExtensions.Testing.dll", entries);
        Assert.Contains("lib/net10.0/Cln.ProtocolExtensions.Testing.xml", entries);
        Assert.Contains("README.md", entries);

        XElement metadata = Nuspec(zip);
        Assert.Equal("MIT", Element(metadata, "license").Value);
        Assert.Equal(packages.Version, Dependencies(metadata)["Cln.ProtocolExtensions"]);
    }

    [Fact]
    public void Template_package_holds_the_cln_plugin_template()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions.Templates"));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("content/cln-plugin/.template.config/template.json", entries);
        Assert.Contains("content/cln-plugin/src/MyPlugin/MyPlugin.csproj", entries);
        Assert.Contains("content/cln-plugin/tests/MyPlugin.Tests/PluginTests.cs", entries);
        Assert.DoesNotContain(entries, e => e.Contains("/bin/", StringComparison.Ordinal) || e.Contains("/obj/", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));

        XElement metadata = Nuspec(zip);
        Assert.Equal("Template", Element(Element(metadata, "packageTypes"), "packageType").Attribute("name")?.Value);
        Assert.Equal("README.md", Element(metadata, "readme").Value);
    }

    private static string AttributeName(MetadataReader reader, CustomAttribute attribute) => attribute.Constructor.Kind switch
    {
        HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
            ? reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name)
            : "",
        _ => "",
    };

    /// <summary>The assemblies of this SDK (Cln.ProtocolExtensions*) that a packed lib/net10.0 assembly references, sorted.</summary>
    private static string[] ProductReferences(ZipArchive zip, string assembly)
    {
        using PEReader pe = OpenAssembly(zip, $"lib/net10.0/{assembly}.dll");
        MetadataReader reader = pe.GetMetadataReader();
        return reader.AssemblyReferences
            .Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))
            .Where(n => n == "Cln.ProtocolExtensions" || n.StartsWith("Cln.ProtocolExtensions.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static PEReader OpenAssembly(ZipArchive zip, string name)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} missing in the package");
        using var stream = new MemoryStream();
        using (Stream content = entry.Open())
        {
            content.CopyTo(stream);
        }

        return new PEReader(System.Collections.Immutable.ImmutableArray.Create(stream.ToArray()));
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static XElement Nuspec(ZipArchive zip)
    {
        ZipArchiveEntry entry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        XElement package = XElement.Load(stream);
        return Element(package, "metadata");
    }

    private static XElement Element(XElement parent, string localName) =>
        parent.Elements().SingleOrDefault(e => e.Name.LocalName == localName)
        ?? throw new Xunit.Sdk.XunitException($"<{localName}> missing in the nuspec");

    private static Dictionary<string, string> Dependencies(XElement metadata) =>
        metadata.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
}
