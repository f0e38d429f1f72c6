using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// A Core Lightning release as lightningd names it (<c>v26.06.6</c>, <c>v24.11.1-modded</c>,
/// <c>v25.02rc1</c>), comparable so a plugin can branch on what its node supports:
/// <c>if (version &gt;= LightningdVersion.Parse("v25.12"))</c>.
/// </summary>
public readonly struct LightningdVersion : IComparable<LightningdVersion>, IEquatable<LightningdVersion>
{
    private LightningdVersion(int major, int minor, int patch, string text)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Text = text;
    }

    /// <summary>The year part (26 in v26.06.6).</summary>
    public int Major { get; }

    /// <summary>The month part (6 in v26.06.6).</summary>
    public int Minor { get; }

    /// <summary>The point release (6 in v26.06.6; 0 when absent).</summary>
    public int Patch { get; }

    /// <summary>The text as lightningd gave it, suffixes included.</summary>
    public string Text { get; }

    /// <summary>Parses lightningd's version text.</summary>
    /// <param name="text">For example <c>v26.06.6</c>.</param>
    /// <exception cref="FormatException">Not a lightningd version.</exception>
    public static LightningdVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a lightningd version (vYY.MM[.P]).");

    /// <summary>Parses lightningd's version text: <c>v</c>, year, month, optional point release, any suffix.</summary>
    /// <param name="text">For example <c>v26.06.6</c> or <c>v24.11.1-modded</c>.</param>
    /// <param name="version">The version, when the text is one.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, out LightningdVersion version)
    {
        version = default;
        if (text is null || text.Length < 2 || text[0] != 'v')
        {
            return false;
        }

        var rest = text.AsSpan(1);
        if (!TakeNumber(ref rest, out int major) || rest.IsEmpty || rest[0] != '.')
        {
            return false;
        }

        rest = rest[1..];
        if (!TakeNumber(ref rest, out int minor))
        {
            return false;
        }

        int patch = 0;
        if (!rest.IsEmpty && rest[0] == '.')
        {
            rest = rest[1..];
            if (!TakeNumber(ref rest, out patch))
            {
                return false;
            }
        }

        version = new LightningdVersion(major, minor, patch, text);
        return true;

        static bool TakeNumber(ref ReadOnlySpan<char> s, out int value)
        {
            int digits = 0;
            while (digits < s.Length && digits < 6 && char.IsAsciiDigit(s[digits]))
            {
                digits++;
            }

            bool ok = int.TryParse(s[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out value);
            s = s[digits..];
            return ok;
        }
    }

    /// <inheritdoc/>
    public int CompareTo(LightningdVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    /// <summary>Equal release numbers (suffixes such as <c>-modded</c> are ignored).</summary>
    /// <param name="other">The other version.</param>
    public bool Equals(LightningdVersion other) => CompareTo(other) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LightningdVersion other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch);

    /// <summary>The text as lightningd gave it.</summary>
    public override string ToString() => Text ?? $"v{Major:00}.{Minor:00}.{Patch}";

    /// <summary>Compares release numbers.</summary>
    public static bool operator ==(LightningdVersion left, LightningdVersion right) => left.Equals(right);

    /// <summary>Compares release numbers.</summary>
    public static bool operator !=(LightningdVersion left, LightningdVersion right) => !left.Equals(right);

    /// <summary>Compares release numbers.</summary>
    public static bool operator <(LightningdVersion left, LightningdVersion right) => left.CompareTo(right) < 0;

    /// <summary>Compares release numbers.</summary>
    public static bool operator >(LightningdVersion left, LightningdVersion right) => left.CompareTo(right) > 0;

    /// <summary>Compares release numbers.</summary>
    public static bool operator <=(LightningdVersion left, LightningdVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Compares release numbers.</summary>
    public static bool operator >=(LightningdVersion left, LightningdVersion right) => left.CompareTo(right) >= 0;
}
