using System.Text;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Tests.Plugins;

/// <summary>
/// Replays what a recorded plugin wrote (the <c>out</c> records of a transcript): after the k-th message
/// it receives, it writes what the recorded plugin wrote after the k-th message lightningd sent it, with
/// the recorded request id replaced by the live one.
/// </summary>
internal sealed class ScriptedPlugin
{
    private readonly List<List<string>> _reactions = [];

    public ScriptedPlugin(IReadOnlyList<TranscriptLine> transcript)
    {
        foreach (var line in transcript)
        {
            if (line.Direction == "in")
            {
                foreach (var _ in Fixtures.Messages(line.Raw))
                    _reactions.Add([]);
            }
            else if (_reactions.Count > 0)
            {
                _reactions[^1].Add(line.Raw);
            }
        }
    }

    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var pending = new StringBuilder();
        var bytes = new byte[8192];
        int index = 0;
        while (true)
        {
            int read = await input.ReadAsync(bytes, cancellationToken);
            if (read == 0)
                return;
            pending.Append(Encoding.UTF8.GetString(bytes, 0, read));
            string text = pending.ToString();
            int end;
            while ((end = text.IndexOf("\n\n", StringComparison.Ordinal)) >= 0)
            {
                string message = text[..end];
                text = text[(end + 2)..];
                using var doc = JsonDocument.Parse(message);
                string? liveId = doc.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
                if (index < _reactions.Count)
                {
                    foreach (var raw in _reactions[index])
                    {
                        string reply = raw;
                        if (liveId is not null && ResponseId(raw) is { } recordedId)
                            reply = raw.Replace($"\"id\": \"{recordedId}\"", $"\"id\": {JsonSerializer.Serialize(liveId)}", StringComparison.Ordinal);
                        await output.WriteAsync(Encoding.UTF8.GetBytes(reply), cancellationToken);
                        await output.FlushAsync(cancellationToken);
                    }
                }
                index++;
                if (liveId is null && doc.RootElement.GetProperty("method").GetString() == "shutdown")
                    return;
            }
            pending.Clear().Append(text);
        }
    }

    private static string? ResponseId(string raw)
    {
        foreach (var part in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(part);
            if (doc.RootElement.TryGetProperty("id", out var id))
                return id.GetString();
        }
        return null;
    }
}
