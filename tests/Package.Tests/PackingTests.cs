using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>What the pack commands of README.md make on a fresh clone, and what ships in the packages.</summary>
[Collection(PackagesCollection.Name)]
public class PackingTests(PackagesFixture packages)
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
        using var stream = new MemoryStream();
        using (Stream entry = (zip.GetEntry("analyzers/dotnet/cs/Cln.ProtocolExtensions.Generators.CodeFixes.dll")
            ?? throw new Xunit.Sdk.XunitException("no code fixes in analyzers/dotnet/cs")).Open())
        {
            entry.CopyTo(stream);
        }

        stream.Position = 0;
        using var pe = new PEReader(stream);
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

    private static string AttributeName(MetadataReader reader, CustomAttribute attribute) => attribute.Constructor.Kind switch
    {
        HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
            ? reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name)
            : "",
        _ => "",
    };
}
