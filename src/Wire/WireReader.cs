using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using NBitcoin;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// A forward-only BOLT #1 decoder over a span of bytes: big-endian fundamental types, strict
/// (minimal) encodings, and no allocation except where a value is an object (<see cref="PubKey"/>,
/// <see cref="uint256"/>, arrays, strings).
/// </summary>
/// <remarks>
/// <para>The <c>TryReadX</c> methods never throw for malformed input: on failure they return
/// <see langword="false"/>, leave <see cref="Position"/> where the value started and set
/// <see cref="Error"/> to the reason and absolute byte offset. The <c>ReadX</c> forms throw
/// <see cref="WireFormatException"/> instead.</para>
/// <para>A reader that <see cref="TlvReader"/> hands out for a record value is bounded to that value:
/// running out of bytes, or leaving bytes behind at <see cref="TryEnsureEnd"/>, is then reported as
/// <see cref="WireErrorKind.BadLength"/>, since the record's length does not match its encoding.</para>
/// </remarks>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _baseOffset;
    private readonly bool _isTlvValue;
    private int _position;
    private WireError _error;

    /// <summary>Creates a reader over <paramref name="buffer"/>; offsets start at 0.</summary>
    public WireReader(ReadOnlySpan<byte> buffer)
        : this(buffer, 0)
    {
    }

    /// <summary>
    /// Creates a reader over <paramref name="buffer"/> whose first byte is at offset
    /// <paramref name="baseOffset"/> of a larger input, so that errors report offsets in that input.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseOffset"/> is negative.</exception>
    public WireReader(ReadOnlySpan<byte> buffer, int baseOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseOffset);
        _buffer = buffer;
        _baseOffset = baseOffset;
    }

    internal WireReader(ReadOnlySpan<byte> buffer, int baseOffset, bool isTlvValue)
    {
        _buffer = buffer;
        _baseOffset = baseOffset;
        _isTlvValue = isTlvValue;
    }

    /// <summary>The absolute offset of the next byte to read.</summary>
    public readonly int Position => _baseOffset + _position;

    /// <summary>The number of bytes left.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool IsEmpty => _position >= _buffer.Length;

    /// <summary>The reason the last failed <c>TryReadX</c> call failed, or <see cref="WireError.None"/>.</summary>
    public readonly WireError Error => _error;

    /// <summary>The bytes not read yet (does not advance).</summary>
    public readonly ReadOnlySpan<byte> UnreadSpan => _buffer[_position..];

    /// <summary>Skips <paramref name="count"/> bytes the caller has checked are there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Advance(int count) => _position += count;

    // ---------------------------------------------------------------- failure plumbing

    private readonly WireErrorKind ShortKind => _isTlvValue ? WireErrorKind.BadLength : WireErrorKind.ShortRead;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailShort(int needed)
    {
        _error = new WireError(
            ShortKind,
            Position,
            _isTlvValue
                ? $"the TLV value is shorter than its encoding: {needed} more bytes needed, {Remaining} left"
                : $"{needed} bytes needed, {Remaining} left");
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Fail(WireErrorKind kind, int absoluteOffset, string detail)
    {
        _error = new WireError(kind, absoluteOffset, detail);
        return false;
    }

    // Failures that format a detail do it out of line, so that the string building never sits in
    // (and slows down) the inlined success path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailTruncatedTooLong(int maxBytes, int length) =>
        Fail(WireErrorKind.BadLength, Position, $"a truncated integer of at most {maxBytes} bytes is {length} bytes long");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailSciddirPrefix(byte first) =>
        Fail(WireErrorKind.InvalidValue, Position, $"sciddir_or_pubkey cannot start with byte {first}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailBool(byte value) =>
        Fail(WireErrorKind.InvalidValue, Position, $"a bool is the byte 0 or 1, not {value}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FailTrailing() =>
        _isTlvValue
            ? Fail(WireErrorKind.BadLength, Position, $"the TLV value is {Remaining} bytes longer than its encoding")
            : Fail(WireErrorKind.TrailingBytes, Position, $"{Remaining} unexpected bytes after the end");

    [DoesNotReturn]
    private readonly void ThrowError() => throw _error.ToException();

    // ---------------------------------------------------------------- fixed-size integers

    /// <summary>A reference to the byte at <paramref name="index"/> of the buffer; the caller has checked the bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ref byte At(int index) => ref Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), (nint)(uint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort LoadU16(ref byte source)
    {
        ushort raw = Unsafe.ReadUnaligned<ushort>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LoadU32(ref byte source)
    {
        uint raw = Unsafe.ReadUnaligned<uint>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LoadU64(ref byte source)
    {
        ulong raw = Unsafe.ReadUnaligned<ulong>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    /// <summary>Reads a <c>byte</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadByte(out byte value)
    {
        if ((uint)_position < (uint)_buffer.Length)
        {
            value = _buffer[_position++];
            return true;
        }

        value = 0;
        return FailShort(1);
    }

    /// <summary>
    /// Reads a <c>bool</c>: one byte that is exactly 0 (<see langword="false"/>) or 1
    /// (<see langword="true"/>); any other byte is <see cref="WireErrorKind.InvalidValue"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBool(out bool value)
    {
        if ((uint)_position < (uint)_buffer.Length && _buffer[_position] <= 1)
        {
            value = _buffer[_position++] != 0;
            return true;
        }

        value = false;
        return (uint)_position < (uint)_buffer.Length ? FailBool(_buffer[_position]) : FailShort(1);
    }

    /// <summary>Reads a big-endian <c>u16</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadU16(out ushort value)
    {
        int position = _position;
        if (_buffer.Length - position >= 2)
        {
            value = LoadU16(ref At(position));
            _position = position + 2;
            return true;
        }

        value = 0;
        return FailShort(2);
    }

    /// <summary>Reads a big-endian <c>u32</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadU32(out uint value)
    {
        int position = _position;
        if (_buffer.Length - position >= 4)
        {
            value = LoadU32(ref At(position));
            _position = position + 4;
            return true;
        }

        value = 0;
        return FailShort(4);
    }

    /// <summary>Reads a big-endian <c>u64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadU64(out ulong value)
    {
        int position = _position;
        if (_buffer.Length - position >= 8)
        {
            value = LoadU64(ref At(position));
            _position = position + 8;
            return true;
        }

        value = 0;
        return FailShort(8);
    }

    /// <summary>Reads an <c>s8</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadS8(out sbyte value)
    {
        bool ok = TryReadByte(out byte b);
        value = (sbyte)b;
        return ok;
    }

    /// <summary>Reads a big-endian <c>s16</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadS16(out short value)
    {
        bool ok = TryReadU16(out ushort v);
        value = (short)v;
        return ok;
    }

    /// <summary>Reads a big-endian <c>s32</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadS32(out int value)
    {
        bool ok = TryReadU32(out uint v);
        value = (int)v;
        return ok;
    }

    /// <summary>Reads a big-endian <c>s64</c> (two's complement).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadS64(out long value)
    {
        bool ok = TryReadU64(out ulong v);
        value = (long)v;
        return ok;
    }

    // ---------------------------------------------------------------- truncated integers

    /// <summary>
    /// Reads a <c>tu16</c>: all remaining bytes of this reader (the rest of a TLV value), at most 2,
    /// without leading zeros. Zero bytes decode to 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadTU16(out ushort value)
    {
        bool ok = TryReadTruncated(2, out ulong v);
        value = (ushort)v;
        return ok;
    }

    /// <summary>Reads a <c>tu32</c>: all remaining bytes, at most 4, without leading zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadTU32(out uint value)
    {
        bool ok = TryReadTruncated(4, out ulong v);
        value = (uint)v;
        return ok;
    }

    /// <summary>Reads a <c>tu64</c>: all remaining bytes, at most 8, without leading zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadTU64(out ulong value) => TryReadTruncated(8, out value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadTruncated(int maxBytes, out ulong value)
    {
        ReadOnlySpan<byte> bytes = _buffer[_position..];
        value = 0;
        if (bytes.Length > maxBytes)
        {
            return FailTruncatedTooLong(maxBytes, bytes.Length);
        }

        if (bytes.Length != 0 && bytes[0] == 0)
        {
            return Fail(WireErrorKind.NonCanonical, Position, "a truncated integer has a leading zero byte");
        }

        ulong v = 0;
        foreach (byte b in bytes)
        {
            v = (v << 8) | b;
        }

        value = v;
        _position = _buffer.Length;
        return true;
    }

    // ---------------------------------------------------------------- bigsize

    /// <summary>Reads a minimally encoded <c>bigsize</c> (1, 3, 5 or 9 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBigSize(out ulong value)
    {
        ReadOnlySpan<byte> bytes = _buffer[_position..];
        if (!bytes.IsEmpty && bytes[0] < 0xfd)
        {
            value = bytes[0];
            _position++;
            return true;
        }

        return TryReadBigSizeSlow(bytes, out value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryReadBigSizeSlow(ReadOnlySpan<byte> bytes, out ulong value)
    {
        value = 0;
        if (bytes.IsEmpty)
        {
            return FailShort(1);
        }

        ulong v;
        ulong min;
        int length;
        switch (bytes[0])
        {
            case 0xfd:
                if (bytes.Length < 3)
                {
                    return FailShort(3);
                }

                v = BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]);
                min = 0xfd;
                length = 3;
                break;
            case 0xfe:
                if (bytes.Length < 5)
                {
                    return FailShort(5);
                }

                v = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
                min = 0x1_0000;
                length = 5;
                break;
            default:
                if (bytes.Length < 9)
                {
                    return FailShort(9);
                }

                v = BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]);
                min = 0x1_0000_0000;
                length = 9;
                break;
        }

        if (v < min)
        {
            return Fail(WireErrorKind.NonCanonical, Position, "decoded bigsize is not canonical");
        }

        value = v;
        _position += length;
        return true;
    }

    // ---------------------------------------------------------------- 32-byte values

    /// <summary>Reads a <c>chain_hash</c>: 32 bytes in NBitcoin's internal order (<c>new uint256(bytes)</c>).</summary>
    public bool TryReadChainHash([MaybeNullWhen(false)] out uint256 value) => TryReadHash(out value);

    /// <summary>Reads a <c>sha256</c>: 32 bytes in NBitcoin's internal order.</summary>
    public bool TryReadSha256([MaybeNullWhen(false)] out uint256 value) => TryReadHash(out value);

    private bool TryReadHash([MaybeNullWhen(false)] out uint256 value)
    {
        if (Remaining >= WireSize.Hash)
        {
            value = new uint256(_buffer.Slice(_position, WireSize.Hash));
            _position += WireSize.Hash;
            return true;
        }

        value = null;
        return FailShort(WireSize.Hash);
    }

    /// <summary>Reads a 32-byte <c>channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadChannelId(out ChannelId value)
    {
        if (Remaining >= ChannelId.Length)
        {
            value = ChannelId.FromValidated(_buffer.Slice(_position, ChannelId.Length));
            _position += ChannelId.Length;
            return true;
        }

        value = default;
        return FailShort(ChannelId.Length);
    }

    // ---------------------------------------------------------------- signatures and points

    /// <summary>Reads a 64-byte compact ECDSA <c>signature</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadSignature(out CompactEcdsaSignature value)
    {
        if (Remaining >= CompactEcdsaSignature.Length)
        {
            value = CompactEcdsaSignature.FromValidated(_buffer.Slice(_position, CompactEcdsaSignature.Length));
            _position += CompactEcdsaSignature.Length;
            return true;
        }

        value = default;
        return FailShort(CompactEcdsaSignature.Length);
    }

    /// <summary>Reads a 64-byte BIP-340 <c>bip340sig</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBip340Signature(out Bip340Signature value)
    {
        if (Remaining >= Bip340Signature.Length)
        {
            value = Bip340Signature.FromValidated(_buffer.Slice(_position, Bip340Signature.Length));
            _position += Bip340Signature.Length;
            return true;
        }

        value = default;
        return FailShort(Bip340Signature.Length);
    }

    /// <summary>
    /// Reads a <c>point</c>: 33 bytes, a compressed secp256k1 public key (prefix 2 or 3) that is on the
    /// curve, else <see cref="WireErrorKind.InvalidValue"/>.
    /// </summary>
    public bool TryReadPoint([MaybeNullWhen(false)] out PubKey value)
    {
        value = null;
        if (Remaining < WireSize.Point)
        {
            return FailShort(WireSize.Point);
        }

        ReadOnlySpan<byte> bytes = _buffer.Slice(_position, WireSize.Point);
        if ((bytes[0] != 2 && bytes[0] != 3) || !PubKey.TryCreatePubKey(bytes, out PubKey? key))
        {
            return Fail(WireErrorKind.InvalidValue, Position, "not a valid compressed secp256k1 point");
        }

        value = key;
        _position += WireSize.Point;
        return true;
    }

    // ---------------------------------------------------------------- channel references

    /// <summary>Reads an 8-byte <c>short_channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadShortChannelId(out ShortChannelId value)
    {
        bool ok = TryReadU64(out ulong v);
        value = ShortChannelId.FromUInt64(v);
        return ok;
    }

    /// <summary>
    /// Reads a <c>sciddir_or_pubkey</c>: a first byte of 0 or 1 then a <c>short_channel_id</c>
    /// (9 bytes), or a 33-byte <c>point</c>; any other first byte is <see cref="WireErrorKind.InvalidValue"/>.
    /// </summary>
    public bool TryReadSciddirOrPubKey(out SciddirOrPubKey value)
    {
        value = default;
        if (IsEmpty)
        {
            return FailShort(1);
        }

        byte first = _buffer[_position];
        if (first <= 1)
        {
            if (Remaining < 9)
            {
                return FailShort(9);
            }

            value = SciddirOrPubKey.FromShortChannelId(
                first, ShortChannelId.FromUInt64(BinaryPrimitives.ReadUInt64BigEndian(_buffer.Slice(_position + 1, 8))));
            _position += 9;
            return true;
        }

        if (first > 3)
        {
            return FailSciddirPrefix(first);
        }

        if (!TryReadPoint(out PubKey? key))
        {
            return false;
        }

        value = SciddirOrPubKey.FromPubKey(key);
        return true;
    }

    // ---------------------------------------------------------------- byte arrays and strings

    /// <summary>Reads <paramref name="length"/> bytes as a span over the input (no copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadBytes(int length, out ReadOnlySpan<byte> value)
    {
        if ((uint)length <= (uint)Remaining)
        {
            value = _buffer.Slice(_position, length);
            _position += length;
            return true;
        }

        value = default;
        return length < 0 ? Fail(WireErrorKind.BadLength, Position, "negative length") : FailShort(length);
    }

    /// <summary>Reads <paramref name="length"/> bytes into a new array; the length is checked against the bytes left first.</summary>
    public bool TryReadByteArray(int length, [MaybeNullWhen(false)] out byte[] value)
    {
        if (!TryReadBytes(length, out ReadOnlySpan<byte> bytes))
        {
            value = null;
            return false;
        }

        value = bytes.ToArray();
        return true;
    }

    /// <summary>Reads a <c>u8</c> length then that many bytes (no copy).</summary>
    public bool TryReadU8PrefixedBytes(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        if (!TryReadByte(out byte length) || !TryReadBytes(length, out value))
        {
            _position = start;
            value = default;
            return false;
        }

        return true;
    }

    /// <summary>Reads a big-endian <c>u16</c> length then that many bytes (no copy).</summary>
    public bool TryReadU16PrefixedBytes(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        if (!TryReadU16(out ushort length) || !TryReadBytes(length, out value))
        {
            _position = start;
            value = default;
            return false;
        }

        return true;
    }

    /// <summary>Reads a <c>bigsize</c> length then that many bytes (no copy); the length is checked against the bytes left.</summary>
    public bool TryReadBigSizePrefixedBytes(out ReadOnlySpan<byte> value)
    {
        int start = _position;
        value = default;
        if (!TryReadBigSize(out ulong length))
        {
            return false;
        }

        if (length > (ulong)Remaining)
        {
            bool failed = FailShort(length > int.MaxValue ? int.MaxValue : (int)length);
            _position = start;
            return failed;
        }

        value = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>
    /// Reads <paramref name="length"/> bytes of <c>utf8</c> text; bytes that are not valid UTF-8 are
    /// <see cref="WireErrorKind.InvalidValue"/>.
    /// </summary>
    public bool TryReadUtf8(int length, [MaybeNullWhen(false)] out string value)
    {
        value = null;
        int start = _position;
        if (!TryReadBytes(length, out ReadOnlySpan<byte> bytes))
        {
            return false;
        }

        if (!Utf8.IsValid(bytes))
        {
            _position = start;
            return Fail(WireErrorKind.InvalidValue, Position, "invalid UTF-8");
        }

        value = WireEncoding.StrictUtf8.GetString(bytes);
        return true;
    }

    /// <summary>Reads all remaining bytes as <c>utf8</c> text (for a <c>[...*utf8]</c> TLV value).</summary>
    public bool TryReadUtf8Remaining([MaybeNullWhen(false)] out string value) => TryReadUtf8(Remaining, out value);

    /// <summary>Reads all remaining bytes (no copy). Never fails.</summary>
    public bool TryReadRemaining(out ReadOnlySpan<byte> value)
    {
        value = _buffer[_position..];
        _position = _buffer.Length;
        return true;
    }

    /// <summary>
    /// Takes the next <paramref name="length"/> bytes as a separate reader (which reports absolute
    /// offsets) and advances past them.
    /// </summary>
    public bool TrySlice(int length, out WireReader value)
    {
        int start = Position;
        if (!TryReadBytes(length, out ReadOnlySpan<byte> bytes))
        {
            value = default;
            return false;
        }

        value = new WireReader(bytes, start, _isTlvValue);
        return true;
    }

    /// <summary>
    /// Checks that every byte was read: <see cref="WireErrorKind.TrailingBytes"/> otherwise
    /// (<see cref="WireErrorKind.BadLength"/> in a TLV record value longer than its encoding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnsureEnd()
    {
        if (_position >= _buffer.Length)
        {
            return true;
        }

        return FailTrailing();
    }

    // ---------------------------------------------------------------- throwing forms

    /// <summary>Reads a <c>byte</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public byte ReadByte()
    {
        if (!TryReadByte(out byte v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a big-endian <c>u16</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ushort ReadU16()
    {
        if (!TryReadU16(out ushort v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a big-endian <c>u32</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public uint ReadU32()
    {
        if (!TryReadU32(out uint v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a big-endian <c>u64</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ulong ReadU64()
    {
        if (!TryReadU64(out ulong v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads an <c>s8</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public sbyte ReadS8()
    {
        if (!TryReadS8(out sbyte v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>bool</c> (the byte 0 or 1).</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public bool ReadBool()
    {
        if (!TryReadBool(out bool v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a big-endian <c>s16</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public short ReadS16()
    {
        if (!TryReadS16(out short v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a big-endian <c>s32</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public int ReadS32()
    {
        if (!TryReadS32(out int v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a big-endian <c>s64</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public long ReadS64()
    {
        if (!TryReadS64(out long v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>tu16</c> from all remaining bytes.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ushort ReadTU16()
    {
        if (!TryReadTU16(out ushort v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>tu32</c> from all remaining bytes.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public uint ReadTU32()
    {
        if (!TryReadTU32(out uint v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>tu64</c> from all remaining bytes.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ulong ReadTU64()
    {
        if (!TryReadTU64(out ulong v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a minimally encoded <c>bigsize</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ulong ReadBigSize()
    {
        if (!TryReadBigSize(out ulong v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>chain_hash</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public uint256 ReadChainHash()
    {
        if (!TryReadChainHash(out uint256? v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>sha256</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public uint256 ReadSha256()
    {
        if (!TryReadSha256(out uint256? v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>channel_id</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ChannelId ReadChannelId()
    {
        if (!TryReadChannelId(out ChannelId v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>signature</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public CompactEcdsaSignature ReadSignature()
    {
        if (!TryReadSignature(out CompactEcdsaSignature v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>bip340sig</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public Bip340Signature ReadBip340Signature()
    {
        if (!TryReadBip340Signature(out Bip340Signature v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>point</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed or not a point on the curve.</exception>
    public PubKey ReadPoint()
    {
        if (!TryReadPoint(out PubKey? v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>short_channel_id</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ShortChannelId ReadShortChannelId()
    {
        if (!TryReadShortChannelId(out ShortChannelId v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>sciddir_or_pubkey</c>.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public SciddirOrPubKey ReadSciddirOrPubKey()
    {
        if (!TryReadSciddirOrPubKey(out SciddirOrPubKey v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads <paramref name="length"/> bytes (no copy).</summary>
    /// <exception cref="WireFormatException">Fewer bytes are left.</exception>
    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        if (!TryReadBytes(length, out ReadOnlySpan<byte> v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads <paramref name="length"/> bytes into a new array.</summary>
    /// <exception cref="WireFormatException">Fewer bytes are left.</exception>
    public byte[] ReadByteArray(int length)
    {
        if (!TryReadByteArray(length, out byte[]? v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>u8</c> length then that many bytes.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ReadOnlySpan<byte> ReadU8PrefixedBytes()
    {
        if (!TryReadU8PrefixedBytes(out ReadOnlySpan<byte> v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>u16</c> length then that many bytes.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ReadOnlySpan<byte> ReadU16PrefixedBytes()
    {
        if (!TryReadU16PrefixedBytes(out ReadOnlySpan<byte> v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads a <c>bigsize</c> length then that many bytes.</summary>
    /// <exception cref="WireFormatException">The input is malformed.</exception>
    public ReadOnlySpan<byte> ReadBigSizePrefixedBytes()
    {
        if (!TryReadBigSizePrefixedBytes(out ReadOnlySpan<byte> v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads <paramref name="length"/> bytes of UTF-8 text.</summary>
    /// <exception cref="WireFormatException">Fewer bytes are left or they are not valid UTF-8.</exception>
    public string ReadUtf8(int length)
    {
        if (!TryReadUtf8(length, out string? v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads all remaining bytes as UTF-8 text.</summary>
    /// <exception cref="WireFormatException">The bytes are not valid UTF-8.</exception>
    public string ReadUtf8Remaining()
    {
        if (!TryReadUtf8Remaining(out string? v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Reads all remaining bytes (no copy).</summary>
    public ReadOnlySpan<byte> ReadRemaining()
    {
        TryReadRemaining(out ReadOnlySpan<byte> v);
        return v;
    }

    /// <summary>Takes the next <paramref name="length"/> bytes as a separate reader.</summary>
    /// <exception cref="WireFormatException">Fewer bytes are left.</exception>
    public WireReader Slice(int length)
    {
        if (!TrySlice(length, out WireReader v))
        {
            ThrowError();
        }

        return v;
    }

    /// <summary>Checks that every byte was read.</summary>
    /// <exception cref="WireFormatException">Bytes are left.</exception>
    public void EnsureEnd()
    {
        if (!TryEnsureEnd())
        {
            ThrowError();
        }
    }
}
