using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Testing;

namespace Cln.ProtocolExtensions.Samples.Tests;

/// <summary>
/// Sends one request with raw JSON params (an array, as lightning-cli sends by default) to a node's
/// lightning-rpc socket and returns the whole answer.
/// </summary>
internal static class RawRpc
{
    public static async Task<JsonElement> CallAsync(SimulatedNode node, string method, string rawParams)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(node.RpcPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":"raw:1","method":"{{method}}","params":{{rawParams}}}"""));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[65536];
        while (!received.ToArray().AsSpan().EndsWith("\n\n"u8))
        {
            int n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                throw new IOException("lightning-rpc closed the connection");
            }

            received.Write(buffer, 0, n);
        }

        return JsonDocument.Parse(received.ToArray()).RootElement.Clone();
    }
}
