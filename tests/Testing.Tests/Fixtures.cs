using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>One record of a recorded plugin transcript.</summary>
internal sealed record TranscriptLine(string Direction, string Raw);

/// <summary>Reads the recordings in tests/Fixtures/cln-v26.06.6 (copied next to the test assembly).</summary>
internal static partial class Fixtures
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "cln-v26.06.6", file);

    public static IReadOnlyList<TranscriptLine> Transcript(string file) =>
        File.ReadLines(PathOf(file)).Where(l => l.Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return new TranscriptLine(doc.RootElement.GetProperty("dir").GetString()!, doc.RootElement.GetProperty("raw").GetString()!);
        }).ToArray();

    public static IReadOnlyList<JsonElement> Records(string file) =>
        File.ReadLines(PathOf(file)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    /// <summary>Splits a byte stream into its "\n\n"-terminated messages (terminators kept).</summary>
    public static IReadOnlyList<string> Messages(string stream)
    {
        var list = new List<string>();
        int start = 0;
        int end;
        while ((end = stream.IndexOf("\n\n", start, StringComparison.Ordinal)) >= 0)
        {
            list.Add(stream[start..(end + 2)]);
            start = end + 2;
        }
        Assert.Equal(stream.Length, start); // nothing unterminated
        return list;
    }

    /// <summary>Removes what legitimately differs between runs: request ids' counters, ports, the lightning-dir.</summary>
    public static string Normalize(string message, string lightningDir, string recordedDir) =>
        PortRegex().Replace(
            IdRegex().Replace(message.Replace(lightningDir, recordedDir, StringComparison.Ordinal), m =>
                $"\"id\":\"{(m.Groups[1].Length > 0 ? "cli:plugin#N/" : "")}cln:{m.Groups[2].Value}#N\""),
            "\"port\":PORT");

    [GeneratedRegex("\"id\":\"((?:cli:plugin#\\d+/)?)cln:([a-z_]+)#\\d+\"")]
    private static partial Regex IdRegex();

    [GeneratedRegex("\"port\":\\d+")]
    private static partial Regex PortRegex();
}
