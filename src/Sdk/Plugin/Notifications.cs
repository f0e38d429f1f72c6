using System.Text.Json;
using Cln.ProtocolExtensions.Plugin.Internal;
using Cln.ProtocolExtensions.Wire;
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

// Payloads as lightningd v26.06 writes them (doc/schemas/notification/*.json; lightningd/notification.c
// where they differ). Fields the schema requires are required here: a payload without them does not
// read (logged, handler not called). Amounts are AmountMsat; txids and block hashes are uint256 as
// NBitcoin parses them (ToString() is lightningd's hex); other hashes, secrets and channel ids are
// uint256 in lightningd's byte order (ToBytes() gives the bytes of lightningd's hex).

/// <summary><c>connect</c>: a peer connected.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="Direction"><c>in</c> or <c>out</c>.</param>
/// <param name="Address">The peer's address object (<c>type</c>, and <c>address</c> and <c>port</c> or <c>socket</c>), as sent.</param>
public sealed record ConnectNotification(PubKey PeerId, string Direction, JsonElement Address) : IPluginNotification<ConnectNotification>
{
    /// <inheritdoc />
    public static string Topic => "connect";

    /// <inheritdoc />
    public static ConnectNotification FromJson(JsonElement payload) =>
        new(PayloadFields.Key(payload, "id"), PayloadFields.RequiredString(payload, "direction"), PayloadFields.Object(payload, "address").Clone());
}

/// <summary><c>disconnect</c>: a peer disconnected.</summary>
/// <param name="PeerId">The peer.</param>
public sealed record DisconnectNotification(PubKey PeerId) : IPluginNotification<DisconnectNotification>
{
    /// <inheritdoc />
    public static string Topic => "disconnect";

    /// <inheritdoc />
    public static DisconnectNotification FromJson(JsonElement payload) => new(PayloadFields.Key(payload, "id"));
}

/// <summary><c>custommsg</c> notification (fire-and-forget, sent before the hook for every custom message, CLN v24.02+).</summary>
/// <param name="PeerId">The sender.</param>
/// <param name="Payload">The message: 2-byte type and body (may be shorter than 2 bytes: lightningd forwards what it gets).</param>
public sealed record CustomMessageNotification(PubKey PeerId, byte[] Payload) : IPluginNotification<CustomMessageNotification>
{
    /// <inheritdoc />
    public static string Topic => "custommsg";

    /// <inheritdoc />
    public static CustomMessageNotification FromJson(JsonElement payload) =>
        new(PayloadFields.Key(payload, "peer_id"), PayloadFields.RequiredHex(payload, "payload"));
}

/// <summary><c>block_added</c>: a new block.</summary>
/// <param name="Hash">The block hash (<c>ToString()</c> is lightningd's hex).</param>
/// <param name="Height">The block height.</param>
public sealed record BlockAddedNotification(uint256 Hash, uint Height) : IPluginNotification<BlockAddedNotification>
{
    /// <inheritdoc />
    public static string Topic => "block_added";

    /// <inheritdoc />
    public static BlockAddedNotification FromJson(JsonElement payload) =>
        new(PayloadFields.Txid(payload, "hash"), (uint)PayloadFields.Int64(payload, "height", 0, uint.MaxValue));
}

/// <summary><c>channel_state_changed</c>: a channel changed state.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="ChannelId">The channel id.</param>
/// <param name="ShortChannelId">The short channel id, once known.</param>
/// <param name="Timestamp">When.</param>
/// <param name="OldState">The previous state (absent for a new channel).</param>
/// <param name="NewState">The new state (<c>CHANNELD_NORMAL</c>, <c>ONCHAIN</c>, ...).</param>
/// <param name="Cause">Why (<c>user</c>, <c>remote</c>, <c>onchain</c>, ...).</param>
/// <param name="Message">lightningd's message, if any.</param>
public sealed record ChannelStateChangedNotification(PubKey PeerId, uint256 ChannelId, ShortChannelId? ShortChannelId, DateTimeOffset Timestamp, string? OldState, string NewState, string Cause, string? Message)
    : IPluginNotification<ChannelStateChangedNotification>
{
    /// <inheritdoc />
    public static string Topic => "channel_state_changed";

    /// <inheritdoc />
    public static ChannelStateChangedNotification FromJson(JsonElement payload) => new(
        PayloadFields.Key(payload, "peer_id"),
        PayloadFields.Hash(payload, "channel_id"),
        PayloadFields.OptionalScid(payload, "short_channel_id"),
        PayloadFields.Iso(payload, "timestamp"),
        PayloadFields.String(payload, "old_state"),
        PayloadFields.RequiredString(payload, "new_state"),
        PayloadFields.RequiredString(payload, "cause"),
        PayloadFields.String(payload, "message"));
}

