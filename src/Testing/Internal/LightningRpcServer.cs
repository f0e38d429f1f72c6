using System.Net.Sockets;
namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// The <c>lightning-rpc</c> unix socket: reads pipelined requests as a stream of JSON objects, answers
/// each (possibly out of order, as lightningd does for slow commands), every answer followed by "\n\n".
/// </summary>
internal sealed class LightningRpcServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<byte[], CancellationToken, Task<byte[]>> _handler;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<Socket> _connections = [];
    private readonly Task _acceptLoop;
    private readonly string _path;

    public LightningRpcServer(string path, Func<byte[], CancellationToken, Task<byte[]>> handler)
    {
        _path = path;
        _handler = handler;
        if (File.Exists(path))
            File.Delete(path);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(64);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections) _connections.Add(socket);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var writeLock = new SemaphoreSlim(1, 1);
        var reader = new JsonStreamReader(stream);
        var inFlight = new List<Task>();
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                byte[]? request;
                try
                {
                    request = await reader.ReadAsync(_cts.Token).ConfigureAwait(false);
                }
                catch (JsonFramingException e)
                {
                    await WriteAsync(stream, writeLock, LightningdJson.Error("null", -32600, $"Failed to parse RPC JSON response '{e.Buffer}'")).ConfigureAwait(false);
                    socket.Shutdown(SocketShutdown.Send);
                    break;
                }

                if (request is null)
                    break;
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(AnswerAsync(stream, writeLock, request));
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the node is shutting down.
        }
        finally
        {
            lock (_connections) _connections.Remove(socket);
        }
    }

    private async Task AnswerAsync(Stream stream, SemaphoreSlim writeLock, byte[] request)
    {
        byte[] response = await _handler(request, _cts.Token).ConfigureAwait(false);
        await WriteAsync(stream, writeLock, response).ConfigureAwait(false);
    }

    private static async Task WriteAsync(Stream stream, SemaphoreSlim writeLock, byte[] bytes)
    {
        await writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _listener.Dispose();
        lock (_connections)
        {
            foreach (var c in _connections)
            {
                try { c.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
                c.Dispose();
            }
        }
        await _acceptLoop.ConfigureAwait(false);
        try { File.Delete(_path); } catch (IOException) { }
    }
}
