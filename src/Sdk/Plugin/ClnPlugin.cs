using Microsoft.Extensions.Hosting;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// A Core Lightning plugin host: the program's <see cref="IHost"/>, speaking lightningd's plugin
/// protocol on stdin/stdout. Create it with <see cref="CreateBuilder"/>:
/// <code>
/// var builder = ClnPlugin.CreateBuilder(args);
/// builder.HandleMessage&lt;Ping&gt;(async (ctx, ct) =&gt; await ctx.ReplyAsync(new Pong(ctx.Message.Nonce), ct));
/// await builder.Build().RunAsync();
/// </code>
/// <see cref="RunAsync"/> returns when lightningd closes stdin or sends <c>shutdown</c>.
/// </summary>
public sealed class ClnPlugin : IHost, IAsyncDisposable
{
    private readonly IHost _host;

    internal ClnPlugin(IHost host)
    {
        _host = host;
    }

    /// <inheritdoc />
    public IServiceProvider Services => _host.Services;

    /// <summary>Creates a builder with the plugin runtime's defaults: logging to lightningd, no console output.</summary>
    /// <param name="args">The program's arguments (lightningd passes <c>--developer</c> in developer mode).</param>
    public static ClnPluginBuilder CreateBuilder(string[] args) => new(args);

    /// <summary>
    /// Starts the plugin and runs until lightningd closes stdin, sends <c>shutdown</c>, or
    /// <paramref name="cancellationToken"/> is cancelled; then stops the host and disposes it.
    /// </summary>
    /// <param name="cancellationToken">Stops the plugin when cancelled.</param>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _host.StartAsync(cancellationToken).ConfigureAwait(false);
            await _host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _host.Dispose();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }
}