/// <summary><c>warning</c>: lightningd or a plugin logged at warn/error level.</summary>
/// <param name="Level"><c>warn</c> or <c>error</c>.</param>
/// <param name="Source">Who logged it.</param>
/// <param name="Log">The log line.</param>
/// <param name="Time">When (lightningd's <c>time</c>, seconds since 1970).</param>
/// <param name="Timestamp">When, as lightningd's ISO 8601 text (v24.02+).</param>
public sealed record WarningNotification(string Level, string Source, string Log, DateTimeOffset Time, string? Timestamp) : IPluginNotification<WarningNotification>
{
    /// <inheritdoc />
    public static string Topic => "warning";

    /// <inheritdoc />
    public static WarningNotification FromJson(JsonElement payload) => new(
        PayloadFields.RequiredString(payload, "level"),
        PayloadFields.RequiredString(payload, "source"),
        PayloadFields.RequiredString(payload, "log"),
        PayloadFields.Seconds(payload, "time"),
        PayloadFields.String(payload, "timestamp"));
}

/// <summary><c>plugin_started</c>: a plugin (possibly this one) started.</summary>
/// <param name="PluginName">Its name.</param>
/// <param name="PluginPath">Its executable.</param>
/// <param name="Methods">The RPC methods it added.</param>
public sealed record PluginStartedNotification(string PluginName, string PluginPath, IReadOnlyList<string> Methods) : IPluginNotification<PluginStartedNotification>
{
    /// <inheritdoc />
    public static string Topic => "plugin_started";

    /// <inheritdoc />
    public static PluginStartedNotification FromJson(JsonElement payload) => new(
        PayloadFields.RequiredString(payload, "plugin_name"),
        PayloadFields.RequiredString(payload, "plugin_path"),
        PayloadFields.Strings(payload, "methods"));
}

/// <summary><c>plugin_stopped</c>: a plugin stopped.</summary>
/// <param name="PluginName">Its name.</param>
/// <param name="PluginPath">Its executable.</param>
/// <param name="Methods">The RPC methods it had added.</param>
public sealed record PluginStoppedNotification(string PluginName, string PluginPath, IReadOnlyList<string> Methods) : IPluginNotification<PluginStoppedNotification>
{
    /// <inheritdoc />
    public static string Topic => "plugin_stopped";

    /// <inheritdoc />
    public static PluginStoppedNotification FromJson(JsonElement payload) => new(
        PayloadFields.RequiredString(payload, "plugin_name"),
        PayloadFields.RequiredString(payload, "plugin_path"),
        PayloadFields.Strings(payload, "methods"));
}

/// <summary><c>shutdown</c>: lightningd is shutting down (the host stops by itself; subscribe only to act on it).</summary>
public sealed record ShutdownNotification : IPluginNotification<ShutdownNotification>
{
    /// <inheritdoc />
    public static string Topic => "shutdown";

    /// <inheritdoc />
    public static ShutdownNotification FromJson(JsonElement payload) => new();
}

/// <summary><c>channel_opened</c>: a peer opened a channel to this node.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="FundingMsat">The channel's capacity.</param>
/// <param name="FundingTxid">The funding transaction (<c>ToString()</c> is lightningd's hex).</param>
/// <param name="ChannelReady">Whether the channel is ready already.</param>
public sealed record ChannelOpenedNotification(PubKey PeerId, AmountMsat FundingMsat, uint256 FundingTxid, bool ChannelReady) : IPluginNotification<ChannelOpenedNotification>
{
    /// <inheritdoc />
    public static string Topic => "channel_opened";

    /// <inheritdoc />
    public static ChannelOpenedNotification FromJson(JsonElement payload) => new(
        PayloadFields.Key(payload, "id"),
        PayloadFields.Msat(payload, "funding_msat"),
        PayloadFields.Txid(payload, "funding_txid"),
        PayloadFields.Bool(payload, "channel_ready"));
}

/// <summary><c>channel_open_failed</c>: opening a channel failed.</summary>
/// <param name="ChannelId">The channel id.</param>
public sealed record ChannelOpenFailedNotification(uint256 ChannelId) : IPluginNotification<ChannelOpenFailedNotification>
{
    /// <inheritdoc />
    public static string Topic => "channel_open_failed";

    /// <inheritdoc />
    public static ChannelOpenFailedNotification FromJson(JsonElement payload) => new(PayloadFields.Hash(payload, "channel_id"));
}

