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
}
