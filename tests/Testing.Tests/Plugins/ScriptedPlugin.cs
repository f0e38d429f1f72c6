using System.Text;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Tests.Plugins;

/// <summary>
/// Replays what a recorded plugin wrote (the <c>out</c> records of a transcript): for each request it
/// receives, it writes the recorded records up to and including the recorded response, with the
/// recorded id replaced by the live one.
/// </summary>
internal sealed class ScriptedPlugin(IReadOnlyList<TranscriptLine> transcript)
{
    private readonly Queue<TranscriptLine> _script = new(transcript.Where(l => l.Direction == "out"));

    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var pending = new StringBuilder();
        var bytes = new byte[8192];
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
                if (!doc.RootElement.TryGetProperty("id", out var id))
                {
                    if (doc.RootElement.GetProperty("method").GetString() == "shutdown")
                        return;
                    continue;
                }
                await ReplayUntilResponseAsync(id.GetString()!, output, cancellationToken);
            }
            pending.Clear().Append(text);
        }
    }

    private async Task ReplayUntilResponseAsync(string liveId, Stream output, CancellationToken cancellationToken)
    {
        while (_script.TryDequeue(out var record))
        {
            string raw = record.Raw;
            string? recordedId = ResponseId(raw);
            if (recordedId is not null)
                raw = raw.Replace($"\"id\": \"{recordedId}\"", $"\"id\": {JsonSerializer.Serialize(liveId)}", StringComparison.Ordinal);
            await output.WriteAsync(Encoding.UTF8.GetBytes(raw), cancellationToken);
            await output.FlushAsync(cancellationToken);
            if (recordedId is not null)
                return;
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
