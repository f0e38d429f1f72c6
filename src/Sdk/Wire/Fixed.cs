using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>32 opaque bytes held as four big-endian words: cheap equality, no array.</summary>
internal readonly struct Fixed32 : IEquatable<Fixed32>
{
    private readonly ulong _a, _b, _c, _d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Fixed32(ReadOnlySpan<byte> bytes)
    {
        // Callers guarantee bytes.Length == 32.
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public bool Equals(Fixed32 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is Fixed32 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}

/// <summary>64 opaque bytes held as two <see cref="Fixed32"/> halves.</summary>
internal readonly struct Fixed64 : IEquatable<Fixed64>
{
    private readonly Fixed32 _high, _low;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Fixed64(ReadOnlySpan<byte> bytes)
    {
        _high = new Fixed32(bytes[..32]);
        _low = new Fixed32(bytes.Slice(32, 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTo(Span<byte> destination)
    {
        _high.WriteTo(destination);
        _low.WriteTo(destination[32..]);
    }

    public bool Equals(Fixed64 other) => _high.Equals(other._high) && _low.Equals(other._low);

    public override bool Equals(object? obj) => obj is Fixed64 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[64];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
