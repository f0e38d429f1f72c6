using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.CodeGeneration;

/// <summary>
/// Helpers the generated serializers call, kept in the SDK so that each generated file stays small,
/// and the version of the contract between the SDK and its generator. For generated code only: it may
/// change between versions of the SDK.
/// </summary>
/// <remarks>
/// <see cref="N:Cln.ProtocolExtensions.CodeGeneration"/> holds everything the generated message
/// serializers and RPC method binders call besides the public API, and nothing else; all of it is
/// hidden from IntelliSense.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedCodeSupport
{
    /// <summary>
    /// The version of the contract between this SDK and the code its generator writes: the members of
    /// this namespace that generated messages and RPC method binders call, and their behaviour. The
    /// generator and its analyzers compare it with the version they write code for; on a mismatch the
    /// analyzers report CLNX1007 and the generator writes nothing, so a mismatched SDK and generator fail
    /// at compile time with one clear error. Version 2 moved these helpers into this namespace.
    /// </summary>
    public const int ContractVersion = 2;

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

    /// <summary>Throws for a field that is always on the wire but is <see langword="null"/>.</summary>
    /// <param name="type">The message or subtype.</param>
    /// <param name="member">The field.</param>
    /// <exception cref="InvalidOperationException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowNullField(string type, string member) =>
        throw new InvalidOperationException(
            $"{type}.{member} is null, but the field is always on the wire: set it (an empty array or string if it has no content), or make it an optional TLV record ([Tlv(n)] with a nullable type).");

    /// <summary>Throws for a <see langword="null"/> element of an array field.</summary>
    /// <param name="type">The message or subtype.</param>
    /// <param name="member">The array field.</param>
    /// <exception cref="InvalidOperationException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowNullElement(string type, string member) =>
        throw new InvalidOperationException($"{type}.{member} holds a null element; every element of an array is on the wire.");

    /// <summary>
    /// Throws if a message's kept TLV records (<c>UnknownTlvs</c>) hold one that decoding refuses or reads
    /// as something else: an even type (unknown even records make the decoder reject the message) or a
    /// type the message declares itself (<paramref name="declared"/>).
    /// </summary>
    /// <param name="records">The kept records.</param>
    /// <param name="type">The message.</param>
    /// <param name="declared">The TLV types the message declares.</param>
    /// <exception cref="InvalidOperationException">A record is even or declared.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowIfRefusedByDecoder(IReadOnlyList<TlvRecord> records, string type, ReadOnlySpan<ulong> declared)
    {
        for (int i = 0; i < records.Count; i++)
        {
            ulong tlvType = records[i].Type;
            if ((tlvType & 1) == 0)
            {
                throw new InvalidOperationException(
                    $"{type}.UnknownTlvs holds TLV type {tlvType}, which is even: a reader that does not know an even record rejects the message (BOLT #1), so only odd records can be kept.");
            }

            if (declared.Contains(tlvType))
            {
                throw new InvalidOperationException(
                    $"{type}.UnknownTlvs holds TLV type {tlvType}, which {type} declares itself: set that property instead.");
            }
        }
    }

    /// <summary>Appends a byte array as lowercase hex (nothing for <see langword="null"/>), for a generated <c>ToString</c>.</summary>
    /// <param name="builder">The text being built.</param>
    /// <param name="value">The bytes.</param>
    public static void AppendHex(StringBuilder builder, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (value is not null)
        {
            builder.Append(Convert.ToHexStringLower(value));
        }
    }

    /// <summary>
    /// Appends an array's elements as <c>[a, b, c]</c> (nothing for <see langword="null"/>), for a generated
    /// <c>ToString</c>: byte arrays as hex, nested arrays the same way, other values by their <c>ToString</c>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="builder">The text being built.</param>
    /// <param name="values">The elements.</param>
    public static void AppendSequence<T>(StringBuilder builder, T[]? values)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (values is null)
        {
            return;
        }

        builder.Append('[');
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            AppendElement(builder, values[i]);
        }

        builder.Append(']');
    }

    private static void AppendElement(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case byte[] bytes:
                builder.Append(Convert.ToHexStringLower(bytes));
                break;
            case Array array:
                builder.Append('[');
                for (int i = 0; i < array.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    AppendElement(builder, array.GetValue(i));
                }

                builder.Append(']');
                break;
            default:
                builder.Append(value);
                break;
        }
    }

    /// <summary>A reader bounded to a TLV record's value that starts at <paramref name="offset"/> of the message.</summary>
    public static WireReader CreateTlvValueReader(ReadOnlySpan<byte> value, int offset) => new(value, offset, isTlvValue: true);

    /// <summary>
    /// Decodes a TLV value that is exactly a truncated integer of at most <paramref name="maxBytes"/> bytes
    /// (the rules of <see cref="WireReader.TryReadTU64"/>: no leading zero byte). On failure the caller
    /// reports <see cref="TruncatedFailure"/>; nothing here touches an error, so a decoding loop keeps no
    /// error state on its success path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadTruncated(ReadOnlySpan<byte> value, int maxBytes, out ulong result)
    {
        result = 0;
        if (value.Length > maxBytes || (value.Length != 0 && value[0] == 0))
        {
            return false;
        }

        ulong v = 0;
        foreach (byte b in value)
        {
            v = (v << 8) | b;
        }

        result = v;
        return true;
    }

    /// <summary>Sets <paramref name="error"/> for a TLV value that <see cref="TryReadTruncated"/> refused; returns <see langword="false"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TruncatedFailure(ReadOnlySpan<byte> value, int offset, int maxBytes, out WireError error)
    {
        error = value.Length > maxBytes
            ? new WireError(WireErrorKind.BadLength, offset, $"a truncated integer of at most {maxBytes} bytes is {value.Length} bytes long")
            : new WireError(WireErrorKind.NonCanonical, offset, "a truncated integer has a leading zero byte");
        return false;
    }

    /// <summary>
    /// Sets <paramref name="error"/> for a TLV value of <paramref name="length"/> bytes, at
    /// <paramref name="offset"/>, whose encoding takes exactly <paramref name="expected"/> bytes (what a
    /// <see cref="WireReader"/> bounded to the value reports: too short, or bytes left over); returns
    /// <see langword="false"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TlvValueLengthFailure(int length, int offset, int expected, out WireError error)
    {
        error = length < expected
            ? new WireError(WireErrorKind.BadLength, offset, $"the TLV value is shorter than its encoding: {expected} more bytes needed, {length} left")
            : new WireError(WireErrorKind.BadLength, offset + expected, $"the TLV value is {length - expected} bytes longer than its encoding");
        return false;
    }

    /// <summary>
    /// Sets <paramref name="error"/> for a TLV value of the wrong length whose encoding is a subtype of
    /// fixed-size fields of <paramref name="fieldSizes"/> bytes: too long, as <see cref="TlvValueLengthFailure"/>;
    /// too short, the short read of the first field that does not fit, as a reader bounded to the value
    /// reports it. Returns <see langword="false"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TlvFixedLayoutFailure(ReadOnlySpan<byte> value, int offset, ReadOnlySpan<byte> fieldSizes, out WireError error)
    {
        int expected = 0;
        foreach (byte size in fieldSizes)
        {
            expected += size;
        }

        if (value.Length > expected)
        {
            return TlvValueLengthFailure(value.Length, offset, expected, out error);
        }

        var reader = CreateTlvValueReader(value, offset);
        FixedLayoutFailure(ref reader, 1, fieldSizes);
        error = reader.Error;
        return false;
    }

    /// <summary>
    /// For <paramref name="count"/> elements of fixed-size fields of <paramref name="fieldSizes"/> bytes that
    /// do not all fit in what <paramref name="reader"/> has left: reads them field by field until one does
    /// not fit, so that <paramref name="reader"/> reports the error element-by-element reading reports.
    /// Returns <see langword="false"/>.
    /// </summary>
    /// <exception cref="ArgumentException">All the elements fit.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool FixedLayoutFailure(ref WireReader reader, int count, ReadOnlySpan<byte> fieldSizes)
    {
        for (int i = 0; i < count; i++)
        {
            foreach (byte size in fieldSizes)
            {
                if (!reader.TryReadBytes(size, out _))
                {
                    return false;
                }
            }
        }

        throw new ArgumentException("The elements fit; there is no error to report.", nameof(count));
    }

    /// <summary>
    /// Keeps an unknown odd TLV record (its value copied) in <paramref name="records"/>, created on first
    /// use; out of line, so that a decoding loop that meets no unknown record does not carry the list code.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static List<TlvRecord> AddUnknownRecord(List<TlvRecord>? records, ulong type, ReadOnlySpan<byte> value)
    {
        records ??= new List<TlvRecord>();
        records.Add(new TlvRecord(type, value.ToArray()));
        return records;
    }

    /// <summary>Throws when an encoded message of <paramref name="encodedLength"/> bytes (type included) exceeds <see cref="WireMessage.MaxLength"/>.</summary>
    /// <param name="encodedLength">The length of the encoded message.</param>
    /// <exception cref="InvalidOperationException">The message is too large to send.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfTooLarge(int encodedLength) => WireMessage.ThrowIfTooLarge(encodedLength);

    /// <summary>Throws the exception a generated <c>WriteTo</c> throws for a destination shorter than the message.</summary>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    public static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination is shorter than the encoded message.", "destination");

    /// <summary>
    /// Sets <paramref name="error"/> for a message that failed a generated decoder's first check (length
    /// within 2 + <paramref name="fieldSizes"/> .. 65,535 and the type): the header error, or the short read
    /// of the first leading fixed-size field that does not fit, exactly as reading field by field reports
    /// it. Returns <see langword="false"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool HeadFailure(ReadOnlySpan<byte> message, ushort expectedType, ReadOnlySpan<byte> fieldSizes, out WireError error)
    {
        error = HeadError(message, expectedType, fieldSizes);
        return false;
    }

    private static WireError HeadError(ReadOnlySpan<byte> message, ushort expectedType, ReadOnlySpan<byte> fieldSizes)
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
