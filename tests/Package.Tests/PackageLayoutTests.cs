using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>What `dotnet pack` puts in the two packages.</summary>
[Collection(PackagesCollection.Name)]
public class PackageLayoutTests(PackagesFixture packages)
{
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
        Assert.Contains("T:Cln.ProtocolExtensions.CustomMessageAttribute", docs, StringComparison.Ordinal);

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
    public void Generator_targets_netstandard20_and_the_oldest_supported_roslyn()
    {
        using ZipArchive zip = ZipFile.OpenRead(packages.PackagePath("Cln.ProtocolExtensions"));
        using var stream = new MemoryStream();
        using (Stream entry = zip.GetEntry("analyzers/dotnet/cs/Cln.ProtocolExtensions.Generators.dll")!.Open())
        {
            entry.CopyTo(stream);
        }

        stream.Position = 0;
        using var pe = new PEReader(stream);
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
