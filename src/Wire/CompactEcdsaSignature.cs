using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// A BOLT #1 <c>signature</c>: a 64-byte ECDSA secp256k1 signature in libsecp256k1's compact
/// serialization, <c>r</c> then <c>s</c>, each 32 bytes big-endian. Unlike NBitcoin's
/// <c>CompactSignature</c> it carries no recovery id.
/// </summary>
public readonly struct CompactEcdsaSignature : IEquatable<CompactEcdsaSignature>
{
    /// <summary>The encoded length in bytes (64).</summary>
    public const int Length = 64;

    private readonly Fixed64 _bytes;

    /// <summary>Creates the value from its 64 wire bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 64 bytes long.</exception>
    public CompactEcdsaSignature(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("A signature is 64 bytes.", nameof(bytes));
        }

        _bytes = new Fixed64(bytes);
    }

    private CompactEcdsaSignature(Fixed64 bytes) => _bytes = bytes;

    /// <summary>Creates the value from its 64 wire bytes, as written in hex.</summary>
    /// <exception cref="FormatException"><paramref name="hex"/> is not 64 bytes of hex.</exception>
    public static CompactEcdsaSignature Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Length * 2)
        {
            throw new FormatException("A signature is 64 bytes (128 hex digits).");
        }

        return new CompactEcdsaSignature(Convert.FromHexString(hex));
    }

    /// <summary>Creates the value from bytes whose length the caller has checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static CompactEcdsaSignature FromValidated(ReadOnlySpan<byte> bytes) => new(new Fixed64(bytes));

    /// <summary>Writes the 64 wire bytes.</summary>
    /// <returns>The number of bytes written (64).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 64 bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            WireEncoding.ThrowDestinationTooShort();
        }

        _bytes.WriteTo(destination);
        return Length;
    }

    /// <summary>The 64 wire bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        _bytes.WriteTo(bytes);
        return bytes;
    }

    /// <summary>The wire bytes in lowercase hex.</summary>
    public override string ToString() => _bytes.ToString();

    /// <inheritdoc />
    public bool Equals(CompactEcdsaSignature other) => _bytes.Equals(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CompactEcdsaSignature other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes.GetHashCode();

    /// <summary>Whether two values hold the same bytes.</summary>
    public static bool operator ==(CompactEcdsaSignature left, CompactEcdsaSignature right) => left.Equals(right);

    /// <summary>Whether two values hold different bytes.</summary>
    public static bool operator !=(CompactEcdsaSignature left, CompactEcdsaSignature right) => !left.Equals(right);
}
