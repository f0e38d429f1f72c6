using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Cln.ProtocolExtensions.Package.Tests;

/// <summary>
/// Packs the packages once per test run exactly as README.md tells a new user to, in a copy of the
/// repository that has never been built (a fresh clone of the working tree), and hands out consumer
/// folders that restore from nothing but the packed folder and nuget.org, into a packages folder of
/// their own.
/// </summary>
public sealed partial class PackagesFixture : IAsyncLifetime
{
    /// <summary>The pack command README.md gives, run at the repository root.</summary>
    public static readonly string[] PackCommand = ["pack", "-c", "Release", "-o"];

    /// <summary>The pack command for the runtime package alone, run at the repository root.</summary>
    public static readonly string[] PackSdkCommand = ["pack", "src/Sdk", "-c", "Release", "-o"];

    /// <summary>The ids of the packages the repository makes, and nothing else.</summary>
    public static readonly string[] PackageIds = ["Cln.ProtocolExtensions", "Cln.ProtocolExtensions.Templates", "Cln.ProtocolExtensions.Testing"];

    /// <summary>The public source a consumer restores everything but our packages from.</summary>
    public const string PublicSource = "https://api.nuget.org/v3/index.json";

    // A deadline against a hang, not a speed claim: a first build on a loaded two-core machine.
    private static readonly TimeSpan s_packTimeout = TimeSpan.FromMinutes(15);

    private int _folders;

    /// <summary>The temp folder that holds everything this run creates.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "clnx-pkg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    /// <summary>The repository these tests belong to.</summary>
    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The fresh copy of the repository that is packed.</summary>
    public string Clone => Path.Combine(Root, "clone");

    /// <summary>The folder <see cref="PackCommand"/> wrote to.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The folder <see cref="PackSdkCommand"/> wrote to.</summary>
    public string SdkFeed => Path.Combine(Root, "feed-sdk");

    /// <summary>The consumers' own global packages folder (never the machine's).</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    /// <summary>The version the pack gave the packages (read from the packed file names).</summary>
    public string Version { get; private set; } = "";

    /// <summary>The .nupkg files <see cref="PackCommand"/> wrote, by file name.</summary>
    public IReadOnlyList<string> FeedPackages { get; private set; } = [];

    /// <summary>The .nupkg files <see cref="PackSdkCommand"/> wrote, by file name.</summary>
    public IReadOnlyList<string> SdkFeedPackages { get; private set; } = [];

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        CopyWorkingTree(RepoRoot, Clone);

        // First the runtime package alone, on the never-built copy (where packing once failed), then
        // everything at the root, exactly as README.md says.
        CommandResult packSdk = await DotNet.RunAsync(Clone, s_packTimeout, [.. PackSdkCommand, SdkFeed]);
        if (packSdk.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', PackSdkCommand)} {SdkFeed} failed on a fresh copy: {packSdk}");
        }

        CommandResult pack = await DotNet.RunAsync(Clone, s_packTimeout, [.. PackCommand, Feed]);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', PackCommand)} {Feed} failed on a fresh copy: {pack}");
        }

        SdkFeedPackages = NupkgNames(SdkFeed);
        FeedPackages = NupkgNames(Feed);
        string runtime = FeedPackages.FirstOrDefault(name => RuntimePackageName().IsMatch(name))
            ?? throw new InvalidOperationException($"no Cln.ProtocolExtensions package in {Feed}: {string.Join(", ", FeedPackages)}");
        Version = RuntimePackageName().Match(runtime).Groups["version"].Value;
    }

    /// <summary>
    /// Copies a consumer project (from the Consumers folder, without any bin/ or obj/ an earlier build
    /// left there) to a fresh folder with the NuGet.config of <see cref="CreateFolder"/>.
    /// </summary>
    public string CreateConsumer(string name)
    {
        string target = CreateFolder(name);
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Consumers", name), target);
        return target;
    }

    /// <summary>
    /// An empty folder whose NuGet.config clears every machine-wide source and lists only the packed
    /// folder and nuget.org, with a packages folder of its own, as on a new user's machine.
    /// </summary>
    public string CreateFolder(string name)
    {
        // A new folder on every call: no test sees what another one built.
        string target = Path.Combine(Root, $"{name}-{Interlocked.Increment(ref _folders)}");
        Directory.CreateDirectory(target);

        File.WriteAllText(Path.Combine(target, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
              <packageSources>
                <clear />
                <add key="cln-local" value="{Feed}" />
                <add key="nuget.org" value="{PublicSource}" />
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

    /// <summary>The folders a copy leaves out: build output, wherever it is.</summary>
    internal static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "bin" or "obj");

    /// <summary>Copies a folder without its build output.</summary>
    internal static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (!IsBuildOutput(relative))
            {
                CopyFile(file, Path.Combine(target, relative));
            }
        }
    }

    /// <summary>
    /// What a commit of the working tree would hold, as a fresh clone has it: the tracked files (as they
    /// are now) and the untracked ones git does not ignore. No bin/, obj/ or .git.
    /// </summary>
    private static void CopyWorkingTree(string repoRoot, string target)
    {
        using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git")
        {
            ArgumentList = { "-C", repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("git did not start");
        string list = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            throw new InvalidOperationException($"git ls-files failed in {repoRoot} (exit code {git.ExitCode}): the package tests pack a copy of the git working tree");
        }

        foreach (string relative in list.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            string source = Path.Combine(repoRoot, relative);
            if (File.Exists(source) && !IsBuildOutput(relative))
            {
                CopyFile(source, Path.Combine(target, relative));
            }
        }
    }

    private static void CopyFile(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
    }

    private static List<string> NupkgNames(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.nupkg").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)]
            : [];

    [GeneratedRegex(@"^Cln\.ProtocolExtensions\.(?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex RuntimePackageName();

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
