using System.Text;
using Cln.ProtocolExtensions.Hostile.Tests;

namespace Cln.ProtocolExtensions.Fuzz;

/// <summary>Seed corpora: valid encodings of every generated message, and lightningd's hook lines.</summary>
internal static class Seeds
{
    public static List<byte[]> Decoders(Random random)
    {
        var list = new List<byte[]>();
        for (int k = 0; k < MessageCases.All.Count; k++)
        {
            for (int i = 0; i < 4; i++)
            {
                ICustomMessage m = MessageCases.All[k].Sample(random);
                byte[] bytes = new byte[1 + m.GetEncodedLength()];
                bytes[0] = (byte)k;
                m.WriteTo(bytes.AsSpan(1));
                list.Add(bytes);
            }
        }

        return list;
    }

    public static List<byte[]> Hook() =>
    [
        .. new[]
        {
            $"{{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#7\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"8031070102\",\"peer_id\":\"{HookTarget.Peer}\"}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"custommsg\",\"params\":{{\"peer_id\":\"{HookTarget.Peer}\",\"payload\":\"80310a0b0c\"}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"custommsg\",\"params\":{{\"custommsg\":{{\"peer_id\":\"{HookTarget.Peer}\",\"payload\":\"8031070102\"}}}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#9\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"\\u0038031070102\",\"peer_id\":\"{HookTarget.Peer}\",\"x\":[1,{{\"a\":null}}]}}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"cln:check#3\",\"method\":\"check\",\"params\":{\"command_to_check\":\"setconfig\",\"config\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"cln:setconfig#4\",\"method\":\"setconfig\",\"params\":{\"config\":\"x\",\"val\":1}}",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public static void Write(string dir)
    {
        string decoders = Path.Combine(dir, "decoders");
        string hook = Path.Combine(dir, "hook");
        Directory.CreateDirectory(decoders);
        Directory.CreateDirectory(hook);
        int i = 0;
        foreach (byte[] seed in Decoders(new Random(1)))
        {
            File.WriteAllBytes(Path.Combine(decoders, $"seed{i++:D3}"), seed);
        }

        i = 0;
        foreach (byte[] seed in Hook())
        {
            File.WriteAllBytes(Path.Combine(hook, $"seed{i++:D3}"), seed);
        }

        Console.WriteLine($"seeds written to {decoders} and {hook}");
    }
}
