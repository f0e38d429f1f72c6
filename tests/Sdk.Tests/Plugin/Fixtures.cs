using System.Text.Json;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>Reads the recorded lightningd v26.06.6 transcripts from tests/Fixtures (found from the repo root).</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Locate();

    /// <summary>The transcript's records as (direction, raw bytes as text), in order.</summary>
    public static IReadOnlyList<(string Dir, string Raw)> Transcript(string file) =>
        File.ReadLines(Path.Combine(Directory, file))
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return (doc.RootElement.GetProperty("dir").GetString()!, doc.RootElement.GetProperty("raw").GetString()!);
            })
            .ToArray();

    public static IEnumerable<JsonElement> Lines(string file) =>
        File.ReadLines(Path.Combine(Directory, file)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Fixtures", "cln-v26.06.6");
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")) && System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Fixtures/cln-v26.06.6 not found above " + AppContext.BaseDirectory);
    }
}
