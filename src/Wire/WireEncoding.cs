using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using NBitcoin;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// The encoders both writers share: each writes one value into a span that is exactly as long as
/// the value's encoding (the writers reserve it first).
/// </summary>
internal static class WireEncoding
{
    /// <summary>UTF-8 that throws on lone surrogates instead of writing U+FFFD: the sender must send valid UTF-8.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteTruncated(Span<byte> destination, ulong value)
    {
        // destination.Length is the minimal byte count of value (0..8).
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int TruncatedLength(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) >> 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int BigSizeLength(ulong value) =>
        value < 0xfd ? 1 : value <= 0xffff ? 3 : value <= 0xffff_ffff ? 5 : 9;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteBigSize(Span<byte> destination, ulong value)
    {
        // destination.Length == BigSizeLength(value).
        switch (destination.Length)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 3:
                destination[0] = 0xfd;
                BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)value);
                break;
            case 5:
                destination[0] = 0xfe;
                BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)value);
                break;
            default:
                destination[0] = 0xff;
                BinaryPrimitives.WriteUInt64BigEndian(destination[1..], value);
                break;
        }
    }

    internal static void WriteHash(Span<byte> destination, uint256 value)
    {
        if (value is null)
        {
            ThrowNull(nameof(value));
        }

        value.ToBytes(destination, lendian: true);
    }

    internal static void WritePoint(Span<byte> destination, PubKey value)
    {
        if (value is null)
        {
            ThrowNull(nameof(value));
        }

        PubKey compressed = value.IsCompressed ? value : value.Compress();
        compressed.ToBytes(destination, out _);
    }

    [DoesNotReturn]
    internal static void ThrowNull(string name) => throw new ArgumentNullException(name);

    [DoesNotReturn]
    internal static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination span is too short for the value being written.", "destination");

    [DoesNotReturn]
    internal static void ThrowTlvOrder(ulong type, ulong previous) =>
        throw new InvalidOperationException(
            $"TLV record type {type} written after type {previous}: BOLT #1 requires strictly increasing types.");

    [DoesNotReturn]
    internal static void ThrowPrefixTooLong(int length, int max) =>
        throw new ArgumentException($"A value of {length} bytes does not fit a length prefix whose maximum is {max}.", "value");

    [DoesNotReturn]
    internal static void ThrowNegative(string name) =>
        throw new ArgumentOutOfRangeException(name, "The length must not be negative.");
}
