using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.Tests.Rpc;

/// <summary>
/// A stand-in for lightningd's lightning-rpc socket: a unix socket in a temp folder that answers
/// each request with whatever <see cref="Respond"/> returns ("result" or "error" JSON), followed by
/// "\n\n" as lightningd does. Records every request.
/// </summary>
internal sealed class FakeLightningRpc : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _accept;
    private readonly ConcurrentBag<Socket> _clients = [];
    private int _connections;

    public FakeLightningRpc()
    {
        Directory = Path.Combine(Path.GetTempPath(), "clnx-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(Directory, "lightning-rpc")));
        _listener.Listen(16);
        _accept = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The lightning-dir to give the plugin in init.</summary>
    public string Directory { get; }

    public int Connections => Volatile.Read(ref _connections);

    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    /// <summary>The requests' exact bytes (the line, without its newline), in arrival order.</summary>
    public ConcurrentQueue<byte[]> RawRequests { get; } = new();

    /// <summary>Maps a request to the JSON of its answer's body: <c>"result":{...}</c> or <c>"error":{...}</c>; null closes the connection without answering.</summary>
    public Func<JsonElement, string?> Respond { get; set; } = _ => "\"result\":{}";

    public static string SendCustomMessageOk => "\"result\":{\"status\":\"Message sent to connectd for delivery\"}";

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Dispose();
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        try
        {
            await _accept.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception)
        {
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_cts.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _clients.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        try
        {
            while (true)
            {
                int n = await client.ReceiveAsync(buffer, SocketFlags.None, _cts.Token);
                if (n == 0)
                {
                    return;
                }

                pending.AddRange(buffer.AsSpan(0, n));
                int nl;
                while ((nl = pending.IndexOf((byte)'\n')) >= 0)
                {
                    var line = pending.GetRange(0, nl).ToArray();
                    pending.RemoveRange(0, nl + 1);
                    if (line.Length == 0 || line.All(b => b is (byte)' ' or (byte)'\r'))
                    {
                        continue;
                    }

                    using var doc = JsonDocument.Parse(line);
                    var request = doc.RootElement.Clone();
                    RawRequests.Enqueue(line);
                    Requests.Enqueue(request);
                    var body = Respond(request);
                    if (body is null)
                    {
                        client.Shutdown(SocketShutdown.Both);
                        client.Dispose();
                        return;
                    }

                    var id = request.GetProperty("id").GetRawText();
                    var answer = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id},{body}}}\n\n");
                    await client.SendAsync(answer, SocketFlags.None, _cts.Token);
                }
            }
        }
        catch (Exception)
        {
            // Connection closed or test over.
        }
    }

    public static string Error(int code, string message) =>
        $"\"error\":{{\"code\":{code},\"message\":{JsonValue.Create(message)!.ToJsonString()}}}";
}
