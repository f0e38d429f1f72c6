using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Hostile.Tests;

/// <summary>
/// Runs a plugin in-process over pipes and plays lightningd. A background reader collects every
/// object the plugin writes: hook/request answers by id, log notifications apart.
/// </summary>
internal sealed class PluginPipe : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public const string PeerA = "02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc";

    private readonly Pipe _toPlugin = new();
    private readonly Pipe _fromPlugin = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly Stream _writer;
    private readonly Task _reading;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly List<string> _logs = [];
    private readonly List<string> _badFrames = [];
    private long _answerCount;
    private long _nonUtf8Frames;

    public PluginPipe(Action<ClnPluginBuilder> configure)
    {
        _writer = _toPlugin.Writer.AsStream();
        var builder = ClnPlugin.CreateBuilder([]);
        builder.Name = "hostile";
        builder.UseStreams(_toPlugin.Reader.AsStream(), _fromPlugin.Writer.AsStream());
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        configure(builder);
        Plugin = builder.Build();
        Run = Task.Run(() => Plugin.RunAsync(_cts.Token));
        _reading = Task.Run(ReadLoopAsync);
    }

    public ClnPlugin Plugin { get; }

    public Task Run { get; }

    /// <summary>How many answers (objects with an id) the plugin has written.</summary>
    public long AnswerCount => Interlocked.Read(ref _answerCount);

    /// <summary>Answers that echoed an id that was not valid UTF-8.</summary>
    public long NonUtf8Frames => Interlocked.Read(ref _nonUtf8Frames);

    public string[] Logs()
    {
        lock (_gate)
        {
            return [.. _logs];
        }
    }

    /// <summary>Lines the plugin wrote that are not JSON (lightningd would kill it for one).</summary>
    public string[] BadFrames()
    {
        lock (_gate)
        {
            return [.. _badFrames];
        }
    }

    public static string Hook(string id, string peer, string payloadHex) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"{payloadHex}\",\"peer_id\":\"{peer}\"}}}}\n\n";

    public async Task SendAsync(ReadOnlyMemory<byte> raw)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _writer.WriteAsync(raw, timeout.Token);
    }

    public Task SendAsync(string raw) => SendAsync(Encoding.UTF8.GetBytes(raw));

    public async Task HandshakeAsync()
    {
        await SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cln:getmanifest#1\",\"method\":\"getmanifest\",\"params\":{\"allow-deprecated-apis\":false}}\n\n");
        await WaitForAnswerAsync("\"cln:getmanifest#1\"");
        await SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cln:init#2\",\"method\":\"init\",\"params\":{\"options\":{},\"configuration\":{\"lightning-dir\":\"/nonexistent\",\"rpc-file\":\"lightning-rpc\",\"startup\":true,\"network\":\"regtest\",\"feature_set\":{\"init\":\"0800\"}}}}\n\n");
        await WaitForAnswerAsync("\"cln:init#2\"");
    }

    /// <summary>The raw answer (the whole object as JSON) for the raw id, waiting for it.</summary>
    public async Task<string> WaitForAnswerAsync(string rawId)
    {
        string? answer = null;
        await WaitUntilAsync(
            () =>
            {
                lock (_gate)
                {
                    return _answers.TryGetValue(rawId, out answer);
                }
            },
            $"an answer to {rawId}; {AnswerCount} answers, run {Run.Status}, bad frames: {string.Join(" | ", BadFrames().Take(3))}, logs: {string.Join(" | ", Logs().TakeLast(3))}");
        return answer!;
    }

    public bool TryTakeAnswer(string rawId, out string? answer)
    {
        lock (_gate)
        {
            return _answers.Remove(rawId, out answer);
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met in time: {what}");
            }

            await Task.Delay(10);
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = _fromPlugin.Reader;
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            var buffer = result.Buffer;
            while (TryFrame(ref buffer, out var frame))
            {
                try
                {
                    Handle(frame);
                }
                catch (Exception ex)
                {
                    lock (_gate)
                    {
                        _badFrames.Add(ex.GetType().Name + ": " + Encoding.UTF8.GetString(frame));
                    }
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    private static bool TryFrame(ref System.Buffers.ReadOnlySequence<byte> buffer, out byte[] frame)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            frame = [];
            return false;
        }

        frame = buffer.Slice(0, position.Value).ToArray();
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private void Handle(byte[] frame)
    {
        if (frame.Length == 0)
        {
            return;
        }

        if (!System.Text.Unicode.Utf8.IsValid(frame))
        {
            // The runtime echoes a request's raw id byte for byte, so an id that was not UTF-8 on
            // input comes back the same (lightningd never sends one). Counted, not parsed.
            Interlocked.Increment(ref _nonUtf8Frames);
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(frame);
        }
        catch (Exception)
        {
            // The plugin wrote something that is not JSON: a protocol violation the tests assert on.
            lock (_gate)
            {
                _badFrames.Add(Encoding.UTF8.GetString(frame));
            }

            return;
        }

        using var owned = doc;
        var root = doc.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            lock (_gate)
            {
                _answers[id.GetRawText()] = root.GetRawText();
            }

            Interlocked.Increment(ref _answerCount);
        }
        else if (root.TryGetProperty("method", out var m) && m.GetString() == "log")
        {
            lock (_gate)
            {
                _logs.Add(root.GetProperty("params").GetProperty("message").GetString()!);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toPlugin.Writer.CompleteAsync();
        await _cts.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(60));
            await _reading.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception)
        {
            // The test already reported what went wrong.
        }

        _cts.Dispose();
    }
}
