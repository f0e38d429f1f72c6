using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin.Internal;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin;

// Typed payloads and results of the hooks plugins use most, as lightningd v26.06 writes and reads them
// (doc/schemas/hook/*.json; lightningd/peer_control.c, peer_htlcs.c, jsonrpc.c, onion_message.c where
// they differ). Hashes and secrets are uint256 in lightningd's byte order: ToBytes() gives the bytes of
// lightningd's hex, as WireReader reads a sha256 (NBitcoin's ToString() prints them reversed).

/// <summary><c>peer_connected</c>: a peer connected; the plugin may let it proceed or disconnect it.</summary>
/// <param name="PeerId">The peer's node id.</param>
/// <param name="Direction"><c>in</c> (they connected to us) or <c>out</c>.</param>
/// <param name="Address">The address we are connected to (for an incoming connection, an ephemeral port).</param>
/// <param name="RemoteAddress">Our own address as the peer reports it, when it did.</param>
/// <param name="Features">The feature bits the peer advertised.</param>
public sealed record PeerConnectedHook(PubKey PeerId, string Direction, string Address, string? RemoteAddress, byte[] Features)
{
    internal const string Name = "peer_connected";

    internal static PeerConnectedHook FromJson(JsonElement parameters)
    {
        var peer = PayloadFields.Object(parameters, "peer");
        return new(
            PayloadFields.Key(peer, "id"),
            PayloadFields.RequiredString(peer, "direction"),
            PayloadFields.RequiredString(peer, "addr"),
            PayloadFields.String(peer, "remote_addr"),
            PayloadFields.RequiredHex(peer, "features"));
    }
}

/// <summary>The answer to <c>peer_connected</c>.</summary>
public sealed class PeerConnectedResult
{
    private readonly string? _errorMessage;
    private readonly bool _disconnect;

    private PeerConnectedResult(bool disconnect, string? errorMessage)
    {
        _disconnect = disconnect;
        _errorMessage = errorMessage;
    }

    /// <summary>Let the connection proceed (and the next plugin decide).</summary>
    public static PeerConnectedResult Continue { get; } = new(false, null);

    /// <summary>Disconnect the peer, optionally sending it a warning with <paramref name="errorMessage"/> first.</summary>
    /// <param name="errorMessage">The text of the warning sent to the peer; none when <see langword="null"/>.</param>
    public static PeerConnectedResult Disconnect(string? errorMessage = null) => new(true, errorMessage);

    internal JsonNode ToJson()
    {
        var result = new JsonObject { ["result"] = _disconnect ? "disconnect" : "continue" };
        if (_errorMessage is not null)
        {
            result["error_message"] = _errorMessage;
        }

        return result;
    }
}

/// <summary><c>htlc_accepted</c>: an incoming HTLC, to forward, fail or resolve.</summary>
/// <param name="PeerId">The peer that offered it (absent if lightningd no longer knows the peer).</param>
/// <param name="Onion">What the onion says.</param>
/// <param name="Htlc">The HTLC itself.</param>
/// <param name="ForwardTo">The channel id lightningd means to forward it to (absent at the final hop or for an unknown channel).</param>
public sealed record HtlcAcceptedHook(PubKey? PeerId, HtlcOnion Onion, HtlcAcceptedHtlc Htlc, uint256? ForwardTo)
{
    internal const string Name = "htlc_accepted";

    internal static HtlcAcceptedHook FromJson(JsonElement parameters)
    {
        var onion = PayloadFields.Object(parameters, "onion");
        var htlc = PayloadFields.Object(parameters, "htlc");
        return new(
            PayloadFields.OptionalKey(parameters, "peer_id"),
            new HtlcOnion(
                PayloadFields.RequiredHex(onion, "payload"),
                PayloadFields.String(onion, "type"),
                PayloadFields.OptionalScid(onion, "short_channel_id"),
                PayloadFields.OptionalKey(onion, "next_node_id"),
                PayloadFields.OptionalMsat(onion, "forward_msat"),
                (uint?)PayloadFields.OptionalInt64(onion, "outgoing_cltv_value", 0, uint.MaxValue),
                PayloadFields.OptionalMsat(onion, "total_msat"),
                PayloadFields.OptionalHash(onion, "payment_secret"),
                PayloadFields.OptionalHex(onion, "payment_metadata"),
                PayloadFields.RequiredHex(onion, "next_onion"),
                PayloadFields.Hash(onion, "shared_secret")),
            new HtlcAcceptedHtlc(
                PayloadFields.Scid(htlc, "short_channel_id"),
                PayloadFields.UInt64(htlc, "id"),
                PayloadFields.Msat(htlc, "amount_msat"),
                (uint)PayloadFields.Int64(htlc, "cltv_expiry", 0, uint.MaxValue),
                (int)PayloadFields.Int64(htlc, "cltv_expiry_relative", int.MinValue, int.MaxValue),
                PayloadFields.Hash(htlc, "payment_hash"),
                PayloadFields.OptionalHex(htlc, "extra_tlvs")),
            PayloadFields.OptionalHash(parameters, "forward_to"));
    }
}

