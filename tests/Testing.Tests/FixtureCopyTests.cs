namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// The repository keeps a byte copy of the recordings (tests/Fixtures/cln-v26.06.6); the originals live in
/// <c>../shared/fixtures/cln-v26.06.6</c> beside the clone (always there in CI). Every file of the copy must
/// equal its original and none may be missing, so a recording edited, truncated or left out fails here.
/// </summary>
public class FixtureCopyTests
{
    [SharedFixturesFact]
    public void Every_fixture_file_equals_the_shared_recording()
    {
        string copy = Path.Combine(SharedFixturesFactAttribute.RepositoryRoot!, "tests", "Fixtures", "cln-v26.06.6");
        string original = SharedFixturesFactAttribute.SharedFolder!;
        var files = Directory.GetFiles(copy).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        Assert.Equal(Directory.GetFiles(original).Select(Path.GetFileName).Order(StringComparer.Ordinal), files); // none missing, none extra

        var differing = files.Where(f => !File.Exists(Path.Combine(original, f!))
            || !File.ReadAllBytes(Path.Combine(copy, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(original, f!)))).ToArray();
        Assert.Empty(differing);
    }
}

/// <summary>
/// A fact that runs only when the shared recordings are beside the clone (<c>../shared/fixtures/cln-v26.06.6</c>,
/// or the folder <c>CLNX_SHARED_FIXTURES</c> names); otherwise it is reported as skipped, never as passed.
/// </summary>
internal sealed class SharedFixturesFactAttribute : FactAttribute
{
    public SharedFixturesFactAttribute()
    {
        if (RepositoryRoot is null)
            Skip = "The repository root (Sdk.sln) was not found above the test assembly.";
        else if (SharedFolder is null)
            Skip = $"No shared recordings beside the clone ({Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "cln-v26.06.6"))}).";
    }

    public static string? RepositoryRoot { get; } = FindRoot();

    public static string? SharedFolder { get; } = FindShared();

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
                return dir.FullName;
        }
        return null;
    }

    private static string? FindShared()
    {
        string? dir = Environment.GetEnvironmentVariable("CLNX_SHARED_FIXTURES");
        if (string.IsNullOrEmpty(dir) && RepositoryRoot is not null)
            dir = Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "cln-v26.06.6");
        return dir is not null && Directory.Exists(dir) ? Path.GetFullPath(dir) : null;
    }
}
