using System.Globalization;
using System.Text.Json;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// Reads the fields of lightningd's hook and notification payloads (JsonElement, no reflection) in
/// lightningd's own formats: node ids as 66 hex characters, short channel ids as <c>BxTxO</c>, amounts
/// as <see cref="AmountMsat"/> (numbers, or the older <c>"1000msat"</c> strings), hashes and secrets as 64 hex
/// characters, read into <see cref="uint256"/> in that byte order (as <see cref="WireReader"/> reads a
/// sha256). A missing required field or a wrong type throws <see cref="PayloadFormatException"/>.
/// </summary>
internal static class PayloadFields
{
    private static bool TryGet(JsonElement e, string name, out JsonElement value)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    private static T Required<T>(T? value, string name)
        where T : class =>
        value ?? throw new PayloadFormatException(name, "is missing");

    private static T Required<T>(T? value, string name)
        where T : struct =>
        value ?? throw new PayloadFormatException(name, "is missing");

    public static JsonElement Object(JsonElement e, string name) =>
        TryGet(e, name, out var v) && v.ValueKind == JsonValueKind.Object ? v : throw new PayloadFormatException(name, "is not an object");

    public static JsonElement Element(JsonElement e, string name) =>
        TryGet(e, name, out var v) ? v : default;

    public static string? String(JsonElement e, string name)
    {
        if (!TryGet(e, name, out var v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new PayloadFormatException(name, "is not a string");
    }

    public static string RequiredString(JsonElement e, string name) => Required(String(e, name), name);

    public static PubKey? OptionalKey(JsonElement e, string name)
    {
        var hex = String(e, name);
        if (hex is null)
        {
            return null;
        }

        if (hex.Length != 66 || !Hex.IsValid(hex) || !PubKey.TryCreatePubKey(Convert.FromHexString(hex), out var key))
        {
            throw new PayloadFormatException(name, "is not a node id");
        }

        return key;
    }

    public static PubKey Key(JsonElement e, string name) => Required(OptionalKey(e, name), name);

    public static byte[]? OptionalHex(JsonElement e, string name)
    {
        var hex = String(e, name);
        if (hex is null)
        {
            return null;
        }

        return Hex.IsValid(hex) ? Convert.FromHexString(hex) : throw new PayloadFormatException(name, "is not hex");
    }

    public static byte[] RequiredHex(JsonElement e, string name) => Required(OptionalHex(e, name), name);

    public static uint256? OptionalHash(JsonElement e, string name)
    {
        var bytes = OptionalHex(e, name);
        if (bytes is null)
        {
            return null;
        }

        return bytes.Length == 32 ? new uint256(bytes) : throw new PayloadFormatException(name, "is not 32 bytes of hex");
    }

    public static uint256 Hash(JsonElement e, string name) => Required(OptionalHash(e, name), name);

    public static ShortChannelId? OptionalScid(JsonElement e, string name)
    {
        var text = String(e, name);
        if (text is null)
        {
            return null;
        }

        return ShortChannelId.TryParse(text, out var scid) ? scid : throw new PayloadFormatException(name, "is not a short channel id");
    }

    public static ShortChannelId Scid(JsonElement e, string name) => Required(OptionalScid(e, name), name);

    /// <summary>An amount: a number of millisatoshis, or a string in any form lightningd accepts (<c>"1000msat"</c>, as lightningd wrote amounts before v23.05).</summary>
    public static AmountMsat? OptionalMsat(JsonElement e, string name)
    {
        if (!TryGet(e, name, out var v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out ulong n))
        {
            return new AmountMsat(n);
        }

        if (v.ValueKind == JsonValueKind.String && AmountMsat.TryParse(v.GetString(), out var amount))
        {
            return amount;
        }

        throw new PayloadFormatException(name, "is not an amount in millisatoshi");
    }

    public static AmountMsat Msat(JsonElement e, string name) => Required(OptionalMsat(e, name), name);

    public static long? OptionalInt64(JsonElement e, string name, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryGet(e, name, out var v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) && n >= min && n <= max
            ? n
            : throw new PayloadFormatException(name, $"is not an integer from {min} to {max}");
    }

    public static long Int64(JsonElement e, string name, long min = long.MinValue, long max = long.MaxValue) =>
        Required(OptionalInt64(e, name, min, max), name);

    public static ulong UInt64(JsonElement e, string name) =>
        TryGet(e, name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out ulong n)
            ? n
            : throw new PayloadFormatException(name, "is not an unsigned 64-bit integer");

    public static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        TryGet(e, name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToArray()
            : [];

    public static bool Bool(JsonElement e, string name) =>
        TryGet(e, name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : throw new PayloadFormatException(name, "is not a boolean");

    /// <summary>A txid or block hash: lightningd prints them as bitcoind does, which is the order <see cref="uint256.Parse(string)"/> reads.</summary>
    public static uint256? OptionalTxid(JsonElement e, string name)
    {
        var hex = String(e, name);
        if (hex is null)
        {
            return null;
        }

        return hex.Length == 64 && Hex.IsValid(hex) ? uint256.Parse(hex) : throw new PayloadFormatException(name, "is not a 32-byte hash");
    }

    public static uint256 Txid(JsonElement e, string name) => Required(OptionalTxid(e, name), name);

    /// <summary>A time as lightningd's <c>json_add_timeabs</c>/<c>json_add_timestr</c> write it: seconds since 1970 with a fraction, as a number or a string.</summary>
    public static DateTimeOffset? OptionalSeconds(JsonElement e, string name)
    {
        if (!TryGet(e, name, out var v))
        {
            return null;
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString(),
            _ => null,
        };
        if (text is null || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds) || seconds > 253_402_300_799m)
        {
            throw new PayloadFormatException(name, "is not a time in seconds since 1970");
        }

        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    public static DateTimeOffset Seconds(JsonElement e, string name) => Required(OptionalSeconds(e, name), name);

    /// <summary>An ISO 8601 time as lightningd's <c>json_add_timeiso</c> writes it (<c>2026-11-26T02:03:22.707Z</c>).</summary>
    public static DateTimeOffset Iso(JsonElement e, string name) =>
        DateTimeOffset.TryParse(RequiredString(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new PayloadFormatException(name, "is not an ISO 8601 time");
}