/// <summary>The onion of an <c>htlc_accepted</c> HTLC, as lightningd parsed it.</summary>
/// <param name="Payload">The raw onion payload for this hop.</param>
/// <param name="Type"><c>tlv</c> when lightningd parsed the payload, else <see langword="null"/>.</param>
/// <param name="ShortChannelId">The next channel the sender asks for (absent at the final hop).</param>
/// <param name="NextNodeId">The next node, when the onion names it.</param>
/// <param name="ForwardMsat">The amount to forward.</param>
/// <param name="OutgoingCltvValue">The CLTV expiry for the outgoing HTLC.</param>
/// <param name="TotalMsat">The whole payment's amount (final hop).</param>
/// <param name="PaymentSecret">The payment secret (final hop).</param>
/// <param name="PaymentMetadata">The payment metadata, when the sender included it.</param>
/// <param name="NextOnion">The onion to send to the next hop.</param>
/// <param name="SharedSecret">The secret shared with the onion's sender.</param>
public sealed record HtlcOnion(
    byte[] Payload,
    string? Type,
    ShortChannelId? ShortChannelId,
    PubKey? NextNodeId,
    AmountMsat? ForwardMsat,
    uint? OutgoingCltvValue,
    AmountMsat? TotalMsat,
    uint256? PaymentSecret,
    byte[]? PaymentMetadata,
    byte[] NextOnion,
    uint256 SharedSecret);

/// <summary>The HTLC of an <c>htlc_accepted</c> call.</summary>
/// <param name="ShortChannelId">The channel it came in on.</param>
/// <param name="Id">Its id in that channel.</param>
/// <param name="AmountMsat">Its amount.</param>
/// <param name="CltvExpiry">Its absolute CLTV expiry.</param>
/// <param name="CltvExpiryRelative">Blocks left until it expires (lightningd writes it signed: negative once expired).</param>
/// <param name="PaymentHash">The payment hash.</param>
/// <param name="ExtraTlvs">The TLV stream attached to the HTLC, if any.</param>
public sealed record HtlcAcceptedHtlc(ShortChannelId ShortChannelId, ulong Id, AmountMsat AmountMsat, uint CltvExpiry, int CltvExpiryRelative, uint256 PaymentHash, byte[]? ExtraTlvs);

/// <summary>The answer to <c>htlc_accepted</c>: continue (optionally changing the forward), fail or resolve.</summary>
public sealed class HtlcAcceptedResult
{
    private readonly JsonObject _json;

    private HtlcAcceptedResult(JsonObject json)
    {
        _json = json;
    }

    /// <summary>Let lightningd handle the HTLC as usual (and the next plugin decide).</summary>
    public static HtlcAcceptedResult Continue { get; } = new(new JsonObject { ["result"] = "continue" });

    /// <summary>Continue with changes: a replacement onion payload, another outgoing channel, other TLVs or amount checks.</summary>
    /// <param name="payload">A TLV payload to use instead of the onion's.</param>
    /// <param name="forwardTo">The channel id to forward to instead.</param>
    /// <param name="extraTlvs">The TLV stream to attach to the forwarded HTLC.</param>
    /// <param name="invoiceMsat">The amount to check the invoice against at the final hop.</param>
    public static HtlcAcceptedResult ContinueWith(ReadOnlySpan<byte> payload = default, uint256? forwardTo = null, ReadOnlySpan<byte> extraTlvs = default, AmountMsat? invoiceMsat = null)
    {
        var json = new JsonObject { ["result"] = "continue" };
        if (!payload.IsEmpty)
        {
            json["payload"] = Convert.ToHexStringLower(payload);
        }

        if (forwardTo is not null)
        {
            json["forward_to"] = Convert.ToHexStringLower(forwardTo.ToBytes());
        }

        if (!extraTlvs.IsEmpty)
        {
            json["extra_tlvs"] = Convert.ToHexStringLower(extraTlvs);
        }

        if (invoiceMsat is { } amount)
        {
            json["invoice_msat"] = amount.Millisatoshis;
        }

        return new(json);
    }

