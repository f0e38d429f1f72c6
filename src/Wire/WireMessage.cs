using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// BOLT #1 message framing: a 2-byte big-endian type, then the body (fixed fields and an optional
/// TLV extension), at most <see cref="MaxLength"/> bytes in all. This is the shape of CLN's
/// <c>custommsg</c> payload and <c>sendcustommsg</c> argument.
/// </summary>
public static class WireMessage
{
    /// <summary>The largest message, type included: 65,535 bytes (the transport's 2-byte length).</summary>
    public const int MaxLength = 65535;

    /// <summary>The length of the type prefix.</summary>
    public const int TypeLength = 2;

    /// <summary>The first type of the custom range (32768 to 65535).</summary>
    public const ushort CustomTypeStart = 32768;

    /// <summary>Reads the 2-byte type of <paramref name="message"/> without decoding the rest.</summary>
    /// <returns><see langword="false"/> when the message is shorter than 2 bytes.</returns>
    public static bool TryPeekType(ReadOnlySpan<byte> message, out ushort type)
    {
        if (message.Length < TypeLength)
        {
            type = 0;
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(message);
        return true;
    }

    /// <summary>Whether a message or TLV type is odd, that is, one a receiver that does not know it may ignore.</summary>
    public static bool IsOdd(ulong type) => (type & 1) != 0;

    /// <summary>
    /// Checks a message's size and type prefix and returns a reader over its body that reports offsets
    /// from the start of the message. Errors: <see cref="WireErrorKind.TooLarge"/> over
    /// <see cref="MaxLength"/>, <see cref="WireErrorKind.ShortRead"/> under 2 bytes,
    /// <see cref="WireErrorKind.UnexpectedType"/> for another type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadHeader(ReadOnlySpan<byte> message, ushort expectedType, out WireReader body, out WireError error)
    {
        // The success path is inlined into each generated TryRead; the error (and its detail string)
        // is built out of line.
        if ((uint)(message.Length - TypeLength) <= MaxLength - TypeLength
            && BinaryPrimitives.ReadUInt16BigEndian(message) == expectedType)
        {
            body = new WireReader(message[TypeLength..], TypeLength, isTlvValue: false);
            error = default;
            return true;
        }

        body = default;
        error = HeaderError(message, expectedType);
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WireError HeaderError(ReadOnlySpan<byte> message, ushort expectedType)
    {
        if (message.Length > MaxLength)
        {
            return new WireError(WireErrorKind.TooLarge, MaxLength, $"a message is at most {MaxLength} bytes, this one is {message.Length}");
        }

        if (!TryPeekType(message, out ushort type))
        {
            return new WireError(WireErrorKind.ShortRead, 0, "a message starts with a 2-byte type");
        }

        return new WireError(WireErrorKind.UnexpectedType, 0, $"expected message type {expectedType}, got {type}");
    }

    /// <summary>Whether an encoded message of <paramref name="encodedLength"/> bytes (type included) fits the limit.</summary>
    public static bool IsWithinLimit(int encodedLength) => (uint)encodedLength <= MaxLength;

    /// <summary>Throws when an encoded message of <paramref name="encodedLength"/> bytes (type included) exceeds <see cref="MaxLength"/>.</summary>
    /// <exception cref="InvalidOperationException">The message is too large to send.</exception>
    internal static void ThrowIfTooLarge(int encodedLength)
    {
        if (!IsWithinLimit(encodedLength))
        {
            ThrowTooLarge(encodedLength);
        }
    }

    [DoesNotReturn]
    private static void ThrowTooLarge(int encodedLength) =>
        throw new InvalidOperationException(
            $"The message encodes to {encodedLength} bytes; BOLT #1 messages are at most {MaxLength} bytes, type included.");

    /// <summary>Encodes a whole message (type prefix included) into a new array.</summary>
    /// <exception cref="InvalidOperationException">The message is larger than <see cref="MaxLength"/>, or its serializer wrote a different length than it announced.</exception>
    public static byte[] ToArray(ICustomMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int length = message.GetEncodedLength();
        ThrowIfTooLarge(length);
        var bytes = new byte[length];
        CheckWritten(message, length, message.WriteTo(bytes));
        return bytes;
    }

    /// <summary>Encodes a whole message (type prefix included) into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="InvalidOperationException">The message is larger than <see cref="MaxLength"/>, or its serializer wrote a different length than it announced.</exception>
    public static int Write(ICustomMessage message, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(destination);
        int length = message.GetEncodedLength();
        ThrowIfTooLarge(length);
        Span<byte> span = destination.GetSpan(length)[..length];
        CheckWritten(message, length, message.WriteTo(span));
        destination.Advance(length);
        return length;
    }

    private static void CheckWritten(ICustomMessage message, int expected, int written)
    {
        if (written != expected)
        {
            throw new InvalidOperationException(
                $"{message.GetType().Name} announced {expected} bytes but wrote {written}.");
        }
    }
}
