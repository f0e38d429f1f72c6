using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>A BOLT #2 <c>channel_id</c>: 32 bytes, compared and printed as they appear on the wire.</summary>
public readonly struct ChannelId : IEquatable<ChannelId>
{
    /// <summary>The encoded length in bytes (32).</summary>
    public const int Length = 32;

    private readonly Fixed32 _bytes;

    /// <summary>Creates the value from its 32 wire bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public ChannelId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("A channel_id is 32 bytes.", nameof(bytes));
        }

        _bytes = new Fixed32(bytes);
    }

    private ChannelId(Fixed32 bytes) => _bytes = bytes;

    /// <summary>Creates the value from its 32 wire bytes, as written in hex.</summary>
    /// <exception cref="FormatException"><paramref name="hex"/> is not 32 bytes of hex.</exception>
    public static ChannelId Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != Length * 2)
        {
            throw new FormatException("A channel_id is 32 bytes (64 hex digits).");
        }

        return new ChannelId(Convert.FromHexString(hex));
    }

    /// <summary>Creates the value from bytes whose length the caller has checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ChannelId FromValidated(ReadOnlySpan<byte> bytes) => new(new Fixed32(bytes));

    /// <summary>Writes the 32 wire bytes.</summary>
    /// <returns>The number of bytes written (32).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
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

    /// <summary>Writes the 32 wire bytes to a destination the caller has checked is long enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteValidated(Span<byte> destination) => _bytes.WriteTo(destination);

    /// <summary>The 32 wire bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        _bytes.WriteTo(bytes);
        return bytes;
    }

    /// <summary>The wire bytes in lowercase hex.</summary>
    public override string ToString() => _bytes.ToString();

    /// <inheritdoc />
    public bool Equals(ChannelId other) => _bytes.Equals(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ChannelId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes.GetHashCode();

    /// <summary>Whether two values hold the same bytes.</summary>
    public static bool operator ==(ChannelId left, ChannelId right) => left.Equals(right);

    /// <summary>Whether two values hold different bytes.</summary>
    public static bool operator !=(ChannelId left, ChannelId right) => !left.Equals(right);
}
