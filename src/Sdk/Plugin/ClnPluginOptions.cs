namespace Cln.ProtocolExtensions.Plugin;

/// <summary>Runtime settings of the plugin host (configure with <c>builder.Services.Configure&lt;ClnPluginOptions&gt;(...)</c>).</summary>
public sealed class ClnPluginOptions
{
    /// <summary>
    /// How many received messages may wait for one peer's handlers before new ones are dropped (and
    /// logged). Default 1,024.
    /// </summary>
    public int MaxQueuedMessagesPerPeer { get; set; } = 1024;

    /// <summary>How many payload bytes may wait for one peer's handlers before new messages are dropped. Default 16 MiB.</summary>
    public long MaxQueuedBytesPerPeer { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// How long stopping waits for running handlers after cancelling them. Handlers that ignore their
    /// <see cref="CancellationToken"/> are abandoned after this. Default 500 ms.
    /// </summary>
    public TimeSpan HandlerShutdownGracePeriod { get; set; } = TimeSpan.FromMilliseconds(500);
}
