using System.Net.Sockets;
using System.Text;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>Talks to a lightning-rpc socket byte for byte, to compare answers with recorded ones.</summary>
internal sealed class RawSocket : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly StringBuilder _received = new();
    private NetworkStream? _stream;

    public static async Task<RawSocket> ConnectAsync(string path)
    {
        var raw = new RawSocket();
        await raw._socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        raw._stream = new NetworkStream(raw._socket, ownsSocket: true);
        return raw;
    }

    public Task SendAsync(string text) => _stream!.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    /// <summary>Reads until <paramref name="count"/> "\n\n"-terminated answers arrived; returns them.</summary>
    public async Task<IReadOnlyList<string>> ReceiveAsync(int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[65536];
        while (true)
        {
            var messages = Split(_received.ToString());
            if (messages.Count >= count)
            {
                int used = messages.Take(count).Sum(m => m.Length);
                _received.Remove(0, used);
                return messages.Take(count).ToArray();
            }
            int n = await _stream!.ReadAsync(buffer, cts.Token);
            if (n == 0)
                throw new IOException("closed; got: " + _received);
            _received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    private static List<string> Split(string s)
    {
        var list = new List<string>();
        int start = 0, end;
        while ((end = s.IndexOf("\n\n", start, StringComparison.Ordinal)) >= 0)
        {
            list.Add(s[start..(end + 2)]);
            start = end + 2;
        }
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
            await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
