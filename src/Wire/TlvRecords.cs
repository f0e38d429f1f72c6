using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.CodeGeneration;

/// <summary>
/// TLV record headers for the serializers the generator writes: reading a record with the stream state
/// in the caller's locals, the errors of a refused record, and writing a declared record's header
/// between the kept unknown records. For generated code only: it may change between versions of the
/// SDK (see <see cref="GeneratedCodeSupport.ContractVersion"/>). Code written by hand uses
/// <see cref="TlvReader"/> and <see cref="SpanWireWriter"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TlvRecords
{
    /// <summary>
    /// Reads one record header of the TLV stream <paramref name="stream"/> at <paramref name="position"/>
    /// with the rules of <see cref="TlvReader.TryReadNext"/>, without a reader and without an error: the generated
    /// decoders keep the stream state in locals and, when this returns <see langword="false"/>, ask
    /// <see cref="RecordFailure"/> for the error. On success <paramref name="position"/> moves past the
    /// record and <paramref name="lastType"/> becomes <paramref name="type"/>; on failure neither changes.
    /// </summary>
    /// <param name="stream">The TLV stream.</param>
    /// <param name="position">Where the record starts in <paramref name="stream"/>.</param>
    /// <param name="hasLast">Whether a record was read before (so <paramref name="lastType"/> applies).</param>
    /// <param name="lastType">The type of the previous record.</param>
    /// <param name="type">The record's type.</param>
    /// <param name="value">The record's value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadRecord(ReadOnlySpan<byte> stream, scoped ref int position, bool hasLast, scoped ref ulong lastType, out ulong type, out ReadOnlySpan<byte> value)
    {
        int start = position;
        ref byte first = ref MemoryMarshal.GetReference(stream);
        if ((uint)start < (uint)stream.Length && stream.Length - start >= 2)
        {
            // Fast path: a one-byte type and a one-byte length (types and lengths below 253), the
            // common case. Both bytes are within the stream (checked just above).
            byte t = Unsafe.Add(ref first, start);
            byte l = Unsafe.Add(ref first, start + 1);
            if (t < 0xfd && l < 0xfd)
            {
                type = t;
                if ((hasLast && t <= lastType) || l > stream.Length - start - 2)
                {
                    value = default;
                    return false;
                }

                value = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref first, start + 2), l);
                position = start + 2 + l;
                lastType = t;
                return true;
            }
        }

        // The general path returns its result by value, so that the caller's position and last type
        // (locals of a generated loop, once this method is inlined) are never address-taken.
        RecordHeader header = ReadHeaderSlow(stream, start, hasLast, lastType);
        type = header.Type;
        if (header.ValueLength < 0)
        {
            value = default;
            return false;
        }

        value = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref first, header.ValueStart), header.ValueLength);
        position = header.ValueStart + header.ValueLength;
        lastType = header.Type;
        return true;
    }

    /// <summary>
    /// Sets <paramref name="error"/> to why <see cref="TryReadRecord(ReadOnlySpan{byte}, ref int, bool, ref ulong, out ulong, out ReadOnlySpan{byte})"/>
    /// refused the record at <paramref name="position"/> (the arguments it was given; offsets in the message
    /// start at <paramref name="baseOffset"/>), exactly as <see cref="TlvReader.TryReadNext"/> reports it. Returns
    /// <see langword="false"/>.
    /// </summary>
    /// <param name="stream">The TLV stream.</param>
    /// <param name="baseOffset">The offset of <paramref name="stream"/> in the message.</param>
    /// <param name="position">Where the refused record starts in <paramref name="stream"/>.</param>
    /// <param name="hasLast">Whether a record was read before.</param>
    /// <param name="lastType">The type of the previous record.</param>
    /// <param name="error">The error.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool RecordFailure(ReadOnlySpan<byte> stream, int baseOffset, int position, bool hasLast, ulong lastType, out WireError error)
    {
        if (TlvReader.TryReadRecord(stream, baseOffset, ref position, hasLast, ref lastType, out _, out _, out error))
        {
            throw new ArgumentException("The record is well formed; there is no error to report.", nameof(stream));
        }

        return false;
    }

    /// <summary>
    /// Sets <paramref name="error"/> for an unknown even record ("it's ok to be odd") of type
    /// <paramref name="type"/> whose value of <paramref name="valueLength"/> bytes starts at
    /// <paramref name="valueOffset"/> of the message. Returns <see langword="false"/>.
    /// </summary>
    /// <param name="type">The record's type.</param>
    /// <param name="valueLength">The length of its value.</param>
    /// <param name="valueOffset">The offset of its value in the message.</param>
    /// <param name="error">The error (at the record's type, as <see cref="TlvReader.TryReadUnknown"/> reports it).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool UnknownEvenFailure(ulong type, int valueLength, int valueOffset, out WireError error)
    {
        // The header was read with minimal encodings enforced, so its size follows from its values.
        int recordOffset = valueOffset - WireEncoding.BigSizeLength((ulong)valueLength) - WireEncoding.BigSizeLength(type);
        error = TlvReader.UnknownEvenError(type, recordOffset);
        return false;
    }

    private readonly record struct RecordHeader(ulong Type, int ValueStart, int ValueLength);

    /// <summary>A record header with multi-byte type or length; <see cref="RecordHeader.ValueLength"/> is -1 if it is refused.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RecordHeader ReadHeaderSlow(ReadOnlySpan<byte> stream, int start, bool hasLast, ulong lastType)
    {
        ulong last = lastType;
        int position = start;
        return TlvReader.TryReadRecord(stream, 0, ref position, hasLast, ref last, out ulong type, out ReadOnlySpan<byte> value, out _)
            ? new RecordHeader(type, position - value.Length, value.Length)
            : new RecordHeader(type, 0, -1);
    }

    /// <summary>
    /// Writes the header of a record the message declares, after the kept <paramref name="records"/>
    /// of lower types (from index <paramref name="next"/>). The generated serializers call this once
    /// per present record; with nothing kept and a one-byte type and length it is two stores.
    /// </summary>
    /// <param name="writer">The writer of the message.</param>
    /// <param name="records">The message's kept unknown records, in type order, or <see langword="null"/>.</param>
    /// <param name="next">The index of the first kept record not written yet.</param>
    /// <param name="type">The record's type.</param>
    /// <param name="valueLength">The length of its value.</param>
    /// <exception cref="InvalidOperationException"><paramref name="type"/> is not above the last record written (a kept record of the same type, for instance).</exception>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteTlvHeader(ref SpanWireWriter writer, IReadOnlyList<TlvRecord>? records, ref int next, ulong type, int valueLength) =>
        writer.WriteTlvHeader(records, ref next, type, valueLength);

    /// <summary>
    /// Writes the header of a declared record like <see cref="WriteTlvHeader"/>, reserves its
    /// <paramref name="valueLength"/> value bytes, and returns a reference to the first of them for the
    /// generated serializer to fill (it stores exactly <paramref name="valueLength"/> bytes there).
    /// </summary>
    /// <param name="writer">The writer of the message.</param>
    /// <param name="records">The message's kept unknown records, in type order, or <see langword="null"/>.</param>
    /// <param name="next">The index of the first kept record not written yet.</param>
    /// <param name="type">The record's type.</param>
    /// <param name="valueLength">The length of its value.</param>
    /// <exception cref="InvalidOperationException"><paramref name="type"/> is not above the last record written.</exception>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte ReserveTlvRecord(ref SpanWireWriter writer, IReadOnlyList<TlvRecord>? records, ref int next, ulong type, int valueLength) =>
        ref writer.ReserveTlvRecord(records, ref next, type, valueLength);
}
