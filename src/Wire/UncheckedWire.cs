using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.CodeGeneration;

/// <summary>
/// Big-endian loads and stores at a byte offset from a reference, with no bounds check. For the
/// serializers the generator writes: they check the length of a whole run of fixed-size fields once,
/// then encode or decode the run with these. For generated code only: it may change between versions
/// of the SDK (see <see cref="GeneratedCodeSupport.ContractVersion"/>). Code written by hand uses
/// <see cref="WireReader"/> and <see cref="SpanWireWriter"/>, which check every access.
/// </summary>
/// <remarks>Every method requires <c>offset + size</c> bytes to be valid at <c>source</c>/<c>destination</c>.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class UncheckedWire
{
    /// <summary>A reference to the first byte of <paramref name="span"/> (no check; may point past an empty span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte Start(ReadOnlySpan<byte> span) => ref MemoryMarshal.GetReference(span);

    /// <summary>A reference to the first byte of <paramref name="span"/> (no check; may point past an empty span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte Start(Span<byte> span) => ref MemoryMarshal.GetReference(span);

    /// <summary>Loads a <c>u16</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ReadU16(ref byte source, int offset)
    {
        ushort raw = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref source, (nint)(uint)offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    /// <summary>Loads a <c>u32</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadU32(ref byte source, int offset)
    {
        uint raw = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref source, (nint)(uint)offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    /// <summary>Loads a <c>u64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadU64(ref byte source, int offset)
    {
        ulong raw = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)(uint)offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
    }

    /// <summary>Loads a <c>byte</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ReadByte(ref byte source, int offset) => Unsafe.Add(ref source, (nint)(uint)offset);

    /// <summary>Loads a <c>short_channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ShortChannelId ReadShortChannelId(ref byte source, int offset) => ShortChannelId.FromUInt64(ReadU64(ref source, offset));

    /// <summary>Loads a 32-byte <c>channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ChannelId ReadChannelId(ref byte source, int offset) =>
        ChannelId.FromValidated(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref source, (nint)(uint)offset), ChannelId.Length));

    /// <summary>Stores a <c>u16</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteU16(ref byte destination, int offset, ushort value) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, (nint)(uint)offset), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    /// <summary>Stores a <c>u32</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteU32(ref byte destination, int offset, uint value) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, (nint)(uint)offset), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    /// <summary>Stores a <c>u64</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteU64(ref byte destination, int offset, ulong value) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, (nint)(uint)offset), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    /// <summary>Stores a <c>byte</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteByte(ref byte destination, int offset, byte value) => Unsafe.Add(ref destination, (nint)(uint)offset) = value;

    /// <summary>Stores a <c>short_channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteShortChannelId(ref byte destination, int offset, ShortChannelId value) => WriteU64(ref destination, offset, value.ToUInt64());

    /// <summary>Stores a 32-byte <c>channel_id</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteChannelId(ref byte destination, int offset, ChannelId value) =>
        value.WriteValidated(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, (nint)(uint)offset), ChannelId.Length));

    /// <summary>Stores the <paramref name="length"/> low bytes of <paramref name="value"/> big-endian (a truncated integer whose length the caller computed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteTruncated(ref byte destination, int length, ulong value)
    {
        for (int i = length - 1; i >= 0; i--)
        {
            Unsafe.Add(ref destination, (nint)(uint)i) = (byte)value;
            value >>= 8;
        }
    }

    /// <summary>Copies <paramref name="value"/> to <paramref name="offset"/> from <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteBytes(ref byte destination, int offset, ReadOnlySpan<byte> value) =>
        value.CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, (nint)(uint)offset), value.Length));

    /// <summary>Stores a minimal <c>bigsize</c> (1, 3, 5 or 9 bytes) and returns how many bytes it took.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteBigSize(ref byte destination, int offset, ulong value)
    {
        if (value < 0xfd)
        {
            WriteByte(ref destination, offset, (byte)value);
            return 1;
        }

        return WriteBigSizeLong(ref destination, offset, value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteBigSizeLong(ref byte destination, int offset, ulong value)
    {
        if (value <= 0xffff)
        {
            WriteByte(ref destination, offset, 0xfd);
            WriteU16(ref destination, offset + 1, (ushort)value);
            return 3;
        }

        if (value <= 0xffff_ffff)
        {
            WriteByte(ref destination, offset, 0xfe);
            WriteU32(ref destination, offset + 1, (uint)value);
            return 5;
        }

        WriteByte(ref destination, offset, 0xff);
        WriteU64(ref destination, offset + 1, value);
        return 9;
    }
}
