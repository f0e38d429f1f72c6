using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>The streams the plugin talks over (stdin/stdout unless <c>UseStreams</c> was called).</summary>
internal sealed record PluginStreams(Stream Input, Stream Output, bool IsProcessStdio);

/// <summary>Runs the stdin loop for the lifetime of the host and stops the host when stdin closes.</summary>
internal sealed class PluginHostedService(
    PluginDefinition definition,
    PluginStreams streams,
    ProtocolWriter writer,
    ClnPluginContext context,
    LightningClient client,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<ClnPluginOptions> options,
    ILoggerFactory loggerFactory) : IHostedService
{
    private readonly CancellationTokenSource _readCancellation = new();
    private CustomMessageDispatcher? _dispatcher;
    private PluginServer? _server;
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Cln.ProtocolExtensions.Plugin");
        var settings = options.Value;
        _dispatcher = new CustomMessageDispatcher(definition.MessageHandlers, logger, settings.MaxQueuedMessagesPerPeer, settings.MaxQueuedBytesPerPeer);
        _dispatcher.Attach(services, client);
        _server = new PluginServer(definition, writer, _dispatcher, context, services, logger, lifetime.StopApplication);
        if (streams.IsProcessStdio)
        {
            if (Environment.GetEnvironmentVariable("LIGHTNINGD_PLUGIN") != "1" && !Console.IsInputRedirected)
            {
                // Started by hand from a terminal: say what this is (on stderr: stdout is the protocol).
                Console.Error.WriteLine($"{definition.PluginName} is a Core Lightning plugin: start it with `lightningd --plugin=<path>` or `lightning-cli plugin start <path>`. It now waits for lightningd's JSON-RPC on stdin.");
            }

            // stdin cannot be read asynchronously on Unix anyway (the stream queues a blocking read to
            // the thread pool): give the loop its own thread and let it block there.
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    _server.Run(streams.Input);
                }
                catch (Exception)
                {
                    // The loop handles its own faults; if something still escapes, stop cleanly
                    // rather than crash the process with an unhandled exception on this thread.
                }
                finally
                {
                    done.TrySetResult();
                    lifetime.StopApplication();
                }
            })
            {
                IsBackground = true,
                Name = "cln-plugin-stdin",
            };
            thread.Start();
            _loop = done.Task;
        }
        else
        {
            _loop = Task.Run(async () =>
            {
                await _server.RunAsync(streams.Input, synchronous: false, _readCancellation.Token).ConfigureAwait(false);
                lifetime.StopApplication();
            });
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.CancelHandlers();
        if (_dispatcher is not null)
        {
            await _dispatcher.StopAsync(options.Value.HandlerShutdownGracePeriod).ConfigureAwait(false);
        }

        await _readCancellation.CancelAsync().ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
        await writer.CompleteAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        if (!streams.IsProcessStdio)
        {
            // In-process hosts own nothing else; the caller owns the streams. Signal EOF on output so
            // a reader on the other side (the simulator) sees the plugin go away.
            try
            {
                await streams.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException)
            {
            }
        }
    }
}

/// <summary>A lifetime that does nothing: in-process plugins must not hook the process's signals.</summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
