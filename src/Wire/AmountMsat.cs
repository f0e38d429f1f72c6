using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cln.ProtocolExtensions;

/// <summary>
/// An amount in millisatoshis, the unit lightningd counts in. It reads every form lightningd accepts
/// for an amount parameter (<c>1000</c>, <c>"1000"</c>, <c>"1000msat"</c>, <c>"1sat"</c>,
/// <c>"0.001btc"</c>, <c>"1btc"</c>) and writes what current lightningd prints: a plain JSON number of
/// millisatoshis.
/// </summary>
/// <remarks>
/// Parsing is exact: a value with more precision than a millisatoshi (<c>"0.000000000001btc"</c>), a
/// fraction of a satoshi written in <c>sat</c>, a sign, white space or a value over
/// <see cref="ulong.MaxValue"/> millisatoshis is refused, as lightningd refuses it.
/// </remarks>
[JsonConverter(typeof(AmountMsatJsonConverter))]
public readonly struct AmountMsat :
    IEquatable<AmountMsat>, IComparable<AmountMsat>, ISpanParsable<AmountMsat>, ISpanFormattable
{
    private const ulong MsatPerSat = 1_000;
    private const int BtcDecimals = 11; // one bitcoin is 10^11 millisatoshis

    /// <summary>Creates an amount of <paramref name="millisatoshis"/>.</summary>
    public AmountMsat(ulong millisatoshis) => Millisatoshis = millisatoshis;

    /// <summary>Zero millisatoshis.</summary>
    public static AmountMsat Zero => default;

    /// <summary>The amount in millisatoshis.</summary>
    public ulong Millisatoshis { get; }

    /// <summary>The amount in whole satoshis, rounded down.</summary>
    public ulong Satoshis => Millisatoshis / MsatPerSat;

    /// <summary>An amount of <paramref name="satoshis"/> satoshis.</summary>
    /// <exception cref="OverflowException">The amount does not fit in 64 bits of millisatoshis.</exception>
    public static AmountMsat FromSatoshis(ulong satoshis) => new(checked(satoshis * MsatPerSat));

    /// <summary>Parses an amount in any form lightningd accepts (see <see cref="AmountMsat"/>).</summary>
    /// <exception cref="FormatException"><paramref name="s"/> is not an amount lightningd would accept.</exception>
    public static AmountMsat Parse(string s) => Parse(s.AsSpan());

    /// <summary>Parses an amount in any form lightningd accepts (see <see cref="AmountMsat"/>).</summary>
    /// <exception cref="FormatException"><paramref name="s"/> is not an amount lightningd would accept.</exception>
    public static AmountMsat Parse(ReadOnlySpan<char> s) =>
        TryParse(s, out AmountMsat amount) ? amount : throw new FormatException($"'{s}' is not an amount: expected millisatoshis (1000 or 1000msat), satoshis (1sat) or bitcoin (0.001btc).");

    /// <summary>Parses an amount in any form lightningd accepts; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out AmountMsat result) => TryParse(s.AsSpan(), out result);

    /// <summary>Parses an amount in any form lightningd accepts; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out AmountMsat result)
    {
        result = default;

        // digits [ '.' digits ] [ suffix ]
        int wholeEnd = 0;
        while (wholeEnd < s.Length && char.IsAsciiDigit(s[wholeEnd]))
        {
            wholeEnd++;
        }

        if (wholeEnd == 0)
        {
            return false;
        }

        ReadOnlySpan<char> whole = s[..wholeEnd];
        ReadOnlySpan<char> fraction = default;
        bool hasPoint = false;
        int suffixStart = wholeEnd;
        if (suffixStart < s.Length && s[suffixStart] == '.')
        {
            hasPoint = true;
            int fractionEnd = suffixStart + 1;
            while (fractionEnd < s.Length && char.IsAsciiDigit(s[fractionEnd]))
            {
                fractionEnd++;
            }

            fraction = s[(suffixStart + 1)..fractionEnd];
            if (fraction.IsEmpty)
            {
                return false;
            }

            suffixStart = fractionEnd;
        }

        ReadOnlySpan<char> suffix = s[suffixStart..];
        ulong value;
        if (suffix.IsEmpty || suffix.SequenceEqual("msat"))
        {
            if (hasPoint || !TryScale(whole, default, 0, out value))
            {
                return false;
            }
        }
        else if (suffix.SequenceEqual("sat"))
        {
            if (hasPoint || !TryScale(whole, default, 3, out value))
            {
                return false;
            }
        }
        else if (suffix.SequenceEqual("btc"))
        {
            if (!TryScale(whole, fraction, BtcDecimals, out value))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        result = new AmountMsat(value);
        return true;
    }

    // whole.fraction × 10^decimals, exactly, in 64 bits.
    private static bool TryScale(ReadOnlySpan<char> whole, ReadOnlySpan<char> fraction, int decimals, out ulong value)
    {
        value = 0;
        if (fraction.Length > decimals)
        {
            return false;
        }

        try
        {
            checked
            {
                foreach (char c in whole)
                {
                    value = (value * 10) + (ulong)(c - '0');
                }

                foreach (char c in fraction)
                {
                    value = (value * 10) + (ulong)(c - '0');
                }

                for (int i = fraction.Length; i < decimals; i++)
                {
                    value *= 10;
                }
            }
        }
        catch (OverflowException)
        {
            return false;
        }

        return true;
    }

    static AmountMsat IParsable<AmountMsat>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<AmountMsat>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out AmountMsat result) => TryParse(s, out result);

    static AmountMsat ISpanParsable<AmountMsat>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<AmountMsat>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out AmountMsat result) => TryParse(s, out result);

    /// <summary>The amount as lightningd writes it in text: <c>1000msat</c>.</summary>
    public override string ToString() => Millisatoshis.ToString(CultureInfo.InvariantCulture) + "msat";

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (Millisatoshis.TryFormat(destination, out int digits, default, CultureInfo.InvariantCulture)
            && "msat".AsSpan().TryCopyTo(destination[digits..]))
        {
            charsWritten = digits + 4;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(AmountMsat other) => Millisatoshis == other.Millisatoshis;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AmountMsat other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Millisatoshis.GetHashCode();

    /// <inheritdoc/>
    public int CompareTo(AmountMsat other) => Millisatoshis.CompareTo(other.Millisatoshis);

    /// <summary>Whether two amounts are equal.</summary>
    public static bool operator ==(AmountMsat left, AmountMsat right) => left.Equals(right);

    /// <summary>Whether two amounts differ.</summary>
    public static bool operator !=(AmountMsat left, AmountMsat right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is less than <paramref name="right"/>.</summary>
    public static bool operator <(AmountMsat left, AmountMsat right) => left.Millisatoshis < right.Millisatoshis;

    /// <summary>Whether <paramref name="left"/> is greater than <paramref name="right"/>.</summary>
    public static bool operator >(AmountMsat left, AmountMsat right) => left.Millisatoshis > right.Millisatoshis;

    /// <summary>Whether <paramref name="left"/> is at most <paramref name="right"/>.</summary>
    public static bool operator <=(AmountMsat left, AmountMsat right) => left.Millisatoshis <= right.Millisatoshis;

    /// <summary>Whether <paramref name="left"/> is at least <paramref name="right"/>.</summary>
    public static bool operator >=(AmountMsat left, AmountMsat right) => left.Millisatoshis >= right.Millisatoshis;

    /// <summary>The sum of two amounts.</summary>
    /// <exception cref="OverflowException">The sum does not fit in 64 bits.</exception>
    public static AmountMsat operator +(AmountMsat left, AmountMsat right) => new(checked(left.Millisatoshis + right.Millisatoshis));

    /// <summary>The difference of two amounts.</summary>
    /// <exception cref="OverflowException"><paramref name="right"/> is larger than <paramref name="left"/>.</exception>
    public static AmountMsat operator -(AmountMsat left, AmountMsat right) => new(checked(left.Millisatoshis - right.Millisatoshis));
}

/// <summary>
/// Reads an <see cref="AmountMsat"/> from a JSON number of millisatoshis or from any string lightningd
/// accepts for an amount; writes a JSON number of millisatoshis, as current lightningd does.
/// </summary>
public sealed class AmountMsatJsonConverter : JsonConverter<AmountMsat>
{
    /// <inheritdoc/>
    public override AmountMsat Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetUInt64(out ulong msat)
                ? new AmountMsat(msat)
                : throw new JsonException("An amount must be a whole, non-negative number of millisatoshis.");
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            string text = reader.GetString()!;
            return AmountMsat.TryParse(text, out AmountMsat amount)
                ? amount
                : throw new JsonException($"'{text}' is not an amount: expected millisatoshis (1000 or 1000msat), satoshis (1sat) or bitcoin (0.001btc).");
        }

        throw new JsonException($"An amount must be a number or a string, not {reader.TokenType}.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, AmountMsat value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.Millisatoshis);
}
