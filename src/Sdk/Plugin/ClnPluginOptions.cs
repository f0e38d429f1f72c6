namespace Cln.ProtocolExtensions.Plugin;

/// <summary>Runtime settings of the plugin host (configure with <c>builder.Services.Configure&lt;ClnPluginOptions&gt;(...)</c>).</summary>
public sealed class ClnPluginOptions
{
    /// <summary>
    /// How many received messages may wait for one peer's handlers before new ones are dropped (and
    /// logged). Default 10,000 (with <see cref="MaxQueuedBytesPerPeer"/>, whichever is reached first).
    /// </summary>
    public int MaxQueuedMessagesPerPeer { get; set; } = 10_000;

    /// <summary>How many payload bytes may wait for one peer's handlers before new messages are dropped. Default 16 MiB.</summary>
    public long MaxQueuedBytesPerPeer { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// When the host stops, how long messages already received (and answered <c>continue</c>) may still
    /// be handled before the handlers' <see cref="CancellationToken"/> is cancelled; handlers still
    /// running 200 ms after that are abandoned. Default 500 ms, so a plugin stops within a second.
    /// </summary>
    public TimeSpan HandlerShutdownGracePeriod { get; set; } = TimeSpan.FromMilliseconds(500);
}
