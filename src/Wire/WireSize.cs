using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>Encoded sizes of BOLT #1 values, for computing a message's exact length before writing it.</summary>
public static class WireSize
{
    /// <summary>A <c>byte</c> or <c>s8</c>.</summary>
    public const int Byte = 1;

    /// <summary>A <c>u16</c> or <c>s16</c>.</summary>
    public const int U16 = 2;

    /// <summary>A <c>u32</c> or <c>s32</c>.</summary>
    public const int U32 = 4;

    /// <summary>A <c>u64</c> or <c>s64</c>.</summary>
    public const int U64 = 8;

    /// <summary>A 32-byte hash: <c>chain_hash</c> or <c>sha256</c>.</summary>
    public const int Hash = 32;

    /// <summary>A <c>chain_hash</c>.</summary>
    public const int ChainHash = Hash;

    /// <summary>A <c>sha256</c>.</summary>
    public const int Sha256 = Hash;

    /// <summary>A <c>channel_id</c>.</summary>
    public const int ChannelId = 32;

    /// <summary>A compact ECDSA <c>signature</c>.</summary>
    public const int Signature = 64;

    /// <summary>A <c>bip340sig</c>.</summary>
    public const int Bip340Signature = 64;

    /// <summary>A compressed <c>point</c>.</summary>
    public const int Point = 33;

    /// <summary>A <c>short_channel_id</c>.</summary>
    public const int ShortChannelId = 8;

    /// <summary>The encoded length of a minimal <c>bigsize</c>: 1, 3, 5 or 9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BigSize(ulong value) => WireEncoding.BigSizeLength(value);

    /// <summary>The encoded length of a <c>tu16</c>: 0 to 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TU16(ushort value) => WireEncoding.TruncatedLength(value);

    /// <summary>The encoded length of a <c>tu32</c>: 0 to 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TU32(uint value) => WireEncoding.TruncatedLength(value);

    /// <summary>The encoded length of a <c>tu64</c>: 0 to 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TU64(ulong value) => WireEncoding.TruncatedLength(value);

    /// <summary>The number of UTF-8 bytes of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds a lone surrogate.</exception>
    public static int Utf8(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WireEncoding.StrictUtf8.GetByteCount(value);
    }

    /// <summary>The encoded length of a <c>sciddir_or_pubkey</c>: 9 or 33.</summary>
    public static int SciddirOrPubKey(SciddirOrPubKey value) => value.EncodedLength;

    /// <summary>The encoded length of a TLV record: bigsize type, bigsize length, value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Tlv(ulong type, int valueLength) =>
        WireEncoding.BigSizeLength(type) + WireEncoding.BigSizeLength((ulong)valueLength) + valueLength;

    /// <summary>The encoded length of a kept TLV record.</summary>
    public static int Tlv(in TlvRecord record) => Tlv(record.Type, record.Value.Length);

    /// <summary>The encoded length of kept TLV records (0 for <see langword="null"/>).</summary>
    public static int Tlv(IReadOnlyList<TlvRecord>? records)
    {
        if (records is null)
        {
            return 0;
        }

        int total = 0;
        for (int i = 0; i < records.Count; i++)
        {
            total += Tlv(records[i]);
        }

        return total;
    }
}
