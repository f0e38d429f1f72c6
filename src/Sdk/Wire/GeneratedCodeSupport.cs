using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// Helpers the generated serializers call, kept in the SDK so that each generated file stays small.
/// Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedCodeSupport
{
    /// <summary>Equality of two field values with the default comparer.</summary>
    public static bool Equal<T>(T left, T right) => EqualityComparer<T>.Default.Equals(left, right);

    /// <summary>Element-wise equality of two lists (arrays, byte arrays, kept TLV records); null equals only null.</summary>
    public static bool SequenceEqual<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds a list's length and elements to <paramref name="hash"/> (consistent with <see cref="SequenceEqual{T}"/>).</summary>
    public static void AddSequence<T>(ref HashCode hash, IReadOnlyList<T>? items)
    {
        if (items is null)
        {
            hash.Add(-1);
            return;
        }

        hash.Add(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            hash.Add(items[i]);
        }
    }

    /// <summary>Throws for a field longer than its length prefix allows.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowTooLong(string member, int length, int max) =>
        throw new InvalidOperationException($"{member} has {length} bytes or elements; its length prefix allows at most {max}.");

    /// <summary>Throws for a fixed-length field of the wrong length.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowWrongLength(string member, int length, int expected) =>
        throw new InvalidOperationException($"{member} has {length} bytes or elements; its fixed length is {expected}.");

    /// <summary>A reader bounded to a TLV record's value that starts at <paramref name="offset"/> of the message.</summary>
    public static WireReader CreateTlvValueReader(ReadOnlySpan<byte> value, int offset) => new(value, offset, isTlvValue: true);

    /// <summary>Decodes a TLV value that is exactly a <c>tu16</c> (the same rules as <see cref="WireReader.TryReadTU16"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadTlvTU16(ReadOnlySpan<byte> value, int offset, out ushort result, out WireError error)
    {
        bool ok = TryReadTlvTruncated(value, offset, 2, out ulong v, out error);
        result = (ushort)v;
        return ok;
    }

    /// <summary>Decodes a TLV value that is exactly a <c>tu32</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadTlvTU32(ReadOnlySpan<byte> value, int offset, out uint result, out WireError error)
    {
        bool ok = TryReadTlvTruncated(value, offset, 4, out ulong v, out error);
        result = (uint)v;
        return ok;
    }

    /// <summary>Decodes a TLV value that is exactly a <c>tu64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadTlvTU64(ReadOnlySpan<byte> value, int offset, out ulong result, out WireError error) =>
        TryReadTlvTruncated(value, offset, 8, out result, out error);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadTlvTruncated(ReadOnlySpan<byte> value, int offset, int maxBytes, out ulong result, out WireError error)
    {
        result = 0;
        if (value.Length > maxBytes || (value.Length != 0 && value[0] == 0))
        {
            error = TruncatedError(value, offset, maxBytes);
            return false;
        }

        ulong v = 0;
        foreach (byte b in value)
        {
            v = (v << 8) | b;
        }

        result = v;
        error = default;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WireError TruncatedError(ReadOnlySpan<byte> value, int offset, int maxBytes) =>
        value.Length > maxBytes
            ? new WireError(WireErrorKind.BadLength, offset, $"a truncated integer of at most {maxBytes} bytes is {value.Length} bytes long")
            : new WireError(WireErrorKind.NonCanonical, offset, "a truncated integer has a leading zero byte");

    /// <summary>
    /// The error for a TLV value of <paramref name="length"/> bytes, at <paramref name="offset"/>, whose
    /// encoding takes exactly <paramref name="expected"/> bytes (what a <see cref="WireReader"/> bounded to
    /// the value reports: too short, or bytes left over).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WireError TlvValueLengthError(int length, int offset, int expected) =>
        length < expected
            ? new WireError(WireErrorKind.BadLength, offset, $"the TLV value is shorter than its encoding: {expected} more bytes needed, {length} left")
            : new WireError(WireErrorKind.BadLength, offset + expected, $"the TLV value is {length - expected} bytes longer than its encoding");

    /// <summary>Throws the exception a generated <c>WriteTo</c> throws for a destination shorter than the message.</summary>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination is shorter than the encoded message.", "destination");

    /// <summary>
    /// The error of a message that failed a generated decoder's first check (length within
    /// 2 + <paramref name="fieldSizes"/> .. 65,535 and the type): the header error, or the short read of
    /// the first leading fixed-size field that does not fit, exactly as reading field by field reports it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static WireError HeadError(ReadOnlySpan<byte> message, ushort expectedType, ReadOnlySpan<byte> fieldSizes)
    {
        if (!WireMessage.TryReadHeader(message, expectedType, out _, out WireError error))
        {
            return error;
        }

        int offset = WireMessage.TypeLength;
        foreach (byte size in fieldSizes)
        {
            if (message.Length - offset < size)
            {
                return new WireError(WireErrorKind.ShortRead, offset, $"{size} bytes needed, {message.Length - offset} left");
            }

            offset += size;
        }

        throw new ArgumentException("The message's leading fields fit; there is no error to report.", nameof(message));
    }
}
