using Cln.ProtocolExtensions.Rpc.Json;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// The only writer of the plugin's stdout. Frames come from any thread (hook replies from the read
/// loop, log notifications from handlers) and are appended to one buffer under a lock; whatever is
/// queued leaves in one write and one flush, from the stdin thread (process stdio) or from a pump
/// task. Every frame is one JSON object followed by "\n\n", its strings escaped as lightningd escapes
/// them (<see cref="ClnJson"/>): lightningd unescapes <c>\n</c>, <c>\"</c> and the like in a log
/// message but "by policy" not <c>\uXXXX</c>, and passes a result's text to the user as written.
/// </summary>
internal sealed class ProtocolWriter : IAsyncDisposable
{
    private static readonly byte[] ContinuePrefix = "{\"jsonrpc\":\"2.0\",\"id\":"u8.ToArray();
    private static readonly byte[] ContinueSuffix = ",\"result\":{\"result\":\"continue\"}}\n\n"u8.ToArray();

    private readonly Stream _output;
    private readonly Lock _lock = new();
    // Set by writers when they wake the pump, cleared only by the pump when it wakes: at most one
    // release is outstanding. (No maximum count all the same: a spare wake-up is harmless, a
    // SemaphoreFullException thrown into a logger is not.)
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly bool _synchronousFlush;
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _spare = new(64 * 1024);
    // Started by the first frame that needs it, not by the constructor: the getmanifest answer is
    // written by the stdin loop itself, and starting the thread pool and this state machine before
    // it would delay it.
    private Task? _pump;
    private readonly object _pumpStart = new();
    private volatile bool _broken;
    private bool _completed;
    private bool _signalled;
    private long _droppedNotifications;
    private long _reportedDrops;

    /// <summary>
    /// How many bytes of notifications (log lines above all) may wait for lightningd to read: past
    /// this, new notifications are dropped and counted, so a node that stops reading cannot make the
    /// plugin's memory grow without bound. Responses (hook answers included) are never dropped.
    /// </summary>
    internal const int MaxQueuedNotificationBytes = 4 * 1024 * 1024;

    /// <summary>Notifications dropped because lightningd was not reading fast enough.</summary>
    public long DroppedNotifications => Interlocked.Read(ref _droppedNotifications);

    /// <summary>Bytes queued and not yet handed to the stream.</summary>
    internal int PendingBytes
    {
        get
        {
            lock (_lock)
            {
                return _pending.WrittenCount;
            }
        }
    }

    /// <param name="output">The stream to lightningd.</param>
    /// <param name="synchronousFlush">
    /// Whether <see cref="Flush"/> writes on the caller's thread (the process's stdin loop, which runs
    /// on its own thread) instead of waking the pump: one thread hop less per burst of hooks.
    /// </param>
    public ProtocolWriter(Stream output, bool synchronousFlush = false)
    {
        _output = output;
        _synchronousFlush = synchronousFlush;
    }

    /// <summary>Whether the output stream failed (lightningd went away); later frames are dropped.</summary>
    public bool IsBroken => _broken;

    /// <summary>Queues a complete frame (JSON + "\n\n"). Returns false once the writer is closed.</summary>
    public bool TryWrite(ReadOnlySpan<byte> frame) => TryWrite(frame, droppable: false);

    /// <summary>
    /// Queues a frame; a <paramref name="droppable"/> one (a notification) is dropped and counted
    /// instead when <see cref="MaxQueuedNotificationBytes"/> already wait. The first notification
    /// accepted after drops is preceded by a log line that says how many were lost.
    /// </summary>
    private bool TryWrite(ReadOnlySpan<byte> frame, bool droppable, bool wakePump = true)
    {
        bool signal;
        lock (_lock)
        {
            if (_broken || _completed)
            {
                return false;
            }

            if (droppable)
            {
                if (_pending.WrittenCount + frame.Length > MaxQueuedNotificationBytes)
                {
                    Interlocked.Increment(ref _droppedNotifications);
                    return false;
                }

                long dropped = Interlocked.Read(ref _droppedNotifications);
                if (dropped != _reportedDrops)
                {
                    WriteDropReport(dropped - _reportedDrops);
                    _reportedDrops = dropped;
                }
            }

            _pending.Write(frame);
            signal = wakePump && !_signalled;
            _signalled |= wakePump;
        }

        if (signal)
        {
            WakePump();
        }

        return true;
    }

    /// <summary>
    /// Queues <c>{"result":"continue"}</c> for the request whose raw JSON id is given, without
    /// allocating and without waking the pump: the stdin loop calls <see cref="Flush"/> once it has
    /// handled everything it read, so a burst of hooks leaves in one write.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryWriteContinue(ReadOnlySpan<byte> rawId)
    {
        lock (_lock)
        {
            if (_broken || _completed)
            {
                return false;
            }

            _pending.Write(ContinuePrefix);
            _pending.Write(rawId);
            _pending.Write(ContinueSuffix);
        }

        return true;
    }

