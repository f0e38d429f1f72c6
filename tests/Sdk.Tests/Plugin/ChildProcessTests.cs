using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Tests.Rpc;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>Runs tests/TestPlugin as a real child process, started the way lightningd starts plugins.</summary>
public class ChildProcessTests
{
    private const string Peer = ProtocolTests.PeerA;

    [Fact]
    public async Task Real_process_handshakes_answers_a_hook_replies_and_exits_0_on_EOF()
    {
        await using var rpc = new FakeLightningRpc();
        var replied = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        rpc.Respond = r =>
        {
            replied.TrySetResult(r);
            return FakeLightningRpc.SendCustomMessageOk;
        };

        using var process = Start(rpc.Directory);
        var stdout = new FrameReader(process.StandardOutput.BaseStream);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdin = process.StandardInput.BaseStream;
        try
        {
            await WriteAsync(stdin, PluginHarness.Manifest());
            var manifest = await stdout.ReadResponseAsync();
            Assert.Equal("cln:getmanifest#1", manifest.GetProperty("id").GetString());
            Assert.Empty(ManifestRules.Check(manifest.GetProperty("result")));
            Assert.Equal("testplugin-ping", manifest.GetProperty("result").GetProperty("rpcmethods")[0].GetProperty("name").GetString());

            await WriteAsync(stdin, PluginHarness.Init(rpc.Directory, "{\"testplugin-greeting\":\"it's h\\u00e9llo ⚡ 😀\"}"));
            var init = await stdout.ReadResponseAsync();
            Assert.Equal("cln:init#2", init.GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.Object, init.GetProperty("result").ValueKind);

            await WriteAsync(stdin, PluginHarness.Hook("cln:custommsg#3", Peer, "8001abcd"));
            var hook = await stdout.ReadResponseAsync();
            Assert.Equal("cln:custommsg#3", hook.GetProperty("id").GetString());
            Assert.Equal("continue", hook.GetProperty("result").GetProperty("result").GetString());

            var reply = await replied.Task.WaitAsync(PluginHarness.Timeout);
            Assert.Equal("8003abcd", reply.GetProperty("params").GetProperty("msg").GetString());
            Assert.Equal(Peer, reply.GetProperty("params").GetProperty("node_id").GetString());

            await WriteAsync(stdin, "{\"jsonrpc\":\"2.0\",\"id\":\"cli:testplugin-ping#9/cln:testplugin-ping#4\",\"method\":\"testplugin-ping\",\"params\":{}}\n\n");
            var ping = await stdout.ReadResponseAsync();
            Assert.Equal("it's héllo ⚡ 😀", ping.GetProperty("result").GetProperty("answer").GetString());

            // On the real stdout, byte for byte: text as UTF-8, as lightningd writes it.
            Assert.Equal(
                "{\"jsonrpc\":\"2.0\",\"id\":\"cli:testplugin-ping#9/cln:testplugin-ping#4\",\"result\":{\"answer\":\"it's héllo ⚡ 😀\"}}",
                Encoding.UTF8.GetString(stdout.LastFrame));

            // Console.WriteLine in the handler reached lightningd as a log line, not as raw stdout.
            await stdout.WaitForLogAsync(m => m == $"echoing 2 bytes to {Peer}");
            Assert.Contains(stdout.Logs, l => l.Message == "initialised on regtest");
            Assert.Contains(stdout.Logs, l => l.Message == "configuring testplugin");

            stdin.Close();
            Assert.True(await WaitForExitAsync(process), "the plugin did not exit after stdin closed");
            Assert.Equal(0, process.ExitCode);
            await stdout.ReadToEndAsync();
            Assert.Equal(string.Empty, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Real_process_answers_every_complete_hook_while_the_next_one_is_still_arriving()
    {
        // Answers are written once per read of stdin: whatever a read brought is answered before the
        // loop blocks again, even when the read ends in the middle of a message and nothing more comes.
        using var process = Start(Path.GetTempPath());
        var stdout = new FrameReader(process.StandardOutput.BaseStream);
        var stdin = process.StandardInput.BaseStream;
        try
        {
            await WriteAsync(stdin, PluginHarness.Manifest());
            await stdout.ReadResponseAsync();
            await WriteAsync(stdin, PluginHarness.Init(Path.GetTempPath(), "{}"));
            await stdout.ReadResponseAsync();

            // One hook alone, then lightningd waits.
            await WriteAsync(stdin, PluginHarness.Hook("cln:custommsg#3", Peer, "7f01"));
            Assert.Equal("cln:custommsg#3", (await stdout.ReadResponseAsync()).GetProperty("id").GetString());

            // Three hooks and half of a fourth in one write, then lightningd waits again.
            var fourth = PluginHarness.Hook("cln:custommsg#7", Peer, "7f01");
            await WriteAsync(stdin, PluginHarness.Hook("cln:custommsg#4", Peer, "7f01") + PluginHarness.Hook("cln:custommsg#5", Peer, "7f01")
                + PluginHarness.Hook("cln:custommsg#6", Peer, "7f01") + fourth[..40]);
            foreach (var id in new[] { "cln:custommsg#4", "cln:custommsg#5", "cln:custommsg#6" })
            {
                var answer = await stdout.ReadResponseAsync();
                Assert.Equal(id, answer.GetProperty("id").GetString());
                Assert.Equal("continue", answer.GetProperty("result").GetProperty("result").GetString());
            }

            await WriteAsync(stdin, fourth[40..]);
            Assert.Equal("cln:custommsg#7", (await stdout.ReadResponseAsync()).GetProperty("id").GetString());

            stdin.Close();
            Assert.True(await WaitForExitAsync(process), "the plugin did not exit after stdin closed");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Real_process_in_help_mode_exits_0_after_the_manifest()
    {
        using var process = Start(Path.GetTempPath());
        var stdout = new FrameReader(process.StandardOutput.BaseStream);
        try
        {
            await WriteAsync(process.StandardInput.BaseStream, PluginHarness.Manifest());
            Assert.True((await stdout.ReadResponseAsync()).TryGetProperty("result", out _));
            process.StandardInput.Close();
            Assert.True(await WaitForExitAsync(process));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process Start(string lightningDir)
    {
        var dir = Path.GetDirectoryName(typeof(ChildProcessTests).Assembly.Location)!;
        var configuration = dir.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var pluginDir = Path.GetFullPath(Path.Combine(Fixtures.Directory, "..", "..", "TestPlugin", "bin", configuration, "net10.0"));
        var apphost = Path.Combine(pluginDir, "TestPlugin");
        Assert.True(File.Exists(apphost), $"TestPlugin was not built at {apphost}");

        var workingDirectory = Path.Combine(lightningDir, "regtest");
        Directory.CreateDirectory(workingDirectory);
        var info = new ProcessStartInfo(apphost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["LIGHTNINGD_PLUGIN"] = "1";
        info.Environment["LIGHTNINGD_VERSION"] = "v26.06.6";
        // The apphost finds the runtime the tests run on.
        info.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        return Process.Start(info)!;
    }

    private static async Task WriteAsync(Stream stdin, string text)
    {
        await stdin.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stdin.FlushAsync();
    }

    private static async Task<bool> WaitForExitAsync(Process process)
    {
        using var cts = new CancellationTokenSource(PluginHarness.Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads the child's stdout as lightningd does, insisting every byte belongs to a JSON-RPC object.</summary>
    private sealed class FrameReader(Stream stream)
    {
        private readonly List<byte> _pending = [];

        public List<(string Level, string Message)> Logs { get; } = [];

        /// <summary>The exact bytes of the last frame read (without its "\n\n").</summary>
        public byte[] LastFrame { get; private set; } = [];

        public async Task<JsonElement> ReadResponseAsync()
        {
            while (true)
            {
                var frame = await ReadFrameAsync() ?? throw new EndOfStreamException();
                if (!frame.TryGetProperty("id", out _))
                {
                    continue;
                }

                return frame;
            }
        }

        public async Task WaitForLogAsync(Func<string, bool> predicate)
        {
            while (!Logs.Any(l => predicate(l.Message)))
            {
                _ = await ReadFrameAsync() ?? throw new EndOfStreamException();
            }
        }

        public async Task ReadToEndAsync()
        {
            while (await ReadFrameAsync() is not null)
            {
            }

            Assert.All(_pending, b => Assert.True(b is (byte)'\n' or (byte)' ', "stray bytes on stdout"));
        }

        private async Task<JsonElement?> ReadFrameAsync()
        {
            var buffer = new byte[16 * 1024];
            using var timeout = new CancellationTokenSource(PluginHarness.Timeout);
            while (true)
            {
                int end = IndexOf();
                if (end >= 0)
                {
                    var bytes = _pending.GetRange(0, end).ToArray();
                    _pending.RemoveRange(0, end + 2);
                    LastFrame = bytes;
                    using var doc = JsonDocument.Parse(bytes);
                    var frame = doc.RootElement.Clone();
                    Assert.Equal("2.0", frame.GetProperty("jsonrpc").GetString());
                    if (frame.TryGetProperty("method", out var m) && m.GetString() == "log")
                    {
                        var p = frame.GetProperty("params");
                        Logs.Add((p.GetProperty("level").GetString()!, p.GetProperty("message").GetString()!));
                    }

                    return frame;
                }

                int n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0)
                {
                    return null;
                }

                _pending.AddRange(buffer.AsSpan(0, n));
            }
        }

        private int IndexOf()
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
}