/// <summary><c>invoice_payment</c>: an invoice was paid.</summary>
/// <param name="AmountMsat">The amount received.</param>
/// <param name="Preimage">The payment preimage.</param>
/// <param name="Label">The invoice's label.</param>
/// <param name="Outpoint">For an on-chain (fallback) payment, <c>txid:output</c> (v23.11+).</param>
public sealed record InvoicePaymentNotification(AmountMsat AmountMsat, uint256 Preimage, string Label, string? Outpoint) : IPluginNotification<InvoicePaymentNotification>
{
    /// <inheritdoc />
    public static string Topic => "invoice_payment";

    /// <inheritdoc />
    public static InvoicePaymentNotification FromJson(JsonElement payload) => new(
        PayloadFields.Msat(payload, "msat"),
        PayloadFields.Hash(payload, "preimage"),
        PayloadFields.RequiredString(payload, "label"),
        PayloadFields.String(payload, "outpoint"));
}

/// <summary><c>invoice_creation</c>: an invoice was created.</summary>
/// <param name="AmountMsat">Its amount (absent for an "any" amount invoice).</param>
/// <param name="Preimage">Its payment preimage.</param>
/// <param name="Label">Its label.</param>
public sealed record InvoiceCreationNotification(AmountMsat? AmountMsat, uint256 Preimage, string Label) : IPluginNotification<InvoiceCreationNotification>
{
    /// <inheritdoc />
    public static string Topic => "invoice_creation";

    /// <inheritdoc />
    public static InvoiceCreationNotification FromJson(JsonElement payload) => new(
        PayloadFields.OptionalMsat(payload, "msat"),
        PayloadFields.Hash(payload, "preimage"),
        PayloadFields.RequiredString(payload, "label"));
}

/// <summary><c>forward_event</c>: an HTLC forward was offered, settled or failed.</summary>
/// <param name="PaymentHash">The payment hash (lightningd omits it in rare cases).</param>
/// <param name="InChannel">The incoming channel.</param>
/// <param name="OutChannel">The outgoing channel, when known.</param>
/// <param name="InMsat">The incoming amount.</param>
/// <param name="OutMsat">The outgoing amount, when known.</param>
/// <param name="FeeMsat">The fee earned, when known.</param>
/// <param name="Status"><c>offered</c>, <c>settled</c>, <c>local_failed</c> or <c>failed</c>.</param>
/// <param name="FailCode">The BOLT #4 failure code, for a failure.</param>
/// <param name="FailReason">The failure code's name, for a failure.</param>
/// <param name="Style"><c>legacy</c> or <c>tlv</c>, when known.</param>
/// <param name="ReceivedTime">When the HTLC came in.</param>
/// <param name="ResolvedTime">When it was settled or failed.</param>
public sealed record ForwardEventNotification(
    uint256? PaymentHash,
    ShortChannelId InChannel,
    ShortChannelId? OutChannel,
    AmountMsat InMsat,
    AmountMsat? OutMsat,
    AmountMsat? FeeMsat,
    string Status,
    uint? FailCode,
    string? FailReason,
    string? Style,
    DateTimeOffset ReceivedTime,
    DateTimeOffset? ResolvedTime) : IPluginNotification<ForwardEventNotification>
{
    /// <inheritdoc />
    public static string Topic => "forward_event";

    /// <inheritdoc />
    public static ForwardEventNotification FromJson(JsonElement payload) => new(
        PayloadFields.OptionalHash(payload, "payment_hash"),
        PayloadFields.Scid(payload, "in_channel"),
        PayloadFields.OptionalScid(payload, "out_channel"),
        PayloadFields.Msat(payload, "in_msat"),
        PayloadFields.OptionalMsat(payload, "out_msat"),
        PayloadFields.OptionalMsat(payload, "fee_msat"),
        PayloadFields.RequiredString(payload, "status"),
        (uint?)PayloadFields.OptionalInt64(payload, "failcode", 0, uint.MaxValue),
        PayloadFields.String(payload, "failreason"),
        PayloadFields.String(payload, "style"),
        PayloadFields.Seconds(payload, "received_time"),
        PayloadFields.OptionalSeconds(payload, "resolved_time"));
}

