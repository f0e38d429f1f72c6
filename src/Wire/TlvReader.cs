using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// Reads a BOLT #1 TLV stream record by record and enforces the stream rules: minimal type and
/// length, strictly increasing types (skipped unknown records included), and a length within the
/// bytes left. Each value comes as a <see cref="WireReader"/> bounded to it.
/// </summary>
/// <remarks>
/// <para>Typical loop:</para>
/// <code>
/// var tlv = new TlvReader(reader);
/// while (tlv.TryReadNext(out ulong type, out WireReader value))
/// {
///     switch (type)
///     {
///         case 1:
///             if (!value.TryReadTU64(out amount) || !value.TryEnsureEnd()) { error = value.Error; return false; }
///             break;
///         default:
///             if (!tlv.TryReadUnknown(type, value, out TlvRecord kept)) { error = tlv.Error; return false; }
///             unknown.Add(kept);
///             break;
///     }
/// }
/// if (tlv.Error.IsError) { error = tlv.Error; return false; }
/// </code>
/// <para>A known record must be decoded completely: a value reader that runs out of bytes or has
/// bytes left at <see cref="WireReader.TryEnsureEnd"/> reports <see cref="WireErrorKind.BadLength"/>.</para>
/// </remarks>
public ref struct TlvReader
{
    private WireReader _reader;
    private ulong _lastType;
    private bool _hasLast;
    private int _recordOffset;
    private WireError _error;

    /// <summary>Reads the TLV stream formed by the bytes <paramref name="reader"/> has left (it is not advanced).</summary>
    public TlvReader(WireReader reader)
    {
        _reader = new WireReader(reader.UnreadSpan, reader.Position);
        _recordOffset = _reader.Position;
    }

    /// <summary>Reads the TLV stream <paramref name="stream"/>; offsets start at <paramref name="baseOffset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseOffset"/> is negative.</exception>
    public TlvReader(ReadOnlySpan<byte> stream, int baseOffset = 0)
    {
        _reader = new WireReader(stream, baseOffset);
        _recordOffset = baseOffset;
    }

    /// <summary>Why the stream is invalid, or <see cref="WireError.None"/>.</summary>
    public readonly WireError Error => _error;

    /// <summary>The absolute offset of the current record's type.</summary>
    public readonly int RecordOffset => _recordOffset;

    /// <summary>The absolute offset of the next unread byte of the stream.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>Whether no bytes are left in the stream.</summary>
    public readonly bool IsEmpty => _reader.IsEmpty;

    /// <summary>
    /// Reads the next record's type and length, and returns its value as a bounded reader.
    /// Returns <see langword="false"/> at the clean end of the stream (<see cref="Error"/> stays
    /// <see cref="WireError.None"/>) and on a malformed stream (<see cref="Error"/> is set).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNext(out ulong type, out WireReader value)
    {
        if (_error.IsError || _reader.IsEmpty)
        {
            type = 0;
            value = default;
            return false;
        }

        ReadOnlySpan<byte> rest = _reader.UnreadSpan;
        int start = _reader.Position;
        int position = 0;
        ulong last = _lastType;
        _recordOffset = start;
        if (!TryReadRecord(rest, start, ref position, _hasLast, ref last, out type, out ReadOnlySpan<byte> bytes, out WireError error))
        {
            value = default;
            return Fail(error);
        }

        value = new WireReader(bytes, start + position - bytes.Length, isTlvValue: true);
        _reader.Advance(position);
        _lastType = last;
        _hasLast = true;
        return true;
    }

    /// <summary>
    /// Reads one record header of the TLV stream <paramref name="stream"/> at <paramref name="position"/>
    /// with the rules of <see cref="TryReadNext"/>, and the error that <see cref="TryReadNext"/> reports.
    /// <paramref name="position"/> moves past the record on success.
    /// </summary>
    /// <param name="stream">The TLV stream (its first byte is at offset <paramref name="baseOffset"/> of the message).</param>
    /// <param name="baseOffset">The offset of <paramref name="stream"/> in the message, for errors.</param>
    /// <param name="position">Where the record starts in <paramref name="stream"/>; there must be at least one byte left.</param>
    /// <param name="hasLast">Whether a record was read before (so <paramref name="lastType"/> applies).</param>
    /// <param name="lastType">The type of the previous record; set to <paramref name="type"/> on success.</param>
    /// <param name="type">The record's type.</param>
    /// <param name="value">The record's value.</param>
    /// <param name="error">Why the stream is malformed, on failure.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryReadRecord(ReadOnlySpan<byte> stream, int baseOffset, scoped ref int position, bool hasLast, scoped ref ulong lastType, out ulong type, out ReadOnlySpan<byte> value, out WireError error)
    {
        // The same fast path as the error-free TlvRecords.TryReadRecord, kept apart: built on that overload,
        // this reader's multi-byte records took two out-of-line calls instead of one (TlvReader_ReadTlv
        // 29-32 -> 33-36 ns, measured).
        int start = position;
        if ((uint)start < (uint)stream.Length && stream.Length - start >= 2)
        {
            // Fast path: a one-byte type and a one-byte length (types and lengths below 253), the
            // common case; same checks as the general path.
            byte t = stream[start];
            byte l = stream[start + 1];
            if (t < 0xfd && l < 0xfd)
            {
                type = t;
                if ((hasLast && t <= lastType) || l > stream.Length - start - 2)
                {
                    value = default;
                    error = RecordError(t, l, hasLast, lastType, baseOffset + start, baseOffset + start + 2, stream.Length - start - 2);
                    return false;
                }

                value = stream.Slice(start + 2, l);
                position = start + 2 + l;
                lastType = t;
                error = default;
                return true;
            }
        }

        // The general path returns its result by value, so that the caller's position and last type
        // (locals of a generated loop, once this method is inlined) are never address-taken.
        SlowRecord slow = ReadRecordSlow(stream, baseOffset, position, hasLast, lastType);
        type = slow.Type;
        error = slow.Error;
        if (error.IsError)
        {
            value = default;
            return false;
        }

        value = stream.Slice(slow.ValueStart, slow.ValueLength);
        position = slow.ValueStart + slow.ValueLength;
        lastType = slow.Type;
        return true;
    }

    private readonly record struct SlowRecord(ulong Type, int ValueStart, int ValueLength, WireError Error);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SlowRecord ReadRecordSlow(ReadOnlySpan<byte> stream, int baseOffset, int start, bool hasLast, ulong lastType)
    {
        var reader = new WireReader(stream[start..], baseOffset + start);
        if (!reader.TryReadBigSize(out ulong type))
        {
            return new SlowRecord(0, 0, 0, reader.Error);
        }

        if (hasLast && type <= lastType)
        {
            return new SlowRecord(type, 0, 0, RecordError(type, 0, hasLast, lastType, baseOffset + start, 0, 0));
        }

        if (!reader.TryReadBigSize(out ulong length))
        {
            return new SlowRecord(type, 0, 0, reader.Error);
        }

        if (length > (ulong)reader.Remaining)
        {
            return new SlowRecord(type, 0, 0, RecordError(type, length, hasLast, lastType, baseOffset + start, reader.Position, reader.Remaining));
        }

        return new SlowRecord(type, reader.Position - baseOffset, (int)length, default);
    }

    /// <summary>An out-of-order type or, failing that, a length beyond the bytes left.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WireError RecordError(ulong type, ulong length, bool hasLast, ulong lastType, int recordOffset, int valueOffset, int left)
    {
        if (hasLast && type <= lastType)
        {
            return new WireError(
                WireErrorKind.UnorderedTlv,
                recordOffset,
                type == lastType ? $"duplicate TLV type {type}" : $"TLV type {type} after type {lastType}");
        }

        return new WireError(
            WireErrorKind.ShortRead,
            valueOffset,
            $"TLV type {type} has length {length} but only {left} bytes are left");
    }

    /// <summary>The error for an unknown even record ("it's ok to be odd") whose type starts at <paramref name="recordOffset"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static WireError UnknownEvenError(ulong type, int recordOffset) =>
        new(WireErrorKind.UnknownEvenTlv, recordOffset, $"unknown even TLV type {type}");

    /// <summary>
    /// Handles a record whose type the caller does not know: an even type fails with
    /// <see cref="WireErrorKind.UnknownEvenTlv"/> ("it's ok to be odd"); an odd type succeeds and
    /// returns the record (its value copied) so that it can be written back unchanged.
    /// </summary>
    public bool TryReadUnknown(ulong type, WireReader value, out TlvRecord record)
    {
        if ((type & 1) == 0)
        {
            record = default;
            return FailUnknownEven(type);
        }

        record = new TlvRecord(type, value.UnreadSpan.ToArray());
        return true;
    }

    /// <summary>
    /// Like <see cref="TryReadUnknown"/> but keeps nothing: an even type fails, an odd type is skipped
    /// without allocating.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySkipUnknown(ulong type) => (type & 1) != 0 || FailUnknownEven(type);

    /// <summary>Reads the next record and throws for a malformed stream.</summary>
    /// <returns><see langword="false"/> at the clean end of the stream.</returns>
    /// <exception cref="WireFormatException">The stream is malformed.</exception>
    public bool ReadNext(out ulong type, out WireReader value)
    {
        if (TryReadNext(out type, out value))
        {
            return true;
        }

        if (_error.IsError)
        {
            ThrowError();
        }

        return false;
    }

    /// <summary>Handles an unknown record and throws for an even type.</summary>
    /// <exception cref="WireFormatException"><paramref name="type"/> is even.</exception>
    public TlvRecord ReadUnknown(ulong type, WireReader value)
    {
        if (!TryReadUnknown(type, value, out TlvRecord record))
        {
            ThrowError();
        }

        return record;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailUnknownEven(ulong type) => Fail(UnknownEvenError(type, _recordOffset));

    private bool Fail(WireError error)
    {
        _error = error;
        return false;
    }

    [DoesNotReturn]
    private readonly void ThrowError() => throw _error.ToException();
}
