using System.Security.Cryptography;

namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>
/// Packs Cln.ProtocolExtensions and Cln.ProtocolExtensions.Testing once per test run into a folder
/// feed, with a version no other source can have, and hands out consumer folders that restore from
/// that feed into a packages folder of their own.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_packTimeout = TimeSpan.FromMinutes(8);

    /// <summary>The temp folder that holds everything this run creates.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "clnx-pkg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    /// <summary>The packages' version: a prerelease no remote feed can serve.</summary>
    public string Version { get; } = "0.1.0-packagetest." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public string RepoRoot { get; } = FindRepoRoot();

    public string Feed => Path.Combine(Root, "feed");

    public string PackagesFolder => Path.Combine(Root, "packages");

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (string project in new[]
        {
            "src/Sdk/Cln.ProtocolExtensions.csproj",
            "src/Testing/Cln.ProtocolExtensions.Testing.csproj",
            "templates/Cln.ProtocolExtensions.Templates.csproj",
        })
        {
            CommandResult pack = await DotNet.RunAsync(RepoRoot, s_packTimeout,
                "pack", Path.Combine(RepoRoot, project), "-c", "Release", "-o", Feed,
                $"-p:Version={Version}",
                // Its own bin/obj, so packing never races the solution build that runs these tests.
                "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(Root, "artifacts")}",
                "--disable-build-servers");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed: {pack}");
            }
        }
    }

    /// <summary>
    /// Copies a consumer project (from the Consumers folder) to a fresh folder with a NuGet.config
    /// that adds the local feed and an isolated packages folder, as a new user's machine would have.
    /// </summary>
    public string CreateConsumer(string name)
    {
        string target = CreateFolder(name);
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Consumers", name), target);
        return target;
    }

    /// <summary>An empty folder with the NuGet.config and build props of <see cref="CreateConsumer"/>.</summary>
    public string CreateFolder(string name)
    {
        string target = Path.Combine(Root, name);
        Directory.CreateDirectory(target);

        // The machine's own package cache is a valid folder feed: dependencies (NBitcoin, hosting...)
        // come from it without a download when the solution build already restored them, and from
        // the user's configured sources (not cleared) otherwise.
        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cacheSource = Directory.Exists(machineCache) ? $"""    <add key="machine-cache" value="{machineCache}" />""" : "";

        File.WriteAllText(Path.Combine(target, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
              <packageSources>
                <add key="cln-local" value="{Feed}" />
            {cacheSource}
              </packageSources>
            </configuration>
            """);

        // Stops MSBuild from looking further up for build props, and tells the project the version.
        File.WriteAllText(Path.Combine(target, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <ClnProtocolExtensionsVersion>{Version}</ClnProtocolExtensionsVersion>
              </PropertyGroup>
            </Project>
            """);
        return target;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is not a test failure.
        }

        return Task.CompletedTask;
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (string directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)), overwrite: true);
        }
    }

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "packages";
}