/// <summary>A payment (part) as <c>sendpay_success</c> and <c>sendpay_failure</c> report it.</summary>
/// <param name="Id">The payment's id.</param>
/// <param name="PaymentHash">The payment hash.</param>
/// <param name="GroupId">The payment group.</param>
/// <param name="PartId">The part, for a multi-part payment.</param>
/// <param name="Destination">The destination, when known.</param>
/// <param name="AmountMsat">The amount delivered, when known.</param>
/// <param name="AmountSentMsat">The amount sent (fees included).</param>
/// <param name="CreatedAt">When it was created, in seconds since 1970.</param>
/// <param name="CompletedAt">When it completed, in seconds since 1970.</param>
/// <param name="Status"><c>complete</c>, <c>failed</c> or <c>pending</c>.</param>
/// <param name="PaymentPreimage">The preimage, once paid.</param>
/// <param name="Label">The payment's label.</param>
/// <param name="Bolt11">The invoice paid, if BOLT #11.</param>
/// <param name="Bolt12">The invoice paid, if BOLT #12.</param>
public sealed record SendpayPayment(
    ulong Id,
    uint256 PaymentHash,
    ulong GroupId,
    ulong? PartId,
    PubKey? Destination,
    AmountMsat? AmountMsat,
    AmountMsat AmountSentMsat,
    ulong CreatedAt,
    ulong? CompletedAt,
    string Status,
    uint256? PaymentPreimage,
    string? Label,
    string? Bolt11,
    string? Bolt12)
{
    internal static SendpayPayment FromJson(JsonElement payload) => new(
        PayloadFields.UInt64(payload, "id"),
        PayloadFields.Hash(payload, "payment_hash"),
        PayloadFields.UInt64(payload, "groupid"),
        payload.TryGetProperty("partid", out _) ? PayloadFields.UInt64(payload, "partid") : null,
        PayloadFields.OptionalKey(payload, "destination"),
        PayloadFields.OptionalMsat(payload, "amount_msat"),
        PayloadFields.Msat(payload, "amount_sent_msat"),
        PayloadFields.UInt64(payload, "created_at"),
        payload.TryGetProperty("completed_at", out _) ? PayloadFields.UInt64(payload, "completed_at") : null,
        PayloadFields.RequiredString(payload, "status"),
        PayloadFields.OptionalHash(payload, "payment_preimage"),
        PayloadFields.String(payload, "label"),
        PayloadFields.String(payload, "bolt11"),
        PayloadFields.String(payload, "bolt12"));
}

/// <summary><c>sendpay_success</c>: a payment (part) sent with <c>sendpay</c> succeeded.</summary>
/// <param name="Payment">The payment.</param>
public sealed record SendpaySuccessNotification(SendpayPayment Payment) : IPluginNotification<SendpaySuccessNotification>
{
    /// <inheritdoc />
    public static string Topic => "sendpay_success";

    /// <inheritdoc />
    public static SendpaySuccessNotification FromJson(JsonElement payload) => new(SendpayPayment.FromJson(payload));
}

/// <summary><c>sendpay_failure</c>: a payment (part) sent with <c>sendpay</c> failed.</summary>
/// <param name="Code">lightningd's error code (for example 204, try another route).</param>
/// <param name="Message">lightningd's error message.</param>
/// <param name="Payment">The payment.</param>
/// <param name="ErringNode">The node that reported the failure, when known.</param>
/// <param name="ErringChannel">The channel that failed, when known.</param>
/// <param name="ErringDirection">That channel's direction (0 or 1).</param>
/// <param name="FailCode">The BOLT #4 failure code.</param>
/// <param name="FailCodeName">The failure code's name.</param>
/// <param name="Data">The whole <c>data</c> object, as sent.</param>
public sealed record SendpayFailureNotification(
    int Code,
    string Message,
    SendpayPayment Payment,
    PubKey? ErringNode,
    ShortChannelId? ErringChannel,
    uint? ErringDirection,
    uint? FailCode,
    string? FailCodeName,
    JsonElement Data) : IPluginNotification<SendpayFailureNotification>
{
    /// <inheritdoc />
    public static string Topic => "sendpay_failure";

    /// <inheritdoc />
    public static SendpayFailureNotification FromJson(JsonElement payload)
    {
        var data = PayloadFields.Object(payload, "data");
        return new(
            (int)PayloadFields.Int64(payload, "code", int.MinValue, int.MaxValue),
            PayloadFields.RequiredString(payload, "message"),
            SendpayPayment.FromJson(data),
            PayloadFields.OptionalKey(data, "erring_node"),
            PayloadFields.OptionalScid(data, "erring_channel"),
            (uint?)PayloadFields.OptionalInt64(data, "erring_direction", 0, 1),
            (uint?)PayloadFields.OptionalInt64(data, "failcode", 0, uint.MaxValue),
            PayloadFields.String(data, "failcodename"),
            data.Clone());
    }
}
