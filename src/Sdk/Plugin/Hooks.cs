using System.Text.Json;
using System.Text.Json.Nodes;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin;

// The results of the hooks plugins use most, as lightningd v26.06 reads them (doc/schemas/hook/*.json;
// lightningd/peer_control.c, peer_htlcs.c, jsonrpc.c, onion_message.c where they differ). The payloads
// are generated from the schemas (src/Sdk/Plugin/Generated/Hooks). Hashes and secrets are uint256 as
// the whole SDK reads lightningd's JSON: ToString() is lightningd's hex (uint256.Parse reads it).

/// <summary>
/// A typed hook payload: the hook's name and how to read it from the hook call's <c>params</c>. Every
/// hook of lightningd's schemas has one, generated from them (<c>PeerConnectedHook</c>,
/// <c>HtlcAcceptedHook</c>, ...: src/Sdk/Plugin/Generated).
/// </summary>
/// <typeparam name="TSelf">The payload type itself.</typeparam>
public interface IPluginHook<TSelf>
    where TSelf : IPluginHook<TSelf>
{
    /// <summary>The hook's name.</summary>
    static abstract string HookName { get; }

    /// <summary>Reads the payload from the hook call's <c>params</c>.</summary>
    /// <param name="parameters">The hook call's <c>params</c>.</param>
    /// <exception cref="PayloadFormatException">The payload does not read.</exception>
    static abstract TSelf FromJson(JsonElement parameters);
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
    /// <param name="forwardTo">The channel id to forward to instead (written as <c>ToString()</c> prints it, as lightningd's <c>forward_to</c> reads).</param>
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
            json["forward_to"] = forwardTo.ToString();
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
    /// <param name="paymentKey">The 32-byte preimage as lightningd prints it: <c>ToString()</c> (<c>uint256.Parse</c> of lightningd's hex).</param>
    public static HtlcAcceptedResult Resolve(uint256 paymentKey)
    {
        ArgumentNullException.ThrowIfNull(paymentKey);
        return new(new JsonObject { ["result"] = "resolve", ["payment_key"] = paymentKey.ToString() });
    }

    /// <summary>Resolve (fulfil) the HTLC with its preimage.</summary>
    /// <param name="paymentKey">The 32-byte preimage, its bytes in the order lightningd prints them.</param>
    /// <exception cref="ArgumentException">The preimage is not 32 bytes.</exception>
    public static HtlcAcceptedResult Resolve(ReadOnlySpan<byte> paymentKey)
    {
        if (paymentKey.Length != 32)
        {
            throw new ArgumentException("A preimage is 32 bytes.", nameof(paymentKey));
        }

        return new(new JsonObject { ["result"] = "resolve", ["payment_key"] = Convert.ToHexStringLower(paymentKey) });
    }

    internal JsonNode ToJson() => _json.DeepClone();
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
                ["id"] = command.Id?.DeepClone(),
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
