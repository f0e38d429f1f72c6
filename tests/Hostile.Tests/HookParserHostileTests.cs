using System.Collections.Concurrent;
using System.Text;
using Cln.ProtocolExtensions.Generated.Tests.Edge;

namespace Cln.ProtocolExtensions.Hostile.Tests;

/// <summary>
/// Mutated lightningd lines at the plugin's stdin loop (the hook parser): the loop never dies, keeps
/// answering, and a well-formed hook after each batch is still answered and delivered.
/// </summary>
public class HookParserHostileTests
{
    private const int Lines = 20_000;
    private const int Batch = 1_000;

    private static readonly string[] SeedLines =
    [
        PluginPipe.Hook("cln:custommsg#1", PluginPipe.PeerA, "8031070102"),
        "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"custommsg\",\"params\":{\"peer_id\":\"" + PluginPipe.PeerA + "\",\"payload\":\"80310a0b0c\"}}\n\n",
        "{\"jsonrpc\":\"2.0\",\"method\":\"custommsg\",\"params\":{\"custommsg\":{\"peer_id\":\"" + PluginPipe.PeerA + "\",\"payload\":\"8031070102\"}}}\n\n",
        "{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#2\",\"method\":\"custommsg\",\"params\":{\"payload\":\"\\u0038031070102\",\"peer_id\":\"" + PluginPipe.PeerA + "\",\"extra\":[1,{\"a\":null}]}}\n\n",
    ];

    [Fact]
    public async Task Mutated_lines_never_stop_the_loop()
    {
        var delivered = new ConcurrentQueue<ushort>();
        await using var p = new PluginPipe(b => b.HandleMessage<Typed>((ctx, _) =>
        {
            delivered.Enqueue(ctx.Message.Value);
            return ValueTask.CompletedTask;
        }));
        await p.HandshakeAsync();

        var seeds = SeedLines.Select(Encoding.UTF8.GetBytes).ToList();
        int round = 0;
        async Task SendAsync(Random random, int lines)
        {
            for (int sent = 0; sent < lines; round++)
            {
                var chunk = new List<byte>();
                for (int i = 0; i < Batch; i++, sent++)
                {
                    byte[] line = Mutator.Next(random, seeds);
                    chunk.AddRange(line);
                    chunk.AddRange("\n\n"u8.ToArray());
                }

                await p.SendAsync(chunk.ToArray());

                // A well-formed hook after the garbage: answered, and its message delivered.
                ushort value = (ushort)(0x4000 + round);
                await p.SendAsync(PluginPipe.Hook($"sentinel#{round}", PluginPipe.PeerA, $"803107{value:x4}"));
                Assert.Contains("\"result\":{\"result\":\"continue\"}", await p.WaitForAnswerAsync($"\"sentinel#{round}\""), StringComparison.Ordinal);
                await PluginPipe.WaitUntilAsync(() => delivered.Contains(value), $"delivery of sentinel {round}; logs: {string.Join(" | ", p.Logs().TakeLast(5))}");
                Assert.False(p.Run.IsCompleted, "the plugin stopped");
            }
        }

        await SendAsync(new Random(31337), Lines); // the fixed corpus, the same every run
        await TestSeed.RunAsync(31337, random => SendAsync(random, Lines / 4)); // this run's own lines

        Assert.True(p.BadFrames().Length == 0, string.Join("\n", p.BadFrames().Take(3)));
    }
}
