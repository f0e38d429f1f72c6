using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// Runs a plugin in-process over pipes, playing lightningd: writes requests to its stdin, reads its
/// stdout as JSON objects, keeps the log notifications apart.
/// </summary>
internal sealed class PluginHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Pipe _toPlugin = new();
    private readonly Pipe _fromPlugin = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly List<byte> _pending = [];
    private readonly Stream _reader;
    private readonly Stream _writer;

    public PluginHarness(Action<ClnPluginBuilder> configure)
    {
        _reader = _fromPlugin.Reader.AsStream();
        _writer = _toPlugin.Writer.AsStream();
        var builder = ClnPlugin.CreateBuilder([]);
        builder.Name = "testplugin";
        builder.UseStreams(_toPlugin.Reader.AsStream(), _fromPlugin.Writer.AsStream());
        builder.Logging.SetMinimumLevelForTests();
        configure(builder);
        Plugin = builder.Build();
        Run = Task.Run(() => Plugin.RunAsync(_cts.Token));
    }

    public ClnPlugin Plugin { get; }

    public Task Run { get; }

    public List<(string Level, string Message)> Logs { get; } = [];

    public static string Manifest(string id = "cln:getmanifest#1") =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"getmanifest\",\"params\":{{\"allow-deprecated-apis\":false}}}}\n\n";

    public static string Init(string lightningDir = "/nonexistent", string options = "{}", string id = "cln:init#2") =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"init\",\"params\":{{\"options\":{options},\"configuration\":{{\"lightning-dir\":\"{lightningDir}\",\"rpc-file\":\"lightning-rpc\",\"startup\":true,\"network\":\"regtest\",\"feature_set\":{{\"init\":\"0800\"}}}}}}}}\n\n";

    public static string Hook(string id, string peer, string payload) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"{payload}\",\"peer_id\":\"{peer}\"}}}}\n\n";

    /// <summary>A request from lightningd: <c>{"jsonrpc":"2.0","id":ID,"method":M,"params":P}</c> and its "\n\n".</summary>
    public static string Request(string id, string method, string @params) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"{method}\",\"params\":{@params}}}\n\n";

    /// <summary>Sends a request and returns the plugin's next non-log object, checked to be its answer.</summary>
    public async Task<JsonElement> CallAsync(string id, string method, string @params)
    {
        await SendAsync(Request(id, method, @params));
        var answer = await ReadAsync();
        Assert.Equal(id, answer.GetProperty("id").GetString());
        return answer;
    }

    public async Task SendAsync(string raw)
    {
        await _writer.WriteAsync(Encoding.UTF8.GetBytes(raw)).AsTask().WaitAsync(Timeout);
        await _writer.FlushAsync().WaitAsync(Timeout);
    }

    /// <summary>Sends raw bytes (for input that is not valid UTF-8).</summary>
    public async Task SendAsync(byte[] raw)
    {
        await _writer.WriteAsync(raw).AsTask().WaitAsync(Timeout);
        await _writer.FlushAsync().WaitAsync(Timeout);
    }

    /// <summary>Closes the plugin's stdin (lightningd going away).</summary>
    public async Task CloseInputAsync() => await _toPlugin.Writer.CompleteAsync();

    /// <summary>The next non-log object the plugin wrote (log notifications go to <see cref="Logs"/>).</summary>
    public async Task<JsonElement> ReadAsync()
    {
        while (true)
        {
            var element = await ReadAnyAsync();
            if (element.TryGetProperty("method", out var m) && m.GetString() == "log")
            {
                var p = element.GetProperty("params");
                Logs.Add((p.GetProperty("level").GetString()!, p.GetProperty("message").GetString()!));
                continue;
            }

            return element;
        }
    }

    /// <summary>Reads until a log line satisfying <paramref name="predicate"/> arrives; returns the non-log objects seen meanwhile.</summary>
    public async Task<List<JsonElement>> ReadUntilLogAsync(Func<string, string, bool> predicate)
    {
        var others = new List<JsonElement>();
        int seen = 0;
        while (true)
        {
            for (; seen < Logs.Count; seen++)
            {
                if (predicate(Logs[seen].Level, Logs[seen].Message))
                {
                    return others;
                }
            }

            var element = await ReadAnyAsync();
            if (element.TryGetProperty("method", out var m) && m.GetString() == "log")
            {
                var p = element.GetProperty("params");
                Logs.Add((p.GetProperty("level").GetString()!, p.GetProperty("message").GetString()!));
            }
            else
            {
                others.Add(element);
            }
        }
    }

    /// <summary>The next object the plugin wrote, whatever it is; every frame must end in "\n\n".</summary>
    public async Task<JsonElement> ReadAnyAsync()
    {
        var frame = await ReadFrameAsync();
        using var doc = JsonDocument.Parse(frame);
        Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// The exact bytes (the "\n\n" included) of the next frame <paramref name="match"/> accepts; log
    /// notifications passed over go to <see cref="Logs"/>, other frames are dropped.
    /// </summary>
    public async Task<byte[]> ReadRawAsync(Func<JsonElement, bool> match)
    {
        while (true)
        {
            var frame = await ReadFrameAsync();
            using var doc = JsonDocument.Parse(frame);
            var element = doc.RootElement;
            if (match(element))
            {
                return [.. frame, (byte)'\n', (byte)'\n'];
            }

            if (element.TryGetProperty("method", out var m) && m.GetString() == "log")
            {
                var p = element.GetProperty("params");
                Logs.Add((p.GetProperty("level").GetString()!, p.GetProperty("message").GetString()!));
            }
        }
    }

    /// <summary>The bytes of the next frame, without its "\n\n".</summary>
    private async Task<byte[]> ReadFrameAsync()
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            int end = IndexOfFrameEnd();
            if (end >= 0)
            {
                var frame = _pending.GetRange(0, end).ToArray();
                _pending.RemoveRange(0, end + 2);
                return frame;
            }

            int n = await _reader.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                throw new EndOfStreamException("The plugin closed its output. Pending: " + Encoding.UTF8.GetString(_pending.ToArray()));
            }

            _pending.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>Reads everything until the plugin's output ends or goes quiet; returns the objects.</summary>
    public async Task<List<JsonElement>> DrainAsync(TimeSpan quiet)
    {
        var list = new List<JsonElement>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int end = IndexOfFrameEnd();
            if (end >= 0)
            {
                var frame = _pending.GetRange(0, end).ToArray();
                _pending.RemoveRange(0, end + 2);
                using var doc = JsonDocument.Parse(frame);
                list.Add(doc.RootElement.Clone());
                continue;
            }

            using var cts = new CancellationTokenSource(quiet);
            try
            {
                int n = await _reader.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    return list;
                }

                _pending.AddRange(buffer.AsSpan(0, n));
            }
            catch (OperationCanceledException)
            {
                return list;
            }
        }
    }

    public async Task HandshakeAsync(string lightningDir = "/nonexistent", string options = "{}")
    {
        await SendAsync(Manifest());
        var manifest = await ReadAsync();
        Assert.Equal("cln:getmanifest#1", manifest.GetProperty("id").GetString());
        await SendAsync(Init(lightningDir, options));
        var init = await ReadAsync();
        Assert.Equal("cln:init#2", init.GetProperty("id").GetString());
    }

    /// <summary>Asserts the plugin's run task completes (the "process" exits) within the timeout.</summary>
    public async Task AssertExitsAsync()
    {
        await Run.WaitAsync(Timeout);
        Assert.True(Run.IsCompletedSuccessfully);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await Run.WaitAsync(Timeout);
        }
        catch (Exception)
        {
            // The test already reported what went wrong.
        }

        _cts.Dispose();
    }

    private int IndexOfFrameEnd()
    {
        for (int i = 0; i + 1 < _pending.Count; i++)
        {
            if (_pending[i] == (byte)'\n' && _pending[i + 1] == (byte)'\n')
            {
                return i;
            }
        }

        return -1;
    }
}

internal static class LoggingTestExtensions
{
    public static void SetMinimumLevelForTests(this Microsoft.Extensions.Logging.ILoggingBuilder logging) =>
        logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug);
}
