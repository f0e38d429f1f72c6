using System.Runtime.CompilerServices;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>Strict hex (either case): decoding through the BCL's vectorized decoder, validation without allocation.</summary>
internal static class Hex
{
    /// <summary>Decodes hex digits into a new array; false for an odd length or a non-hex byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(ReadOnlySpan<byte> utf8Hex, out byte[] bytes)
    {
        if ((utf8Hex.Length & 1) != 0)
        {
            bytes = [];
            return false;
        }

        var result = utf8Hex.Length == 0 ? [] : GC.AllocateUninitializedArray<byte>(utf8Hex.Length / 2);
        if (Convert.FromHexString(utf8Hex, result, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            bytes = [];
            return false;
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

        return !hex.ContainsAnyExcept(HexDigits);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
