using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>The streams the plugin talks over (stdin/stdout unless <c>UseStreams</c> was called).</summary>
internal sealed record PluginStreams(Stream Input, Stream Output, bool IsProcessStdio);

/// <summary>
/// The stdin loop and, for the process's own stdin, the thread already running it: under lightningd
/// the loop starts in <c>Build()</c> so <c>getmanifest</c> is answered before the host is built.
/// </summary>
internal sealed class PluginLoop(PluginServer server, Task? running)
{
    public PluginServer Server { get; } = server;

    /// <summary>Completes when the loop ends (stdin EOF); null until the loop is started.</summary>
    public Task? Running { get; set; } = running;

    /// <summary>Starts the loop on a thread of its own with blocking reads of the process's stdin.</summary>
    public static Task StartOnThread(PluginServer server, Stream input)
    {
        // stdin cannot be read asynchronously on Unix anyway (the stream queues a blocking read to
        // the thread pool): give the loop its own thread and let it block there.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                server.Run(input);
            }
            catch (Exception)
            {
                // The loop handles its own faults; if something still escapes, stop cleanly rather
                // than crash the process with an unhandled exception on this thread.
            }
            finally
            {
                // No manifest will come: do not keep Build() waiting for one.
                server.ManifestAnswered.Set();
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "cln-plugin-stdin",
        };
        thread.Start();
        return done.Task;
    }
}

/// <summary>Attaches the services to the stdin loop (starting it for in-process streams) and stops the host when stdin closes.</summary>
internal sealed class PluginHostedService(
    PluginDefinition definition,
    PluginStreams streams,
    PluginLoop loop,
    ProtocolWriter writer,
    LightningClient client,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IOptions<CustomMessageQueueOptions> options,
    ILoggerFactory loggerFactory) : IHostedService
{
    private readonly CancellationTokenSource _readCancellation = new();
    private CustomMessageDispatcher? _dispatcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("Cln.ProtocolExtensions.Plugin");
        var settings = options.Value;
        _dispatcher = new CustomMessageDispatcher(definition.MessageHandlers, logger, settings.MaxQueuedMessagesPerPeer, settings.MaxQueuedBytesPerPeer);
        _dispatcher.Attach(services, client);
        loop.Server.Attach(services, _dispatcher, logger, lifetime.StopApplication);
        loop.Running ??= Task.Run(() => loop.Server.RunAsync(streams.Input, synchronous: false, _readCancellation.Token));

        // stdin EOF (possibly before the host even started, as with `lightningd --help`) stops the host.
        loop.Running.ContinueWith(_ => lifetime.StopApplication(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        loop.Server.CancelHandlers();

        // Cancelled methods and hooks still answer (an error, a hook's safe default) before the writer closes.
        var requests = loop.Server.WaitForRequestsAsync(TimeSpan.FromMilliseconds(200));
        if (_dispatcher is not null)
        {
            await _dispatcher.StopAsync(options.Value.HandlerShutdownGracePeriod).ConfigureAwait(false);
        }

        await requests.ConfigureAwait(false);

        await _readCancellation.CancelAsync().ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
        await writer.CompleteAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        if (!streams.IsProcessStdio)
        {
            // The caller owns in-process streams and is told the plugin "exited" by RunAsync
            // completing; just make sure everything written has reached the stream.
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