    /// <summary>Fail the HTLC with a BOLT #4 failure message (lightningd wraps it in the onion reply).</summary>
    /// <param name="failureMessage">The failure message: 2-byte failure code, then its data (for example <c>0x2002</c>, temporary_node_failure).</param>
    /// <exception cref="ArgumentException">The message is shorter than its 2-byte code.</exception>
    public static HtlcAcceptedResult Fail(ReadOnlySpan<byte> failureMessage)
    {
        if (failureMessage.Length < 2)
        {
            throw new ArgumentException("A failure message starts with its 2-byte failure code.", nameof(failureMessage));
        }

        return new(new JsonObject { ["result"] = "fail", ["failure_message"] = Convert.ToHexStringLower(failureMessage) });
    }

    /// <summary>Fail the HTLC with an already serialized failure onion.</summary>
    /// <param name="failureOnion">The serialized failure onion.</param>
    /// <exception cref="ArgumentException">The onion is empty.</exception>
    public static HtlcAcceptedResult FailWithOnion(ReadOnlySpan<byte> failureOnion)
    {
        if (failureOnion.IsEmpty)
        {
            throw new ArgumentException("The failure onion is empty.", nameof(failureOnion));
        }

        return new(new JsonObject { ["result"] = "fail", ["failure_onion"] = Convert.ToHexStringLower(failureOnion) });
    }

    /// <summary>Resolve (fulfil) the HTLC with its preimage.</summary>
    /// <param name="paymentKey">The 32-byte preimage, in lightningd's byte order (<c>ToBytes()</c>).</param>
    public static HtlcAcceptedResult Resolve(uint256 paymentKey)
    {
        ArgumentNullException.ThrowIfNull(paymentKey);
        return new(new JsonObject { ["result"] = "resolve", ["payment_key"] = Convert.ToHexStringLower(paymentKey.ToBytes()) });
    }

    internal JsonNode ToJson() => _json.DeepClone();
}

/// <summary><c>rpc_command</c>: a JSON-RPC command on its way to lightningd, which the plugin may let through, replace or answer.</summary>
/// <param name="Id">The command's id as sent.</param>
/// <param name="Method">The command.</param>
/// <param name="Params">Its params as sent: an object or an array.</param>
/// <param name="Request">The whole request as lightningd forwards it (with <c>filter</c>, if any).</param>
public sealed record RpcCommandHook(JsonElement Id, string Method, JsonElement Params, JsonElement Request)
{
    internal const string Name = "rpc_command";

    internal static RpcCommandHook FromJson(JsonElement parameters)
    {
        var request = PayloadFields.Object(parameters, "rpc_command");
        var method = PayloadFields.RequiredString(request, "method");
        var id = request.TryGetProperty("id", out var i) ? i : default;
        return new(id, method, PayloadFields.Element(request, "params"), request);
    }
}

/// <summary>The answer to <c>rpc_command</c>.</summary>
public sealed class RpcCommandResult
{
    private readonly JsonObject _json;

    private RpcCommandResult(JsonObject json)
    {
        _json = json;
    }

    /// <summary>Let the command run (and the next plugin decide).</summary>
    public static RpcCommandResult Continue { get; } = new(new JsonObject { ["result"] = "continue" });

    /// <summary>Run another command instead (lightningd keeps the caller's id).</summary>
    /// <param name="command">The command as seen by the hook (its id is reused).</param>
    /// <param name="method">The method to run.</param>
    /// <param name="parameters">Its params: a <see cref="JsonObject"/> or <see cref="JsonArray"/>.</param>
    public static RpcCommandResult Replace(RpcCommandHook command, string method, JsonNode parameters)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        if (parameters is not (JsonObject or JsonArray))
        {
            throw new ArgumentException("params is an object or an array.", nameof(parameters));
        }

        return new(new JsonObject
        {
            ["replace"] = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = command.Id.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(command.Id.GetRawText()),
                ["method"] = method,
                ["params"] = parameters.DeepClone(),
            },
        });
    }

    /// <summary>Answer the caller with this result; the command does not run.</summary>
    /// <param name="result">The result object.</param>
    public static RpcCommandResult ReturnResult(JsonObject result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(new JsonObject { ["return"] = new JsonObject { ["result"] = result.DeepClone() } });
    }

    /// <summary>Answer the caller with this error; the command does not run.</summary>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="message">The error message.</param>
    public static RpcCommandResult ReturnError(int code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(new JsonObject { ["return"] = new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } } });
    }

    internal JsonNode ToJson() => _json.DeepClone();
}

