using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// A BOLT #7 <c>short_channel_id</c>: the funding output's block height (24 bits), transaction index
/// in that block (24 bits) and output index (16 bits), packed big-endian into 8 bytes. Its text form
/// is <c>BxTxO</c>, for example <c>539268x845x1</c>.
/// </summary>
public readonly struct ShortChannelId :
    IEquatable<ShortChannelId>, IComparable<ShortChannelId>, ISpanParsable<ShortChannelId>, ISpanFormattable
{
    /// <summary>The largest block height or transaction index (24 bits).</summary>
    public const uint MaxBlockHeight = 0xFF_FFFF;

    /// <summary>The largest transaction index in a block (24 bits).</summary>
    public const uint MaxTxIndex = 0xFF_FFFF;

    private readonly ulong _value;

    private ShortChannelId(ulong value) => _value = value;

    /// <summary>Creates a short channel id from its three parts.</summary>
    /// <param name="blockHeight">The block height, at most <see cref="MaxBlockHeight"/>.</param>
    /// <param name="txIndex">The transaction index in the block, at most <see cref="MaxTxIndex"/>.</param>
    /// <param name="outputIndex">The output index in the transaction.</param>
    /// <exception cref="ArgumentOutOfRangeException">A part does not fit its 24 bits.</exception>
    public ShortChannelId(uint blockHeight, uint txIndex, ushort outputIndex)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockHeight, MaxBlockHeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(txIndex, MaxTxIndex);
        _value = ((ulong)blockHeight << 40) | ((ulong)txIndex << 16) | outputIndex;
    }

    /// <summary>The block height of the funding transaction.</summary>
    public uint BlockHeight => (uint)(_value >> 40);

    /// <summary>The index of the funding transaction in its block.</summary>
    public uint TxIndex => (uint)(_value >> 16) & 0xFF_FFFF;

    /// <summary>The index of the funding output in its transaction.</summary>
    public ushort OutputIndex => (ushort)_value;

    /// <summary>The 8-byte wire value as an unsigned integer.</summary>
    public ulong ToUInt64() => _value;

    /// <summary>Creates a short channel id from its 8-byte wire value as an unsigned integer (every value is valid).</summary>
    public static ShortChannelId FromUInt64(ulong value) => new(value);

    /// <summary>Reads the 8-byte big-endian wire form.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 8 bytes long.</exception>
    public static ShortChannelId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != WireSize.ShortChannelId)
        {
            throw new ArgumentException("A short_channel_id is 8 bytes.", nameof(bytes));
        }

        return new(BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    /// <summary>Writes the 8-byte big-endian wire form.</summary>
    /// <returns>The number of bytes written (8).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 8 bytes.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < WireSize.ShortChannelId)
        {
            WireEncoding.ThrowDestinationTooShort();
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, _value);
        return WireSize.ShortChannelId;
    }

    /// <summary>The 8-byte big-endian wire form as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[WireSize.ShortChannelId];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The text form <c>BxTxO</c>.</summary>
    public override string ToString() => $"{BlockHeight}x{TxIndex}x{OutputIndex}";

    /// <summary>The text form <c>BxTxO</c>; format and provider are ignored.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{BlockHeight}x{TxIndex}x{OutputIndex}", out charsWritten);

    /// <summary>Parses the text form <c>BxTxO</c> (decimal parts, no signs or spaces).</summary>
    /// <exception cref="FormatException">The text is not a valid short channel id.</exception>
    public static ShortChannelId Parse(string s) => Parse(s.AsSpan(), null);

    /// <inheritdoc cref="Parse(string)" />
    public static ShortChannelId Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    /// <inheritdoc cref="Parse(string)" />
    public static ShortChannelId Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result)
            ? result
            : throw new FormatException($"'{s}' is not a short channel id of the form BxTxO.");

    /// <summary>Tries to parse the text form <c>BxTxO</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out ShortChannelId result) =>
        TryParse(s.AsSpan(), null, out result);

    /// <inheritdoc cref="TryParse(string, out ShortChannelId)" />
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out ShortChannelId result) =>
        TryParse(s.AsSpan(), provider, out result);

    /// <inheritdoc cref="TryParse(string, out ShortChannelId)" />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out ShortChannelId result)
    {
        result = default;
        int first = s.IndexOf('x');
        if (first < 0)
        {
            return false;
        }

        int second = s[(first + 1)..].IndexOf('x');
        if (second < 0)
        {
            return false;
        }

        second += first + 1;
        if (!TryParsePart(s[..first], MaxBlockHeight, out uint block)
            || !TryParsePart(s[(first + 1)..second], MaxTxIndex, out uint tx)
            || !TryParsePart(s[(second + 1)..], ushort.MaxValue, out uint output))
        {
            return false;
        }

        result = new ShortChannelId(block, tx, (ushort)output);
        return true;
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, uint max, out uint value)
    {
        value = 0;
        if (part.IsEmpty || part.Length > 8)
        {
            return false;
        }

        foreach (char c in part)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (uint)(c - '0');
        }

        return value <= max;
    }

    /// <inheritdoc />
    public bool Equals(ShortChannelId other) => _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ShortChannelId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Orders by block height, then transaction index, then output index.</summary>
    public int CompareTo(ShortChannelId other) => _value.CompareTo(other._value);

    /// <summary>Whether two short channel ids are equal.</summary>
    public static bool operator ==(ShortChannelId left, ShortChannelId right) => left.Equals(right);

    /// <summary>Whether two short channel ids differ.</summary>
    public static bool operator !=(ShortChannelId left, ShortChannelId right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(ShortChannelId left, ShortChannelId right) => left._value < right._value;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(ShortChannelId left, ShortChannelId right) => left._value > right._value;

    /// <summary>Whether <paramref name="left"/> comes before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(ShortChannelId left, ShortChannelId right) => left._value <= right._value;

    /// <summary>Whether <paramref name="left"/> comes after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(ShortChannelId left, ShortChannelId right) => left._value >= right._value;
}
