namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>A new user's project, restored from the packed packages only.</summary>
[Collection(PackagesCollection.Name)]
public class ConsumerTests(PackagesFixture packages)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Consumer_restores_builds_and_runs_its_round_trip()
    {
        string project = packages.CreateConsumer("RoundTrip");

        CommandResult build = await DotNet.RunAsync(project, s_timeout, "build", "-c", "Release", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, $"the consumer does not build:\n{build}");

        // Restored from the local feed into the consumer's own packages folder.
        Assert.True(Directory.Exists(Path.Combine(packages.PackagesFolder, "cln.protocolextensions", packages.Version)));
        Assert.True(Directory.Exists(Path.Combine(packages.PackagesFolder, "cln.protocolextensions.testing", packages.Version)));

        CommandResult run = await DotNet.RunAsync(project, s_timeout, "run", "-c", "Release", "--no-build");
        Assert.True(run.ExitCode == 0, $"the consumer failed:\n{run}");
        Assert.Contains("round trip ok", run.Output, StringComparison.Ordinal);
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

        string folder = packages.CreateFolder("Hello");
        CommandResult create = await DotNet.RunAsync(folder, s_timeout,
            "new", "cln-plugin", "-n", "Hello", "-o", ".", "--SdkVersion", packages.Version, "--debug:custom-hive", hive);
        Assert.True(create.ExitCode == 0, $"dotnet new cln-plugin failed:\n{create}");

        // Named after the project: the types, the folders and lightningd's plugin name.
        string plugin = File.ReadAllText(Path.Combine(folder, "src", "Hello", "Hello.csproj"));
        Assert.Contains("<AssemblyName>hello</AssemblyName>", plugin, StringComparison.Ordinal);
        Assert.Contains($"Version=\"{packages.Version}\"", plugin, StringComparison.Ordinal);
        Assert.Contains("AddHello", File.ReadAllText(Path.Combine(folder, "src", "Hello", "Plugin.cs")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "tests", "Hello.Tests", "Hello.Tests.csproj")));

        CommandResult test = await DotNet.RunAsync(folder, s_timeout, "test", "--disable-build-servers");
        Assert.True(test.ExitCode == 0, $"the new plugin's tests fail:\n{test}");
        Assert.Matches(@"Passed:\s+3\b", test.Output); // the delivery, the usage and refusal of the typed method, the round trip
    }
}