    /// <summary>Writes what is queued now (synchronous mode), or wakes the pump to do it.</summary>
    public void Flush()
    {
        if (_synchronousFlush)
        {
            FlushSynchronously();
            return;
        }

        bool signal;
        lock (_lock)
        {
            signal = !_signalled && _pending.WrittenCount > 0;
            _signalled |= signal;
        }

        if (signal)
        {
            WakePump();
        }
    }

    private void WakePump()
    {
        _signal.Release();
        if (Volatile.Read(ref _pump) is null)
        {
            StartPump();
        }
    }

    private Task StartPump()
    {
        lock (_pumpStart)
        {
            return _pump ??= Task.Run(PumpAsync);
        }
    }

    /// <summary>
    /// Writes a response whose <c>result</c> value is written by <paramref name="writeResult"/>, then
    /// <see cref="Flush"/>es: in synchronous mode on the caller's thread, without waking the pump.
    /// </summary>
    public bool TryWriteResultAndFlush(ReadOnlySpan<byte> rawId, Action<Utf8JsonWriter> writeResult)
    {
        bool queued = TryWrite(ResultFrame(rawId, writeResult), droppable: false, wakePump: !_synchronousFlush);
        Flush();
        return queued;
    }

    /// <summary>Queues a response whose <c>result</c> value is written by <paramref name="writeResult"/>.</summary>
    public bool TryWriteResult(ReadOnlySpan<byte> rawId, Action<Utf8JsonWriter> writeResult) =>
        TryWrite(ResultFrame(rawId, writeResult));

    private static byte[] ResultFrame(ReadOnlySpan<byte> rawId, Action<Utf8JsonWriter> writeResult) =>
        BuildFrame(rawId, w =>
        {
            w.WritePropertyName("result"u8);
            writeResult(w);
        });

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
        using (var w = new Utf8JsonWriter(buffer, ClnJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WriteString("method"u8, method);
            w.WritePropertyName("params"u8);
            writeParams(w, state);
            w.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return TryWrite(buffer.WrittenSpan, droppable: true);
    }

    /// <summary>Queues (under the lock) the log line that reports dropped notifications.</summary>
    private void WriteDropReport(long count)
    {
        _pending.Write("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"level\":\"warn\",\"message\":\"lightningd was not reading the plugin's output: dropped "u8);
        Span<byte> digits = stackalloc byte[20];
        count.TryFormat(digits, out int written, provider: System.Globalization.CultureInfo.InvariantCulture);
        _pending.Write(digits[..written]);
        _pending.Write(" notification(s)\"}}\n\n"u8);
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
        bool signal;
        lock (_lock)
        {
            _completed = true;
            signal = !_signalled;
            _signalled = true;
        }

        if (signal)
        {
            _signal.Release();
        }

        try
        {
            // Started here at the latest, so that what is queued is written.
            await StartPump().WaitAsync(timeout).ConfigureAwait(false);
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
        using (var w = new Utf8JsonWriter(buffer, ClnJson.WriterOptions))
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


    private void FlushSynchronously()
    {
        _writeGate.Wait();
        try
        {
            var batch = Swap(out _, clearSignal: false);
            if (batch.WrittenCount > 0)
            {
                _output.Write(batch.WrittenSpan);
                _output.Flush();
                Recycle(batch);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            _broken = true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private ArrayBufferWriter<byte> Swap(out bool completed, bool clearSignal)
    {
        lock (_lock)
        {
            var batch = _pending;
            _pending = _spare;
            _spare = batch;
            if (clearSignal)
            {
                _signalled = false;
            }

            completed = _completed;
            return batch;
        }
    }

    /// <summary>Empties a written batch for reuse, or drops it after a burst so memory goes back.</summary>
    private void Recycle(ArrayBufferWriter<byte> batch)
    {
        if (batch.Capacity > 1024 * 1024)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_spare, batch))
                {
                    _spare = new ArrayBufferWriter<byte>(64 * 1024);
                }
            }
        }
        else
        {
            batch.ResetWrittenCount();
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync().ConfigureAwait(false);
                bool completed;
                await _writeGate.WaitAsync().ConfigureAwait(false);
                try
                {
                    var batch = Swap(out completed, clearSignal: true);
                    if (batch.WrittenCount > 0)
                    {
                        await _output.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                        await _output.FlushAsync().ConfigureAwait(false);
                        Recycle(batch);
                    }
                }
                finally
                {
                    _writeGate.Release();
                }

                if (completed)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            _broken = true;
        }
    }

    /// <summary>UTF-8 of a string, for tests and diagnostics.</summary>
    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
