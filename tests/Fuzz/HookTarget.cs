using System.IO.Pipelines;
using System.Text;
using Cln.ProtocolExtensions.Generated.Tests.Edge;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Fuzz;

/// <summary>
/// The hook parser target: one long-lived plugin (as in production), fed each input as raw stdin
/// bytes followed by a well-formed custommsg hook; that hook must be answered "continue" within
/// five seconds and the plugin must still be running.
/// </summary>
internal static class HookTarget
{
    internal const string Peer = "02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc";

    private static readonly Pipe ToPlugin = new();
    private static readonly Pipe FromPlugin = new();
    private static readonly Stream Input = ToPlugin.Writer.AsStream();
    private static readonly StreamReader Output = new(FromPlugin.Reader.AsStream(), Encoding.Latin1);
    private static readonly CancellationTokenSource Stopping = new();
    private static readonly Task Running = Start();
    private static long _sentinel;

    private static Task Start()
    {
        var builder = ClnPlugin.CreateBuilder([]);
        builder.Name = "fuzz";
        builder.UseStreams(ToPlugin.Reader.AsStream(), FromPlugin.Writer.AsStream());
        builder.HandleMessage<Typed>((_, _) => ValueTask.CompletedTask);
        var plugin = builder.Build();
        var run = Task.Run(() => plugin.RunAsync(Stopping.Token));
        Send("{\"jsonrpc\":\"2.0\",\"id\":\"cln:getmanifest#0\",\"method\":\"getmanifest\",\"params\":{}}\n\n"u8.ToArray());
        Send("{\"jsonrpc\":\"2.0\",\"id\":\"cln:init#1\",\"method\":\"init\",\"params\":{\"options\":{},\"configuration\":{\"lightning-dir\":\"/nonexistent\",\"rpc-file\":\"lightning-rpc\",\"startup\":true,\"network\":\"regtest\"}}}\n\n"u8.ToArray());
        return run;
    }

    public static void Run(byte[] input)
    {
        _ = Running;
        long n = ++_sentinel;
        string id = $"fuzz:sentinel#{n}";
        Send(input);
        Send(Encoding.ASCII.GetBytes($"\n\n{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"8031070102\",\"peer_id\":\"{Peer}\"}}}}\n\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            string? line;
            try
            {
                line = Output.ReadLineAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("the hook loop stopped answering");
            }

            if (line is null || Running.IsCompleted)
            {
                throw new InvalidOperationException("the plugin stopped");
            }

            if (line.Contains($"\"{id}\"", StringComparison.Ordinal))
            {
                if (!line.Contains("\"result\":{\"result\":\"continue\"}", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("the sentinel hook got " + line);
                }

                return;
            }
        }
    }

    public static void Stop() => Stopping.Cancel();

    private static void Send(byte[] bytes)
    {
        Input.Write(bytes);
        Input.Flush();
    }
}
