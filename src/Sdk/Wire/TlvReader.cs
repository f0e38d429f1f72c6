using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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

        int start = _reader.Position;
        _recordOffset = start;
        ReadOnlySpan<byte> rest = _reader.UnreadSpan;

        // Fast path: a one-byte type and a one-byte length (types and lengths below 253), the
        // common case; same checks as the general path below.
        if (rest.Length >= 2 && rest[0] < 0xfd && rest[1] < 0xfd)
        {
            type = rest[0];
            int length = rest[1];
            if ((_hasLast && type <= _lastType) || length > rest.Length - 2)
            {
                value = default;
                return FailRecord(type, (ulong)length, start + 2, rest.Length - 2);
            }

            value = new WireReader(rest.Slice(2, length), start + 2, isTlvValue: true);
            _reader.Advance(2 + length);
            _lastType = type;
            _hasLast = true;
            return true;
        }

        return TryReadNextSlow(out type, out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadNextSlow(out ulong type, out WireReader value)
    {
        value = default;
        if (!_reader.TryReadBigSize(out type))
        {
            return Fail(_reader.Error);
        }

        if (_hasLast && type <= _lastType)
        {
            return FailRecord(type, 0, 0, 0);
        }

        if (!_reader.TryReadBigSize(out ulong length))
        {
            return Fail(_reader.Error);
        }

        if (length > (ulong)_reader.Remaining)
        {
            return FailRecord(type, length, _reader.Position, _reader.Remaining);
        }

        int valueStart = _reader.Position;
        _reader.TryReadBytes((int)length, out ReadOnlySpan<byte> bytes);
        value = new WireReader(bytes, valueStart, isTlvValue: true);
        _lastType = type;
        _hasLast = true;
        return true;
    }

    /// <summary>Reports an out-of-order type or, failing that, a length beyond the bytes left.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailRecord(ulong type, ulong length, int valueOffset, int left)
    {
        if (_hasLast && type <= _lastType)
        {
            return Fail(new WireError(
                WireErrorKind.UnorderedTlv,
                _recordOffset,
                type == _lastType ? $"duplicate TLV type {type}" : $"TLV type {type} after type {_lastType}"));
        }

        return Fail(new WireError(
            WireErrorKind.ShortRead,
            valueOffset,
            $"TLV type {type} has length {length} but only {left} bytes are left"));
    }

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
    private bool FailUnknownEven(ulong type) =>
        Fail(new WireError(WireErrorKind.UnknownEvenTlv, _recordOffset, $"unknown even TLV type {type}"));

    private bool Fail(WireError error)
    {
        _error = error;
        return false;
    }

    [DoesNotReturn]
    private readonly void ThrowError() => throw _error.ToException();
}
