using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Cln.ProtocolExtensions.Rpc.Json;

/// <summary>
/// Escapes JSON strings the way lightningd does (ccan/json_escape): a quote, a backslash, the C0
/// controls (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\b</c>, <c>\f</c>, else <c>\u00XX</c>) and DEL
/// (<c>\u007F</c>); everything else is written as UTF-8, astral characters included. System.Text.Json's
/// own encoders escape far more (<c>'</c> as <c>\u0027</c>, every non-ASCII character for the default,
/// emoji, U+2028 and no-break spaces even for <c>UnsafeRelaxedJsonEscaping</c>), and lightningd keeps
/// <c>\uXXXX</c> verbatim: in a log line "by policy", in a result on the user's screen. A lone
/// surrogate, which UTF-8 cannot carry, becomes U+FFFD (the base class's rule for ill-formed text).
/// </summary>
internal sealed class LightningdJsonEncoder : JavaScriptEncoder
{
    /// <summary>The one instance; it has no state.</summary>
    public static LightningdJsonEncoder Instance { get; } = new();

    // What makes FindFirstCharacterToEncode stop: the characters escaped, and surrogates (a pair is
    // skipped, a lone one is reported so that the base class replaces it).
    private static readonly SearchValues<char> Stops = SearchValues.Create(StopChars());

    // The same for UTF-8: escaped bytes, and every non-ASCII byte (checked to be well-formed).
    private static readonly SearchValues<byte> Utf8Stops = SearchValues.Create(Utf8StopBytes());

    private LightningdJsonEncoder()
    {
    }

    /// <inheritdoc />
    public override int MaxOutputCharactersPerInputCharacter => 6;

    /// <inheritdoc />
    public override bool WillEncode(int unicodeScalar) => NeedsEscape(unicodeScalar);

    /// <inheritdoc />
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        IndexOfFirstToEncode(new ReadOnlySpan<char>(text, textLength));

    /// <inheritdoc />
    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int i = 0;
        while (true)
        {
            int next = utf8Text[i..].IndexOfAny(Utf8Stops);
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (utf8Text[i] < 0x80)
            {
                return i;
            }

            if (Rune.DecodeFromUtf8(utf8Text[i..], out _, out int consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }
    }

    /// <inheritdoc />
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        TryEncode(unicodeScalar, new Span<char>(buffer, bufferLength), out numberOfCharactersWritten);

    /// <summary>Whether lightningd escapes the scalar (surrogate code points count: they never reach the output as such).</summary>
    internal static bool NeedsEscape(int scalar) =>
        scalar < 0x20 || scalar is '"' or '\\' or 0x7F or (>= 0xD800 and <= 0xDFFF);

    /// <summary>The index of the first character to escape or replace, or -1.</summary>
    internal static int IndexOfFirstToEncode(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (true)
        {
            int next = text[i..].IndexOfAny(Stops);
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i += 2;
                continue;
            }

            return i;
        }
    }

    /// <summary>Writes <paramref name="scalar"/> as lightningd would: escaped when it must be, else as itself.</summary>
    internal static bool TryEncode(int scalar, Span<char> destination, out int written)
    {
        if (!NeedsEscape(scalar))
        {
            return new Rune(scalar).TryEncodeToUtf16(destination, out written);
        }

        char shortForm = scalar switch
        {
            '\n' => 'n',
            '\b' => 'b',
            '\f' => 'f',
            '\t' => 't',
            '\r' => 'r',
            '"' => '"',
            '\\' => '\\',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            if (destination.Length < 2)
            {
                written = 0;
                return false;
            }

            destination[0] = '\\';
            destination[1] = shortForm;
            written = 2;
            return true;
        }

        if (destination.Length < 6)
        {
            written = 0;
            return false;
        }

        destination[0] = '\\';
        destination[1] = 'u';
        ((uint)scalar).TryFormat(destination[2..], out _, "X4", System.Globalization.CultureInfo.InvariantCulture);
        written = 6;
        return true;
    }

    private static string StopChars()
    {
        var chars = new StringBuilder();
        for (char c = '\0'; c < ' '; c++)
        {
            chars.Append(c);
        }

        chars.Append('"').Append('\\').Append('\u007f');
        for (int c = 0xD800; c <= 0xDFFF; c++)
        {
            chars.Append((char)c);
        }

        return chars.ToString();
    }

    private static byte[] Utf8StopBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0; b < 0x20; b++)
        {
            bytes.Add((byte)b);
        }

        bytes.Add((byte)'"');
        bytes.Add((byte)'\\');
        for (int b = 0x7F; b <= 0xFF; b++)
        {
            bytes.Add((byte)b);
        }

        return bytes.ToArray();
    }
}
