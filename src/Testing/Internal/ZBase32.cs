namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// z-base-32 as lightningd's <c>signmessage</c>/<c>checkmessage</c> use it (lightningd/signmessage.c
/// <c>to_zbase32</c>, <c>from_zbase32</c>): 5-bit groups, most significant bit first, over the alphabet
/// <c>ybndrfg8ejkmcpqxot1uwisza345h769</c>.
/// </summary>
internal static class ZBase32
{
    private const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    /// <summary>Encodes <paramref name="data"/>, padding the last group with zero bits.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int n = 0, bits = 0, acc = 0;
        foreach (byte b in data)
        {
            acc = (acc << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[n++] = Alphabet[(acc >> bits) & 31];
            }
            acc &= (1 << bits) - 1;
        }
        if (bits > 0)
            chars[n++] = Alphabet[(acc << (5 - bits)) & 31];
        return new string(chars, 0, n);
    }

    /// <summary>
    /// Decodes like <c>from_zbase32</c>: null for a character outside the alphabet, for leftover bits
    /// that are not zero, and for any length that does not come out in whole bytes (a multiple of
    /// eight characters); an empty text is zero bytes.
    /// </summary>
    public static byte[]? TryDecode(string text)
    {
        if (text.Length * 5 % 8 != 0)
            return null;
        var bytes = new byte[text.Length * 5 / 8];
        int n = 0, bits = 0, acc = 0;
        foreach (char c in text)
        {
            int v = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
                return null;
            acc = (acc << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[n++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return bytes;
    }
}
