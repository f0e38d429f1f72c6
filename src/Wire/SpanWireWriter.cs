using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using NBitcoin;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// A BOLT #1 encoder into a caller-provided span: big-endian fundamental types, minimal encodings,
/// TLV records with their order checked. Generated serializers use it with the exact length they
/// computed up front.
/// </summary>
/// <remarks>
/// Writing past the end of the span throws <see cref="ArgumentException"/>; nothing allocates.
/// </remarks>
public ref struct SpanWireWriter
{
    private readonly Span<byte> _destination;
    private int _written;
    private ulong _lastTlvType;
    private bool _hasTlv;

    /// <summary>Creates a writer that fills <paramref name="destination"/> from its start.</summary>
    public SpanWireWriter(Span<byte> destination)
    {
        _destination = destination;
        _written = 0;
        _lastTlvType = 0;
        _hasTlv = false;
    }

    /// <summary>The number of bytes written so far.</summary>
    public readonly int Written => _written;

    /// <summary>The number of bytes still free in the destination.</summary>
    public readonly int Free => _destination.Length - _written;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _destination[.._written];

    /// <summary>
    /// Takes the next <paramref name="length"/> bytes of the destination for the caller to fill
    /// (the generated serializers write a run of fixed-size fields this way, with one bounds check).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than <paramref name="length"/> bytes are free, or <paramref name="length"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> ReserveSpan(int length) => Reserve(length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int length)
    {
        if ((uint)length > (uint)(_destination.Length - _written))
        {
            WireEncoding.ThrowDestinationTooShort();
        }

        Span<byte> span = _destination.Slice(_written, length);
        _written += length;
        return span;
    }

    /// <summary>Writes a <c>byte</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        Span<byte> d = Reserve(1);
        d[0] = value;
    }

    /// <summary>Writes a <c>bool</c> as one byte: 1 for <see langword="true"/>, 0 for <see langword="false"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes a big-endian <c>u16</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteU16(ushort value)
    {
        Span<byte> d = Reserve(2);
        BinaryPrimitives.WriteUInt16BigEndian(d, value);
    }

    /// <summary>Writes a big-endian <c>u32</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteU32(uint value)
    {
        Span<byte> d = Reserve(4);
        BinaryPrimitives.WriteUInt32BigEndian(d, value);
    }

    /// <summary>Writes a big-endian <c>u64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteU64(ulong value)
    {
        Span<byte> d = Reserve(8);
        BinaryPrimitives.WriteUInt64BigEndian(d, value);
    }

    /// <summary>Writes an <c>s8</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteS8(sbyte value)
    {
        Span<byte> d = Reserve(1);
        d[0] = (byte)value;
    }

    /// <summary>Writes a big-endian <c>s16</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteS16(short value)
    {
        Span<byte> d = Reserve(2);
        BinaryPrimitives.WriteInt16BigEndian(d, value);
    }

    /// <summary>Writes a big-endian <c>s32</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteS32(int value)
    {
        Span<byte> d = Reserve(4);
        BinaryPrimitives.WriteInt32BigEndian(d, value);
    }

    /// <summary>Writes a big-endian <c>s64</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteS64(long value)
    {
        Span<byte> d = Reserve(8);
        BinaryPrimitives.WriteInt64BigEndian(d, value);
    }

    /// <summary>Writes a <c>tu16</c>: the value's minimal big-endian bytes (none for 0). Only valid as the last field of a TLV value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTU16(ushort value)
    {
        Span<byte> d = Reserve(WireEncoding.TruncatedLength(value));
        WireEncoding.WriteTruncated(d, value);
    }

    /// <summary>Writes a <c>tu32</c>: the value's minimal big-endian bytes (none for 0). Only valid as the last field of a TLV value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTU32(uint value)
    {
        Span<byte> d = Reserve(WireEncoding.TruncatedLength(value));
        WireEncoding.WriteTruncated(d, value);
    }

    /// <summary>Writes a <c>tu64</c>: the value's minimal big-endian bytes (none for 0). Only valid as the last field of a TLV value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTU64(ulong value)
    {
        Span<byte> d = Reserve(WireEncoding.TruncatedLength(value));
        WireEncoding.WriteTruncated(d, value);
    }

    /// <summary>Writes a minimal <c>bigsize</c> (1, 3, 5 or 9 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBigSize(ulong value)
    {
        Span<byte> d = Reserve(WireEncoding.BigSizeLength(value));
        WireEncoding.WriteBigSize(d, value);
    }

    /// <summary>Writes a <c>chain_hash</c>: the 32 bytes of <c>value.ToBytes()</c> (NBitcoin's internal order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteChainHash(uint256 value)
    {
        if (value is null)
        {
            WireEncoding.ThrowNull(nameof(value));
        }

        Span<byte> d = Reserve(WireSize.Hash);
        WireEncoding.WriteHash(d, value);
    }

    /// <summary>Writes a <c>sha256</c>: the 32 bytes of <c>value.ToBytes()</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteSha256(uint256 value)
    {
        if (value is null)
        {
            WireEncoding.ThrowNull(nameof(value));
        }

        Span<byte> d = Reserve(WireSize.Hash);
        WireEncoding.WriteHash(d, value);
    }

    /// <summary>Writes a 32-byte <c>channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteChannelId(ChannelId value)
    {
        Span<byte> d = Reserve(ChannelId.Length);
        value.WriteTo(d);
    }

    /// <summary>Writes a 64-byte compact ECDSA <c>signature</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteSignature(CompactEcdsaSignature value)
    {
        Span<byte> d = Reserve(CompactEcdsaSignature.Length);
        value.WriteTo(d);
    }

    /// <summary>Writes a 64-byte <c>bip340sig</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBip340Signature(Bip340Signature value)
    {
        Span<byte> d = Reserve(Bip340Signature.Length);
        value.WriteTo(d);
    }

    /// <summary>Writes a <c>point</c>: the 33-byte compressed public key (an uncompressed key is compressed first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WritePoint(PubKey value)
    {
        if (value is null)
        {
            WireEncoding.ThrowNull(nameof(value));
        }

        Span<byte> d = Reserve(WireSize.Point);
        WireEncoding.WritePoint(d, value);
    }

    /// <summary>Writes an 8-byte <c>short_channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteShortChannelId(ShortChannelId value)
    {
        Span<byte> d = Reserve(WireSize.ShortChannelId);
        BinaryPrimitives.WriteUInt64BigEndian(d, value.ToUInt64());
    }

    /// <summary>Writes the bytes as they are (a fixed-length array or the rest of a TLV value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Span<byte> d = Reserve(value.Length);
        value.CopyTo(d);
    }

    /// <summary>Writes a <c>sciddir_or_pubkey</c>: 33 bytes for a node id, else the direction byte and the short channel id.</summary>
    public void WriteSciddirOrPubKey(SciddirOrPubKey value)
    {
        if (value.IsPubKey)
        {
            WritePoint(value.PubKey);
        }
        else
        {
            WriteByte(value.Direction);
            WriteShortChannelId(value.ShortChannelId);
        }
    }

    /// <summary>Writes the UTF-8 bytes of <paramref name="value"/> (no length prefix).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds a lone surrogate, so it has no valid UTF-8 form.</exception>
    public void WriteUtf8(string value)
    {
        if (value is null)
        {
            WireEncoding.ThrowNull(nameof(value));
        }

        Span<byte> d = Reserve(WireEncoding.StrictUtf8.GetByteCount(value));
        WireEncoding.StrictUtf8.GetBytes(value, d);
    }

    /// <summary>Writes a <c>u8</c> length then the bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is longer than 255 bytes.</exception>
    public void WriteU8PrefixedBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length > byte.MaxValue)
        {
            WireEncoding.ThrowPrefixTooLong(value.Length, byte.MaxValue);
        }

        WriteByte((byte)value.Length);
        WriteBytes(value);
    }

    /// <summary>Writes a big-endian <c>u16</c> length then the bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is longer than 65,535 bytes.</exception>
    public void WriteU16PrefixedBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            WireEncoding.ThrowPrefixTooLong(value.Length, ushort.MaxValue);
        }

        WriteU16((ushort)value.Length);
        WriteBytes(value);
    }

    /// <summary>Writes a <c>bigsize</c> length then the bytes.</summary>
    public void WriteBigSizePrefixedBytes(ReadOnlySpan<byte> value)
    {
        WriteBigSize((ulong)value.Length);
        WriteBytes(value);
    }

    /// <summary>
    /// Starts a new TLV stream: forgets the last record type, so the next record may have any type.
    /// Needed only when one writer writes more than one TLV stream.
    /// </summary>
    public void BeginTlvStream()
    {
        _hasTlv = false;
        _lastTlvType = 0;
    }

    /// <summary>
    /// Writes a TLV record's type and length; the caller then writes exactly
    /// <paramref name="valueLength"/> bytes of value.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="type"/> is not greater than the previous record's type in this stream.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTlvHeader(ulong type, int valueLength)
    {
        if (_hasTlv && type <= _lastTlvType)
        {
            WireEncoding.ThrowTlvOrder(type, _lastTlvType);
        }

        if (valueLength < 0)
        {
            WireEncoding.ThrowNegative(nameof(valueLength));
        }

        WriteBigSize(type);
        WriteBigSize((ulong)valueLength);
        _lastTlvType = type;
        _hasTlv = true;
    }

    /// <summary>Writes a whole TLV record: type, length, value.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="type"/> is not greater than the previous record's type in this stream.</exception>
    public void WriteTlv(ulong type, ReadOnlySpan<byte> value)
    {
        WriteTlvHeader(type, value.Length);
        WriteBytes(value);
    }

    /// <summary>Writes a kept record (for example an unknown odd record read earlier).</summary>
    /// <exception cref="InvalidOperationException">The record's type is not greater than the previous record's type in this stream.</exception>
    public void WriteTlv(in TlvRecord record) => WriteTlv(record.Type, record.Value.Span);

    /// <summary>
    /// Writes the kept records of <paramref name="records"/>, from index <paramref name="next"/> on,
    /// whose type is below <paramref name="typeLimit"/>, and advances <paramref name="next"/> past them.
    /// Lets a serializer interleave kept unknown records (sorted by type) with its known records.
    /// </summary>
    public void WriteTlvRecordsBefore(IReadOnlyList<TlvRecord>? records, ref int next, ulong typeLimit)
    {
        if (records is null)
        {
            return;
        }

        while (next < records.Count && records[next].Type < typeLimit)
        {
            WriteTlv(records[next]);
            next++;
        }
    }

    /// <summary>What <see cref="CodeGeneration.TlvRecords.WriteTlvHeader"/> does (it needs this writer's state).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTlvHeader(IReadOnlyList<TlvRecord>? records, ref int next, ulong type, int valueLength)
    {
        if (records is null && type < 0xfd && (uint)valueLength < 0xfd && (!_hasTlv || type > _lastTlvType)
            && _destination.Length - _written >= 2)
        {
            ref byte at = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(_destination), (nint)(uint)_written);
            at = (byte)type;
            Unsafe.Add(ref at, 1) = (byte)valueLength;
            _written += 2;
            _lastTlvType = type;
            _hasTlv = true;
            return;
        }

        WriteTlvRecordsBefore(records, ref next, type);
        WriteTlvHeader(type, valueLength);
    }

    /// <summary>What <see cref="CodeGeneration.TlvRecords.ReserveTlvRecord"/> does (it needs this writer's state).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte ReserveTlvRecord(IReadOnlyList<TlvRecord>? records, ref int next, ulong type, int valueLength)
    {
        if (records is null && type < 0xfd && (uint)valueLength < 0xfd && (!_hasTlv || type > _lastTlvType)
            && _destination.Length - _written >= 2 + valueLength)
        {
            ref byte at = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(_destination), (nint)(uint)_written);
            at = (byte)type;
            Unsafe.Add(ref at, 1) = (byte)valueLength;
            _written += 2 + valueLength;
            _lastTlvType = type;
            _hasTlv = true;
            return ref Unsafe.Add(ref at, 2);
        }

        return ref ReserveTlvRecordSlow(records, ref next, type, valueLength);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref byte ReserveTlvRecordSlow(IReadOnlyList<TlvRecord>? records, ref int next, ulong type, int valueLength)
    {
        WriteTlvRecordsBefore(records, ref next, type);
        WriteTlvHeader(type, valueLength);
        return ref System.Runtime.InteropServices.MemoryMarshal.GetReference(Reserve(valueLength));
    }

    /// <summary>Writes the kept records of <paramref name="records"/> from index <paramref name="next"/> to the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRemainingTlvRecords(IReadOnlyList<TlvRecord>? records, ref int next)
    {
        if (records is not null)
        {
            WriteRemainingTlvRecordsCore(records, ref next);
        }
    }

    // The loop stays out of line: generated serializers inline the null check only.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteRemainingTlvRecordsCore(IReadOnlyList<TlvRecord> records, ref int next)
    {
        while (next < records.Count)
        {
            WriteTlv(records[next]);
            next++;
        }
    }
}