/// <summary><c>onion_message_recv</c>: an onion message sent to this node (not through one of its blinded paths).</summary>
/// <param name="ReplyPath">The blinded path to reply on, when the sender gave one.</param>
/// <param name="InvoiceRequest">A BOLT #12 <c>invoice_request</c>, if the message holds one.</param>
/// <param name="Invoice">A BOLT #12 <c>invoice</c>, if the message holds one.</param>
/// <param name="InvoiceError">A BOLT #12 <c>invoice_error</c>, if the message holds one.</param>
/// <param name="UnknownFields">The message's other TLV fields, for custom protocols.</param>
public sealed record OnionMessageHook(OnionMessageBlindedPath? ReplyPath, byte[]? InvoiceRequest, byte[]? Invoice, byte[]? InvoiceError, IReadOnlyList<OnionMessageField> UnknownFields)
{
    internal const string Name = "onion_message_recv";

    internal static OnionMessageHook FromJson(JsonElement parameters)
    {
        var message = PayloadFields.Object(parameters, "onion_message");
        OnionMessageBlindedPath? path = null;
        if (message.TryGetProperty("reply_blindedpath", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            path = new OnionMessageBlindedPath(
                PayloadFields.OptionalKey(p, "first_node_id"),
                PayloadFields.OptionalScid(p, "first_scid"),
                (uint?)PayloadFields.OptionalInt64(p, "first_scid_dir", 0, 1),
                PayloadFields.Key(p, "first_path_key"),
                Items(p, "hops", h => new OnionMessageBlindedHop(PayloadFields.Key(h, "blinded_node_id"), PayloadFields.RequiredHex(h, "encrypted_recipient_data"))));
        }

        return new(
            path,
            PayloadFields.OptionalHex(message, "invoice_request"),
            PayloadFields.OptionalHex(message, "invoice"),
            PayloadFields.OptionalHex(message, "invoice_error"),
            Items(message, "unknown_fields", f => new OnionMessageField(PayloadFields.UInt64(f, "number"), PayloadFields.RequiredHex(f, "value"))));
    }

    private static T[] Items<T>(JsonElement e, string name, Func<JsonElement, T> read)
    {
        if (!e.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadFormatException(name, "is not an array");
        }

        return array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object ? read(item) : throw new PayloadFormatException(name, "holds something other than objects")).ToArray();
    }
}

/// <summary>A blinded path to reply to an onion message on.</summary>
/// <param name="FirstNodeId">The introduction node, when named by node id.</param>
/// <param name="FirstShortChannelId">The introduction node, when named by a channel (with <paramref name="FirstShortChannelIdDirection"/>).</param>
/// <param name="FirstShortChannelIdDirection">The direction (0 or 1) of <paramref name="FirstShortChannelId"/>.</param>
/// <param name="FirstPathKey">The path key for the first hop.</param>
/// <param name="Hops">The blinded hops.</param>
public sealed record OnionMessageBlindedPath(PubKey? FirstNodeId, ShortChannelId? FirstShortChannelId, uint? FirstShortChannelIdDirection, PubKey FirstPathKey, IReadOnlyList<OnionMessageBlindedHop> Hops);

/// <summary>A hop of a blinded path.</summary>
/// <param name="BlindedNodeId">The hop's blinded node id.</param>
/// <param name="EncryptedRecipientData">The hop's encrypted data.</param>
public sealed record OnionMessageBlindedHop(PubKey BlindedNodeId, byte[] EncryptedRecipientData);

/// <summary>A TLV field of an onion message that lightningd does not interpret.</summary>
/// <param name="Number">The TLV type.</param>
/// <param name="Value">The TLV value.</param>
public sealed record OnionMessageField(ulong Number, byte[] Value);

/// <summary>The answer to <c>onion_message_recv</c>.</summary>
public sealed class OnionMessageResult
{
    private readonly string _result;

    private OnionMessageResult(string result)
    {
        _result = result;
    }

    /// <summary>Pass the message on to the next plugin's hook.</summary>
    public static OnionMessageResult Continue { get; } = new("continue");

    /// <summary>The message is handled: no later plugin sees it (lightningd reads any result but <c>continue</c> this way).</summary>
    public static OnionMessageResult Stop { get; } = new("stop");

    internal JsonNode ToJson() => new JsonObject { ["result"] = _result };
}
