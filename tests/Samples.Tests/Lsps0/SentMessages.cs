using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Lsps0.Protocol;

namespace Cln.ProtocolExtensions.Samples.Tests.Lsps0;

/// <summary>Records what a client or server sends, in order.</summary>
internal sealed class SentMessages
{
    private readonly ConcurrentQueue<(string Peer, byte[] Payload)> _sent = new();

    public Lsps0Sender Sender => (peer, payload, _) =>
    {
        _sent.Enqueue((peer, payload.ToArray()));
        return Task.CompletedTask;
    };

    public IReadOnlyList<(string Peer, byte[] Payload)> All => _sent.ToArray();

    public (string Peer, string Json) Single()
    {
        var (peer, payload) = Assert.Single(_sent);
        return (peer, Encoding.UTF8.GetString(payload));
    }

    public JsonElement SingleJson()
    {
        var (_, payload) = Assert.Single(_sent);
        using JsonDocument document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }

    public void Clear() => _sent.Clear();
}
