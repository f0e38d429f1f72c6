using System.Text.Json;
using Cln.ProtocolExtensions.Plugin.Internal;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// A typed notification payload: its topic and how to read it from the notification's fields
/// (<see cref="PluginNotificationContext.Payload"/>). Subscribe with
/// <see cref="ClnPluginBuilder.Subscribe{TNotification}(Func{TNotification, PluginNotificationContext, CancellationToken, ValueTask})"/>.
/// Implement it for your own or other plugins' custom topics too.
/// </summary>
/// <typeparam name="TSelf">The payload type itself.</typeparam>
public interface IPluginNotification<TSelf>
    where TSelf : IPluginNotification<TSelf>
{
    /// <summary>The topic (notification method).</summary>
    static abstract string Topic { get; }

    /// <summary>Reads the payload. Throwing (for example on a missing field) skips this notification, logged.</summary>
    /// <param name="payload">The notification's fields.</param>
    static abstract TSelf FromJson(JsonElement payload);
}

/// <summary><c>connect</c>: a peer connected.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="Direction"><c>in</c> or <c>out</c>.</param>
/// <param name="Address">The peer's address object (type, address, port), as sent.</param>
public sealed record ConnectNotification(PubKey PeerId, string? Direction, JsonElement Address) : IPluginNotification<ConnectNotification>
{
    /// <inheritdoc />
    public static string Topic => "connect";

    /// <inheritdoc />
    public static ConnectNotification FromJson(JsonElement payload) =>
        new(NotificationFields.Key(payload, "id"), NotificationFields.String(payload, "direction"), NotificationFields.Element(payload, "address"));
}

/// <summary><c>disconnect</c>: a peer disconnected.</summary>
/// <param name="PeerId">The peer.</param>
public sealed record DisconnectNotification(PubKey PeerId) : IPluginNotification<DisconnectNotification>
{
    /// <inheritdoc />
    public static string Topic => "disconnect";

    /// <inheritdoc />
    public static DisconnectNotification FromJson(JsonElement payload) => new(NotificationFields.Key(payload, "id"));
}

/// <summary><c>custommsg</c> notification (fire-and-forget, sent before the hook for every custom message, CLN v24.02+).</summary>
/// <param name="PeerId">The sender.</param>
/// <param name="Payload">The message: 2-byte type and body (may be shorter than 2 bytes: lightningd forwards what it gets).</param>
public sealed record CustomMessageNotification(PubKey PeerId, byte[] Payload) : IPluginNotification<CustomMessageNotification>
{
    /// <inheritdoc />
    public static string Topic => "custommsg";

    /// <inheritdoc />
    public static CustomMessageNotification FromJson(JsonElement payload)
    {
        var hex = NotificationFields.String(payload, "payload") ?? throw new FormatException("custommsg notification without payload");
        if (!Hex.IsValid(hex))
        {
            throw new FormatException("custommsg notification payload is not hex");
        }

        return new(NotificationFields.Key(payload, "peer_id"), Convert.FromHexString(hex));
    }
}

/// <summary><c>block_added</c>: a new block.</summary>
/// <param name="Hash">The block hash (display order hex).</param>
/// <param name="Height">The block height.</param>
public sealed record BlockAddedNotification(string Hash, long Height) : IPluginNotification<BlockAddedNotification>
{
    /// <inheritdoc />
    public static string Topic => "block_added";

    /// <inheritdoc />
    public static BlockAddedNotification FromJson(JsonElement payload) =>
        new(NotificationFields.String(payload, "hash") ?? throw new FormatException("block_added without hash"), NotificationFields.Int64(payload, "height") ?? 0);
}

/// <summary><c>channel_state_changed</c>: a channel changed state.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="ChannelId">The channel id (hex).</param>
/// <param name="ShortChannelId">The short channel id, once known.</param>
/// <param name="OldState">The previous state (absent for a new channel).</param>
/// <param name="NewState">The new state.</param>
/// <param name="Cause">Why (<c>user</c>, <c>remote</c>, <c>onchain</c>, ...).</param>
/// <param name="Message">lightningd's message.</param>
public sealed record ChannelStateChangedNotification(PubKey PeerId, string? ChannelId, string? ShortChannelId, string? OldState, string? NewState, string? Cause, string? Message)
    : IPluginNotification<ChannelStateChangedNotification>
{
    /// <inheritdoc />
    public static string Topic => "channel_state_changed";

    /// <inheritdoc />
    public static ChannelStateChangedNotification FromJson(JsonElement payload) => new(
        NotificationFields.Key(payload, "peer_id"),
        NotificationFields.String(payload, "channel_id"),
        NotificationFields.String(payload, "short_channel_id"),
        NotificationFields.String(payload, "old_state"),
        NotificationFields.String(payload, "new_state"),
        NotificationFields.String(payload, "cause"),
        NotificationFields.String(payload, "message"));
}

/// <summary><c>warning</c>: lightningd or a plugin logged at warn/error level.</summary>
/// <param name="Level"><c>warn</c> or <c>error</c>.</param>
/// <param name="Source">Who logged it.</param>
/// <param name="Log">The log line.</param>
/// <param name="Timestamp">When, as lightningd's ISO 8601 text.</param>
public sealed record WarningNotification(string? Level, string? Source, string? Log, string? Timestamp) : IPluginNotification<WarningNotification>
{
    /// <inheritdoc />
    public static string Topic => "warning";

    /// <inheritdoc />
    public static WarningNotification FromJson(JsonElement payload) => new(
        NotificationFields.String(payload, "level"),
        NotificationFields.String(payload, "source"),
        NotificationFields.String(payload, "log"),
        NotificationFields.String(payload, "timestamp"));
}

/// <summary><c>plugin_started</c>: a plugin (possibly this one) started.</summary>
/// <param name="PluginName">Its name.</param>
/// <param name="PluginPath">Its executable.</param>
/// <param name="Methods">The RPC methods it added.</param>
public sealed record PluginStartedNotification(string? PluginName, string? PluginPath, IReadOnlyList<string> Methods) : IPluginNotification<PluginStartedNotification>
{
    /// <inheritdoc />
    public static string Topic => "plugin_started";

    /// <inheritdoc />
    public static PluginStartedNotification FromJson(JsonElement payload) => new(
        NotificationFields.String(payload, "plugin_name"),
        NotificationFields.String(payload, "plugin_path"),
        payload.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
            : []);
}

/// <summary><c>shutdown</c>: lightningd is shutting down (the host stops by itself; subscribe only to act on it).</summary>
public sealed record ShutdownNotification : IPluginNotification<ShutdownNotification>
{
    /// <inheritdoc />
    public static string Topic => "shutdown";

    /// <inheritdoc />
    public static ShutdownNotification FromJson(JsonElement payload) => new();
}

internal static class NotificationFields
{
    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long? Int64(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    public static JsonElement Element(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    public static PubKey Key(JsonElement e, string name)
    {
        var hex = String(e, name);
        if (hex is null || hex.Length != 66 || !Hex.IsValid(hex) || !PubKey.TryCreatePubKey(Convert.FromHexString(hex), out var key))
        {
            throw new FormatException($"'{name}' is not a node id");
        }

        return key;
    }
}
