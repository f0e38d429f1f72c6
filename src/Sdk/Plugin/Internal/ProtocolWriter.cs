using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// The only writer of the plugin's stdout. Frames come from any thread (hook replies from the read
/// loop, log notifications from handlers); a single pump writes them in order, batching whatever is
/// queued into one write and one flush. Every frame is one JSON object followed by "\n\n".
/// </summary>
internal sealed class ProtocolWriter : IAsyncDisposable
{
    private static readonly byte[] ContinuePrefix = "{\"jsonrpc\":\"2.0\",\"id\":"u8.ToArray();
    private static readonly byte[] ContinueSuffix = ",\"result\":{\"result\":\"continue\"}}\n\n"u8.ToArray();

    private readonly Stream _output;
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private readonly Task _pump;
    private volatile bool _broken;

    public ProtocolWriter(Stream output)
    {
        _output = output;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Whether the output stream failed (lightningd went away); later frames are dropped.</summary>
    public bool IsBroken => _broken;

    /// <summary>Queues a complete frame (JSON + "\n\n"). Returns false once the writer is closed.</summary>
    public bool TryWrite(byte[] frame) => !_broken && _frames.Writer.TryWrite(frame);

    /// <summary>Queues <c>{"result":"continue"}</c> for the request whose raw JSON id is given.</summary>
    public bool TryWriteContinue(ReadOnlySpan<byte> rawId)
    {
        var frame = GC.AllocateUninitializedArray<byte>(ContinuePrefix.Length + rawId.Length + ContinueSuffix.Length);
        ContinuePrefix.CopyTo(frame, 0);
        rawId.CopyTo(frame.AsSpan(ContinuePrefix.Length));
        ContinueSuffix.CopyTo(frame, ContinuePrefix.Length + rawId.Length);
        return TryWrite(frame);
    }

    /// <summary>Queues a response whose <c>result</c> value is written by <paramref name="writeResult"/>.</summary>
    public bool TryWriteResult(ReadOnlySpan<byte> rawId, Action<Utf8JsonWriter> writeResult) =>
        TryWrite(BuildFrame(rawId, w =>
        {
            w.WritePropertyName("result"u8);
            writeResult(w);
        }));

    /// <summary>Queues a JSON-RPC error response (never used for hooks: lightningd treats those as fatal).</summary>
    public bool TryWriteError(ReadOnlySpan<byte> rawId, int code, string message, Action<Utf8JsonWriter>? writeData = null) =>
        TryWrite(BuildFrame(rawId, w =>
        {
            w.WritePropertyName("error"u8);
            w.WriteStartObject();
            w.WriteNumber("code"u8, code);
            w.WriteString("message"u8, message);
            if (writeData is not null)
            {
                w.WritePropertyName("data"u8);
                writeData(w);
            }

            w.WriteEndObject();
        }));

    /// <summary>Queues a notification <c>{"jsonrpc":"2.0","method":...,"params":...}</c>.</summary>
    public bool TryWriteNotification<TState>(string method, TState state, Action<Utf8JsonWriter, TState> writeParams)
    {
        if (_broken)
        {
            return false;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WriteString("method"u8, method);
            w.WritePropertyName("params"u8);
            writeParams(w, state);
            w.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return TryWrite(buffer.WrittenSpan.ToArray());
    }

    /// <summary>Queues a <c>log</c> notification, one per line of <paramref name="message"/>.</summary>
    public void WriteLog(string level, string message)
    {
        if (message.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            WriteLogLine(level, message);
            return;
        }

        foreach (var range in message.AsSpan().SplitAny('\r', '\n'))
        {
            var line = message.AsSpan()[range];
            if (!line.IsEmpty)
            {
                WriteLogLine(level, line.ToString());
            }
        }
    }

    private void WriteLogLine(string level, string line) =>
        TryWriteNotification("log", (level, line), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("level"u8, s.level);
            w.WriteString("message"u8, s.line);
            w.WriteEndObject();
        });

    /// <summary>Stops accepting frames and waits (bounded) for the queued ones to reach the stream.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        _frames.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // lightningd stopped reading; nothing more we can do.
        }
    }

    public async ValueTask DisposeAsync() => await CompleteAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);

    private static byte[] BuildFrame(ReadOnlySpan<byte> rawId, Action<Utf8JsonWriter> writeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WritePropertyName("id"u8);
            w.WriteRawValue(rawId, skipInputValidation: true);
            writeBody(w);
            w.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private async Task PumpAsync()
    {
        var reader = _frames.Reader;
        var batch = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    batch.Write(frame);
                    if (batch.WrittenCount >= 64 * 1024)
                    {
                        await _output.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                        batch.ResetWrittenCount();
                    }
                }

                if (batch.WrittenCount > 0)
                {
                    await _output.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                    batch.ResetWrittenCount();
                }

                await _output.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            _broken = true;
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>UTF-8 of a string, for tests and diagnostics.</summary>
    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
