using System.Text.Json;

namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>A new user's project, restored from the packed packages only.</summary>
[Collection(PackagesCollection.Name)]
public class ConsumerTests(PackagesFixture packages)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Consumer_restores_builds_and_runs_its_round_trip()
    {
        string project = await BuildConsumerAsync("RoundTrip");

        // Restored from the freshly packed folder into the consumer's own packages folder.
        Assert.Equal(packages.Feed, RestoredFrom("cln.protocolextensions"));
        Assert.Equal(packages.Feed, RestoredFrom("cln.protocolextensions.testing"));

        await RunConsumerAsync(project, "round trip ok");
    }

    [Fact]
    public async Task Consumer_of_the_runtime_package_alone_builds_and_runs_with_wire_rpc_and_plugin_types()
    {
        string project = await BuildConsumerAsync("Layers");
        Assert.Equal(packages.Feed, RestoredFrom("cln.protocolextensions"));
        // Only the runtime package of ours: the layers are not packages of their own.
        using (var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"))))
        {
            var ours = assets.RootElement.GetProperty("libraries").EnumerateObject()
                .Select(library => library.Name)
                .Where(name => name.StartsWith("Cln.ProtocolExtensions", StringComparison.OrdinalIgnoreCase));
            Assert.Equal([$"Cln.ProtocolExtensions/{packages.Version}"], ours);
        }

        // The three layer assemblies come from the one package, next to the consumer.
        string output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.All(["Cln.ProtocolExtensions.dll", "Cln.ProtocolExtensions.Rpc.dll", "Cln.ProtocolExtensions.Wire.dll"],
            dll => Assert.True(File.Exists(Path.Combine(output, dll)), $"{dll} is not in the consumer's output"));

        await RunConsumerAsync(project, "layers ok");
    }

    [Fact]
    public async Task Consumer_restores_only_from_the_packed_folder_and_nugetorg_into_a_clean_folder()
    {
        string project = packages.CreateConsumer("RoundTrip");
        Assert.False(Directory.Exists(Path.Combine(project, "obj")), "the consumer starts with an obj/ folder");
        Assert.False(Directory.Exists(Path.Combine(project, "bin")), "the consumer starts with a bin/ folder");

        CommandResult restore = await DotNet.RunAsync(project, s_timeout, "restore", "--disable-build-servers");
        Assert.True(restore.ExitCode == 0, $"the consumer does not restore:\n{restore}");

        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        JsonElement restoreSettings = assets.RootElement.GetProperty("project").GetProperty("restore");
        var sources = restoreSettings.GetProperty("sources").EnumerateObject().Select(p => p.Name.TrimEnd('/', Path.DirectorySeparatorChar)).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { packages.Feed, PackagesFixture.PublicSource }.Order(StringComparer.Ordinal), sources);
        Assert.Equal(packages.PackagesFolder, restoreSettings.GetProperty("packagesPath").GetString()!.TrimEnd('/', Path.DirectorySeparatorChar));
    }

    [Fact]
    public async Task Consumer_gets_the_generator_the_analyzer_and_the_code_fixes_as_analyzers()
    {
        string project = packages.CreateConsumer("RoundTrip");
        CommandResult restore = await DotNet.RunAsync(project, s_timeout, "restore", "--disable-build-servers");
        Assert.True(restore.ExitCode == 0, $"the consumer does not restore:\n{restore}");

        // The analyzers the compiler and the IDE load for this project, as MSBuild resolves them.
        CommandResult items = await DotNet.RunAsync(project, s_timeout,
            "msbuild", "-nologo", "-t:ResolveLockFileAnalyzers", "-getItem:Analyzer", "-p:Configuration=Release", "--disable-build-servers");
        Assert.True(items.ExitCode == 0, $"the consumer's analyzers cannot be listed:\n{items}");
        string packageAnalyzers = Path.Combine(packages.PackagesFolder, "cln.protocolextensions", packages.Version, "analyzers", "dotnet", "cs");
        using var json = JsonDocument.Parse(items.Output[items.Output.IndexOf('{', StringComparison.Ordinal)..]);
        var analyzers = json.RootElement.GetProperty("Items").GetProperty("Analyzer").EnumerateArray()
            .Select(a => a.GetProperty("FullPath").GetString()!)
            .Where(path => path.StartsWith(packageAnalyzers, StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["Cln.ProtocolExtensions.Generators.CodeFixes.dll", "Cln.ProtocolExtensions.Generators.dll"], analyzers);
    }

    [Fact]
    public async Task Consumer_declaring_bolt_type_18_fails_to_build_with_CLNX3001()
    {
        string project = packages.CreateConsumer("ReservedType");

        CommandResult build = await DotNet.RunAsync(project, s_timeout, "build", "-c", "Release", "--disable-build-servers");

        Assert.True(build.ExitCode != 0, $"a message of type 18 (BOLT #1 ping) built:\n{build}");
        Assert.Contains("error CLNX3001", build.Output, StringComparison.Ordinal);
        Assert.Contains("'Ping'", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_creates_a_plugin_whose_tests_pass()
    {
        string hive = Path.Combine(packages.Root, "template-hive");
        CommandResult install = await DotNet.RunAsync(packages.Root, s_timeout,
            "new", "install", packages.PackagePath("Cln.ProtocolExtensions.Templates"), "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, $"dotnet new install failed:\n{install}");

        // No --SdkVersion: the template defaults to the packages it was packed with.
        string folder = packages.CreateFolder("Hello");
        CommandResult create = await DotNet.RunAsync(folder, s_timeout,
            "new", "cln-plugin", "-n", "Hello", "-o", ".", "--debug:custom-hive", hive);
        Assert.True(create.ExitCode == 0, $"dotnet new cln-plugin failed:\n{create}");

        // Named after the project: the types, the folders and lightningd's plugin name.
        string plugin = File.ReadAllText(Path.Combine(folder, "src", "Hello", "Hello.csproj"));
        Assert.Contains("<AssemblyName>hello</AssemblyName>", plugin, StringComparison.Ordinal);
        Assert.Contains($"Version=\"{packages.Version}\"", plugin, StringComparison.Ordinal);
        Assert.Contains($"Version=\"{packages.Version}\"", File.ReadAllText(Path.Combine(folder, "tests", "Hello.Tests", "Hello.Tests.csproj")), StringComparison.Ordinal);
        Assert.Contains("AddHello", File.ReadAllText(Path.Combine(folder, "src", "Hello", "Plugin.cs")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "tests", "Hello.Tests", "Hello.Tests.csproj")));

        CommandResult test = await DotNet.RunAsync(folder, s_timeout, "test", "--disable-build-servers");
        Assert.True(test.ExitCode == 0, $"the new plugin's tests fail:\n{test}");
        Assert.Matches(@"Passed:\s+3\b", test.Output); // the delivery, the usage and refusal of the typed method, the round trip

        // The plugin carries English resources only; its test project, which does not ask for that, shows
        // what the check would find otherwise.
        Assert.Empty(CultureFolders(Path.Combine(folder, "src", "Hello", "bin", "Debug", "net10.0")));
        Assert.NotEmpty(CultureFolders(Path.Combine(folder, "tests", "Hello.Tests", "bin", "Debug", "net10.0")));
    }

    /// <summary>Copies the consumer project <paramref name="name"/> to a fresh folder and builds it in Release; fails the test if it does not build.</summary>
    private async Task<string> BuildConsumerAsync(string name)
    {
        string project = packages.CreateConsumer(name);
        CommandResult build = await DotNet.RunAsync(project, s_timeout, "build", "-c", "Release", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, $"the consumer does not build:\n{build}");
        return project;
    }

    /// <summary>Runs a built consumer; it must exit with 0 and print <paramref name="expected"/>.</summary>
    private static async Task RunConsumerAsync(string project, string expected)
    {
        CommandResult run = await DotNet.RunAsync(project, s_timeout, "run", "-c", "Release", "--no-build");
        Assert.True(run.ExitCode == 0, $"the consumer failed:\n{run}");
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
    }

    /// <summary>The satellite-resource folders (named after a culture, like <c>de</c> or <c>zh-Hans</c>) in a build output.</summary>
    private static List<string> CultureFolders(string output)
    {
        Assert.True(Directory.Exists(output), $"{output} does not exist");
        return [.. Directory.EnumerateDirectories(output).Select(Path.GetFileName).OfType<string>().Where(IsCultureName)];
    }

    private static bool IsCultureName(string name)
    {
        try
        {
            return System.Globalization.CultureInfo.GetCultureInfo(name, predefinedOnly: true).Name.Length > 0;
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The source NuGet recorded for a restored package in the consumers' packages folder.</summary>
    private string RestoredFrom(string id)
    {
        string metadata = Path.Combine(packages.PackagesFolder, id, packages.Version, ".nupkg.metadata");
        Assert.True(File.Exists(metadata), $"{id} {packages.Version} was not restored into {packages.PackagesFolder}");
        using var json = JsonDocument.Parse(File.ReadAllText(metadata));
        return json.RootElement.GetProperty("source").GetString()!.TrimEnd('/', Path.DirectorySeparatorChar);
    }
}
