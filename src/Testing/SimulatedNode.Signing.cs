using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Internal;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing;

/// <summary><c>signmessage</c>, <c>checkmessage</c> and <c>makesecret</c> with the node's own keys.</summary>
public sealed partial class SimulatedNode
{
    private const int SignmessagePubkeyNotFound = 1301;

    /// <summary>lightningd/signmessage.c <c>json_signmessage</c>.</summary>
    private byte[] SignMessage(string rawId, JsonElement p)
    {
        string? message = null;
        if (ParseParams(rawId, p, new ParamSpec("message", true, t => { message = RawToken(t); return null; })) is { } error)
            return error;
        if (Encoding.UTF8.GetByteCount(message!) > 65535)
            return LightningdJson.Error(rawId, InvalidParams, "Message must be < 64k");

        var signature = Hsm.SignMessage(Key, message!);
        var zbase = new byte[65];
        zbase[0] = (byte)(31 + signature.RecoveryId);
        signature.Signature.CopyTo(zbase, 1);
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("signature", Convert.ToHexStringLower(signature.Signature));
            w.WriteString("recid", Convert.ToHexStringLower([(byte)signature.RecoveryId]));
            w.WriteString("zbase", ZBase32.Encode(zbase));
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// lightningd/signmessage.c <c>json_checkmessage</c>. Without <c>pubkey</c>, lightningd accepts the
    /// signature only if the recovered key is a node of its gossip graph; the simulator's graph holds
    /// every node of the simulator.
    /// </summary>
    private byte[] CheckMessage(string rawId, JsonElement p)
    {
        string? message = null, zbase = null;
        PubKey? pubkey = null;
        var error = ParseParams(rawId, p,
            new ParamSpec("message", true, t => { message = RawToken(t); return null; }),
            new ParamSpec("zbase", true, t => { zbase = RawToken(t); return null; }),
            new ParamSpec("pubkey", false, t => TryPubKey(t, out pubkey) ? null : BadParam(rawId, "pubkey", t, "should be a compressed pubkey")));
        if (error is not null)
            return error;

        byte[]? sig = ZBase32.TryDecode(zbase!);
        if (sig is null)
            return LightningdJson.Error(rawId, InvalidParams, "zbase is not valid zbase32");
        if (sig.Length != 65)
            return LightningdJson.Error(rawId, InvalidParams, $"zbase is too {(sig.Length < 65 ? "short" : "long")}");

        // secp256k1_ecdsa_recoverable_signature_parse_compact: recovery id 0..3 (the first byte is
        // 31 + id), r and s below the curve order.
        int recoveryId = sig[0] - 31;
        if (recoveryId is < 0 or > 3 || !Hsm.IsBelowCurveOrder(sig.AsSpan(1, 32)) || !Hsm.IsBelowCurveOrder(sig.AsSpan(33, 32)))
            return LightningdJson.Error(rawId, InvalidParams, "cannot parse zbase signature");

        var recovered = TryRecover(Hsm.MessageDigest(message!), recoveryId, sig[1..]);
        if (recovered is null)
        {
            return LightningdJson.Result(rawId, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("verified", false);
                w.WriteEndObject();
            });
        }

        if (pubkey is null && Simulator.FindNode(recovered) is null)
        {
            return LightningdJson.Error(rawId, SignmessagePubkeyNotFound, "pubkey not found in the graph", w =>
                w.WriteString("claimed_key", recovered.ToHex()));
        }

        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("pubkey", recovered.ToHex());
            w.WriteBoolean("verified", pubkey is null || pubkey == recovered);
            w.WriteEndObject();
        });
    }

    /// <summary>lightningd/hsm_control.c <c>json_makesecret</c>, derived as hsmd's <c>handle_derive_secret</c> does.</summary>
    private byte[] MakeSecret(string rawId, JsonElement p)
    {
        byte[]? data = null;
        string? text = null;
        var error = ParseParams(rawId, p,
            new ParamSpec("hex", false, t => { data = HexOrNull(t); return null; }),
            new ParamSpec("string", false, t => { text = RawToken(t); return null; }));
        if (error is not null)
            return error;

        if (!TryHexOrString(rawId, ref data, text, out var dataError))
            return dataError;

        byte[] secret = Hsm.MakeSecret(_derivedSecret, data);
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteString("secret", Convert.ToHexStringLower(secret));
            w.WriteEndObject();
        });
    }

    /// <summary><c>json_to_pubkey</c>: 66 hex digits of a compressed point.</summary>
    private static bool TryPubKey(JsonElement token, out PubKey? pubkey)
    {
        pubkey = null;
        string text = RawToken(token);
        if (text.Length != 66 || !text.All(char.IsAsciiHexDigit) || !PubKey.TryCreatePubKey(Convert.FromHexString(text), out var parsed))
            return false;
        pubkey = parsed;
        return true;
    }

    private static PubKey? TryRecover(uint256 digest, int recoveryId, byte[] signature)
    {
        try
        {
            return PubKey.RecoverCompact(digest, new CompactSignature(recoveryId, signature));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return null; // secp256k1_ecdsa_recover found no point for this r
        }
    }
}
