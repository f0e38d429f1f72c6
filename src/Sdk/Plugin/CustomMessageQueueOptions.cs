namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// Limits of the per-peer queues that hold received custom messages until their handlers run, and how
/// long queued messages may still be handled when the plugin stops. Configure with
/// <c>builder.Services.Configure&lt;CustomMessageQueueOptions&gt;(o =&gt; o.MaxQueuedMessagesPerPeer = 1_000)</c>.
/// (The plugin's lightningd options are declared with <c>AddOption</c>, not here.)
/// </summary>
public sealed class CustomMessageQueueOptions
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
