using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using NBitcoin;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// A BOLT #1 encoder into an <see cref="IBufferWriter{T}"/>: the same methods as
/// <see cref="SpanWireWriter"/>. It writes into the buffer's current span and advances the buffer
/// when it needs a new one; call <see cref="Flush"/> (or <see cref="Dispose"/>) when done so that
/// the buffer sees the last bytes.
/// </summary>
/// <typeparam name="TBuffer">The buffer type; a struct buffer is used in place, through a reference.</typeparam>
public ref struct WireWriter<TBuffer>
    where TBuffer : IBufferWriter<byte>
{
    private readonly ref TBuffer _buffer;
    private Span<byte> _span;
    private int _buffered;
    private long _flushed;
    private ulong _lastTlvType;
    private bool _hasTlv;

    /// <summary>Creates a writer that appends to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    public WireWriter(ref TBuffer buffer)
    {
        if (buffer is null)
        {
            WireEncoding.ThrowNull(nameof(buffer));
        }

        _buffer = ref buffer;
        _span = default;
        _buffered = 0;
        _flushed = 0;
        _lastTlvType = 0;
        _hasTlv = false;
    }

    /// <summary>The number of bytes written so far, flushed or not.</summary>
    public readonly int Written => checked((int)(_flushed + _buffered));

    /// <summary>Advances the buffer past the bytes written since the last flush.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _buffer.Advance(_buffered);
            _flushed += _buffered;
            _buffered = 0;
        }

        _span = default;
    }

    /// <summary>Flushes; a <see langword="using"/> declaration calls it at the end of the scope.</summary>
    public void Dispose() => Flush();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int length)
    {
        if ((uint)length > (uint)(_span.Length - _buffered))
        {
            Grow(length);
        }

        Span<byte> span = _span.Slice(_buffered, length);
        _buffered += length;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int length)
    {
        if (length < 0)
        {
            WireEncoding.ThrowNegative(nameof(length));
        }

        Flush();
        _span = _buffer.GetSpan(length);
        if (_span.Length < length)
        {
            WireEncoding.ThrowDestinationTooShort();
        }
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

    /// <summary>Writes the kept records of <paramref name="records"/> from index <paramref name="next"/> to the end.</summary>
    public void WriteRemainingTlvRecords(IReadOnlyList<TlvRecord>? records, ref int next)
    {
        if (records is null)
        {
            return;
        }

        while (next < records.Count)
        {
            WriteTlv(records[next]);
            next++;
        }
    }
}
