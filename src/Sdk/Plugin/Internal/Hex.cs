namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>Strict lowercase/uppercase hex over UTF-8 bytes, without allocation beyond the result.</summary>
internal static class Hex
{
    /// <summary>Decodes hex digits into a new array; false for an odd length or a non-hex byte.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8Hex, out byte[] bytes)
    {
        if ((utf8Hex.Length & 1) != 0)
        {
            bytes = [];
            return false;
        }

        var result = utf8Hex.Length == 0 ? [] : GC.AllocateUninitializedArray<byte>(utf8Hex.Length / 2);
        for (int i = 0, j = 0; i < utf8Hex.Length; i += 2, j++)
        {
            int hi = Nibble(utf8Hex[i]);
            int lo = Nibble(utf8Hex[i + 1]);
            if ((hi | lo) < 0)
            {
                bytes = [];
                return false;
            }

            result[j] = (byte)((hi << 4) | lo);
        }

        bytes = result;
        return true;
    }

    /// <summary>Whether the span is an even-length run of hex digits.</summary>
    public static bool IsValid(ReadOnlySpan<char> hex)
    {
        if ((hex.Length & 1) != 0)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (c > 0x7f || Nibble((byte)c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes lowercase hex of <paramref name="bytes"/> as UTF-8 into <paramref name="destination"/> (twice the length).</summary>
    public static void EncodeUtf8(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        const string digits = "0123456789abcdef";
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = (byte)digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = (byte)digits[bytes[i] & 0xf];
        }
    }

    private static int Nibble(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
