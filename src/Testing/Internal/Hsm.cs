using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NBitcoin;
using NBitcoin.Crypto;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// The parts of lightningd's signer (hsmd/libhsmd.c) that the simulated commands need: the node key and
/// the <c>makesecret</c> base derived from a 32-byte <c>hsm_secret</c>, and message signatures.
/// </summary>
internal static class Hsm
{
    private static readonly byte[] NodeIdInfo = "nodeid"u8.ToArray();
    private static readonly byte[] DerivedSecretsInfo = "derived secrets"u8.ToArray();
    private static readonly byte[] SignedMessagePrefix = "Lightning Signed Message:"u8.ToArray();

    /// <summary>
    /// <c>node_key</c>: HKDF-SHA256 of the first 32 bytes of the seed with info <c>"nodeid"</c> and a
    /// 4-byte little-endian counter as salt, counting up until the result is a valid secret key.
    /// </summary>
    public static Key NodeKey(ReadOnlySpan<byte> bip32Seed)
    {
        Span<byte> salt = stackalloc byte[4];
        Span<byte> secret = stackalloc byte[32];
        for (uint counter = 0; ; counter++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(salt, counter);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, bip32Seed[..32], secret, salt, NodeIdInfo);
            if (IsValidSecretKey(secret))
                return new Key(secret.ToArray());
        }
    }

    /// <summary>The base of <c>makesecret</c>: HKDF-SHA256 of the whole seed, no salt, info <c>"derived secrets"</c>.</summary>
    public static byte[] DerivedSecret(ReadOnlySpan<byte> bip32Seed)
    {
        var secret = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, bip32Seed, secret, [], DerivedSecretsInfo);
        return secret;
    }

    /// <summary><c>handle_derive_secret</c>: HKDF-SHA256 of the derived secret, no salt, the caller's bytes as info.</summary>
    public static byte[] MakeSecret(ReadOnlySpan<byte> derivedSecret, ReadOnlySpan<byte> info)
    {
        var secret = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, derivedSecret, secret, [], info);
        return secret;
    }

    /// <summary>SHA256d("Lightning Signed Message:" + message), the digest <c>signmessage</c> signs.</summary>
    public static uint256 MessageDigest(string message)
    {
        var bytes = new byte[SignedMessagePrefix.Length + Encoding.UTF8.GetByteCount(message)];
        SignedMessagePrefix.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(message, bytes.AsSpan(SignedMessagePrefix.Length));
        return Hashes.DoubleSHA256(bytes);
    }

    /// <summary>
    /// <c>handle_sign_message</c>: a recoverable ECDSA signature with RFC 6979 nonces and no low-R
    /// grinding (<c>secp256k1_ecdsa_sign_recoverable</c> with the default nonce function), so the same
    /// key and message give lightningd's signature byte for byte.
    /// </summary>
    public static CompactSignature SignMessage(Key key, string message) =>
        key.SignCompact(MessageDigest(message), forceLowR: false);

    /// <summary>Is the 32-byte big-endian <paramref name="scalar"/> below n, the order of secp256k1?</summary>
    public static bool IsBelowCurveOrder(ReadOnlySpan<byte> scalar)
    {
        ReadOnlySpan<byte> order =
        [
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
            0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
        ];
        return scalar.SequenceCompareTo(order) < 0;
    }

    private static bool IsValidSecretKey(ReadOnlySpan<byte> secret) =>
        IsBelowCurveOrder(secret) && secret.IndexOfAnyExcept((byte)0) >= 0;
}
