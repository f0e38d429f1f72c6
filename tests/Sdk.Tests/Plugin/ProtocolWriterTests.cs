using System.Text;
using Cln.ProtocolExtensions.Plugin.Internal;

namespace Cln.ProtocolExtensions.Tests.Plugin;

public class ProtocolWriterTests
{
    /// <summary>A write-only stream that keeps what was written; subclasses decide how writes behave.</summary>
    private abstract class RecordingSink : Stream
    {
        private readonly MemoryStream _data = new();

        public byte[] Data
        {
            get
            {
                lock (_data)
                {
                    return _data.ToArray();
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected void Record(ReadOnlySpan<byte> bytes)
        {
            lock (_data)
            {
                _data.Write(bytes);
            }
        }
    }

    /// <summary>A sink that accepts concurrent writers only as a bug: the writer must serialise them.</summary>
    private sealed class CheckingSink : RecordingSink
    {
        private int _inside;

        public bool Overlapped { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Interlocked.Exchange(ref _inside, 1) == 1)
            {
                Overlapped = true;
            }

            Record(buffer);

            Volatile.Write(ref _inside, 0);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Frames_from_many_threads_all_arrive_whole_and_in_per_thread_order(bool synchronousFlush)
    {
        var sink = new CheckingSink();
        var writer = new ProtocolWriter(sink, synchronousFlush);
        const int perThread = 10000;

        // One "stdin loop" writing hook answers and flushing, plus loggers on other threads.
        var loop = Task.Run(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                Assert.True(writer.TryWriteContinue(Encoding.UTF8.GetBytes($"\"hook#{i}\"")));
                writer.Flush();
            }

            writer.Flush();
        });
        var loggers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                writer.WriteLog("info", $"t{t} line {i}");
            }
        })).ToArray();
        await Task.WhenAll(loggers.Append(loop)).WaitAsync(TimeSpan.FromSeconds(60));
        await writer.CompleteAsync(TimeSpan.FromSeconds(60));

        Assert.False(sink.Overlapped);
        var frames = Encoding.UTF8.GetString(sink.Data).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5 * perThread, frames.Length);
        var hooks = frames.Where(f => f.Contains("\"hook#", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Enumerable.Range(0, perThread).Select(i => $"{{\"jsonrpc\":\"2.0\",\"id\":\"hook#{i}\",\"result\":{{\"result\":\"continue\"}}}}"), hooks);
        for (int t = 0; t < 4; t++)
        {
            var mine = frames.Where(f => f.Contains($"\"t{t} line ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(perThread, mine.Length);
            Assert.Contains($"\"t{t} line {perThread - 1}\"", mine[^1]);
        }
    }

    [Fact]
    public async Task Writes_after_completion_are_refused_not_thrown()
    {
        var writer = new ProtocolWriter(new MemoryStream(), synchronousFlush: true);
        await writer.CompleteAsync(TimeSpan.FromSeconds(60));
        Assert.False(writer.TryWriteContinue("\"x\""u8));
        writer.WriteLog("info", "after the end");
        writer.Flush();
    }
    [Fact]
    public async Task Log_text_reaches_lightningd_unescaped_except_what_json_requires()
    {
        // lightningd unescapes \" \\ \n ... in log messages but never \uXXXX (ccan/json_escape).
        var sink = new CheckingSink();
        var writer = new ProtocolWriter(sink);
        writer.WriteLog("info", "it's <ok> & +1 \"quoted\" caf\u00e9 back\\slash");
        await writer.CompleteAsync(TimeSpan.FromSeconds(60));

        var text = Encoding.UTF8.GetString(sink.Data);
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"level\":\"info\",\"message\":\"it's <ok> & +1 \\\"quoted\\\" caf\u00e9 back\\\\slash\"}}\n\n", text);
        Assert.DoesNotContain("\\u", text);
    }

    /// <summary>A stream whose writes wait until released, as stdout does when lightningd stops reading.</summary>
    private sealed class StalledSink : RecordingSink
    {

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(byte[] buffer, int offset, int count)
        {
            Release.Task.Wait(TimeSpan.FromSeconds(60));
            Record(buffer.AsSpan(offset, count));
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            Record(buffer.Span);
        }
    }

    [Fact]
    public async Task Logs_are_bounded_and_counted_when_lightningd_stops_reading_but_hook_answers_never_dropped()
    {
        var sink = new StalledSink();
        var writer = new ProtocolWriter(sink);
        string text = new('x', 1000);
        const int Lines = 10_000; // ~10 MB of log lines, more than the bound
        for (int i = 0; i < Lines; i++)
        {
            writer.WriteLog("info", text);
            if (i % 1000 == 0)
            {
                Assert.True(writer.TryWriteContinue(Encoding.UTF8.GetBytes($"\"hook#{i}\"")));
            }
        }

        Assert.True(writer.PendingBytes <= ProtocolWriter.MaxQueuedNotificationBytes + (64 * 1024), $"pending {writer.PendingBytes}");
        Assert.True(writer.DroppedNotifications > 0);
        long dropped = writer.DroppedNotifications;

        sink.Release.SetResult();
        await PluginHarnessWait(() => writer.PendingBytes == 0);
        writer.WriteLog("info", "after");
        await writer.CompleteAsync(TimeSpan.FromSeconds(60));

        var output = Encoding.UTF8.GetString(sink.Data);
        for (int i = 0; i < Lines; i += 1000)
        {
            Assert.Contains($"\"id\":\"hook#{i}\",\"result\":{{\"result\":\"continue\"}}", output, StringComparison.Ordinal);
        }

        Assert.Contains($"dropped {dropped} notification(s)", output, StringComparison.Ordinal);
        Assert.EndsWith("\"message\":\"after\"}}\n\n", output, StringComparison.Ordinal);
        int written = output.Split("\"message\":\"" + text + "\"").Length - 1;
        Assert.Equal(Lines - dropped, written);
    }

    private static async Task PluginHarnessWait(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
