namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// Compares generated sources with the checked-in files of one baseline folder (the exact set of files
/// and their text), or rewrites the folder when <c>CLNX_UPDATE_BASELINES=1</c> and then fails, so that an
/// update run is never taken for a passing one.
/// </summary>
internal static class BaselineFiles
{
    public static readonly bool Update = Environment.GetEnvironmentVariable("CLNX_UPDATE_BASELINES") == "1";

    /// <param name="directory">The baseline folder.</param>
    /// <param name="generated">Each generated file's hint name and text.</param>
    /// <param name="name">The case's name, for the failure message.</param>
    public static void AssertMatch(string directory, IReadOnlyDictionary<string, string> generated, string name)
    {
        if (Update)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            foreach ((string file, string text) in generated)
            {
                File.WriteAllText(Path.Combine(directory, file + ".txt"), text);
            }

            Assert.Fail($"baselines rewritten, review and commit: {directory} (unset CLNX_UPDATE_BASELINES to test)");
        }

        Assert.True(Directory.Exists(directory), $"no baselines for {name}; run with CLNX_UPDATE_BASELINES=1");
        Assert.Equal(
            Directory.GetFiles(directory).Select(f => Path.GetFileName(f)[..^".txt".Length]).Order(StringComparer.Ordinal),
            generated.Keys.Order(StringComparer.Ordinal));
        foreach ((string file, string text) in generated)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(directory, file + ".txt")).ReplaceLineEndings("\n"), text.ReplaceLineEndings("\n"));
        }
    }
}
