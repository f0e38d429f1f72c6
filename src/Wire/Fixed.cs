using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// 32 opaque bytes held as four words in memory order (the bytes exactly as on the wire): reading
/// and writing are one 32-byte copy, equality is four compares, no array.
/// </summary>
internal readonly struct Fixed32 : IEquatable<Fixed32>
{
    // Assigned as a whole by the unaligned copy in the constructor.
#pragma warning disable CS0649
    private readonly ulong _a, _b, _c, _d;
#pragma warning restore CS0649

    /// <summary>Copies the first 32 bytes of <paramref name="bytes"/>; callers guarantee there are 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Fixed32(ReadOnlySpan<byte> bytes) =>
        this = Unsafe.ReadUnaligned<Fixed32>(ref MemoryMarshal.GetReference(bytes));

    /// <summary>Copies the 32 bytes to the start of <paramref name="destination"/>; callers guarantee room for them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTo(Span<byte> destination) =>
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(destination), this);

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
