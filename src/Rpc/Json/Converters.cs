using System.Text.Json;
using System.Text.Json.Serialization;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc.Json;

/// <summary>lightningd's <c>pubkey</c>: a compressed secp256k1 point as 66 hex characters.</summary>
public sealed class PubKeyJsonConverter : JsonConverter<PubKey>
{
    /// <inheritdoc/>
    public override PubKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = JsonText.ReadString(ref reader, "pubkey");
        if (text.Length != 66 || !JsonText.IsHex(text) || !PubKey.TryCreatePubKey(Convert.FromHexString(text), out var key) || !key.IsCompressed)
        {
            throw new JsonException($"'{JsonText.Shorten(text)}' is not a pubkey: expected a compressed secp256k1 point as 66 hex characters.");
        }

        return key;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, PubKey value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToHex());
}

/// <summary>
/// lightningd's <c>hash</c>, <c>txid</c> and <c>secret</c>: 32 bytes as 64 hex characters. The text is
/// read with <see cref="uint256.Parse(string)"/> and written with <see cref="uint256.ToString()"/>, so a
/// txid is the usual reversed-hex id of NBitcoin and the JSON text round-trips exactly; the bytes in
/// the order lightningd prints them are <c>value.ToBytes(lendian: false)</c>.
/// </summary>
public sealed class Uint256JsonConverter : JsonConverter<uint256>
{
    /// <inheritdoc/>
    public override uint256 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = JsonText.ReadString(ref reader, "32-byte hash");
        return text.Length == 64 && JsonText.IsHex(text)
            ? uint256.Parse(text)
            : throw new JsonException($"'{JsonText.Shorten(text)}' is not a 32-byte hash: expected 64 hex characters.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, uint256 value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>lightningd's <c>short_channel_id</c>: <c>BLOCKxTXxOUT</c>.</summary>
public sealed class ShortChannelIdJsonConverter : JsonConverter<ShortChannelId>
{
    /// <inheritdoc/>
    public override ShortChannelId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = JsonText.ReadString(ref reader, "short_channel_id");
        return ShortChannelId.TryParse(text, null, out var scid)
            ? scid
            : throw new JsonException($"'{JsonText.Shorten(text)}' is not a short_channel_id: expected BLOCKxTXxOUT.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ShortChannelId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

/// <summary>
/// A JSON array of values of an NBitcoin type read and written by <typeparamref name="TConverter"/>.
/// Generated models name it on each list member, as they name the element converters on single members,
/// so their JSON is lightningd's whatever options they are used with.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TConverter">The element's converter.</typeparam>
public abstract class ListJsonConverter<T, TConverter> : JsonConverter<IReadOnlyList<T>>
    where TConverter : JsonConverter<T>, new()
{
    private static readonly TConverter Element = new();

    /// <inheritdoc/>
    public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array, found {reader.TokenType}.");
        }

        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(Element.Read(ref reader, typeof(T), options)!);
        }

        return items;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            Element.Write(writer, item, options);
        }

        writer.WriteEndArray();
    }
}

/// <summary>An array of lightningd <c>pubkey</c>s (<see cref="PubKeyJsonConverter"/>).</summary>
public sealed class PubKeyListJsonConverter : ListJsonConverter<PubKey, PubKeyJsonConverter>;

/// <summary>An array of lightningd <c>hash</c>es, <c>txid</c>s or <c>secret</c>s (<see cref="Uint256JsonConverter"/>).</summary>
public sealed class Uint256ListJsonConverter : ListJsonConverter<uint256, Uint256JsonConverter>;

/// <summary>lightningd's <c>hex</c>: bytes as hex characters (read in either case, written lower case).</summary>
public sealed class HexJsonConverter : JsonConverter<byte[]>
{
    /// <inheritdoc/>
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = JsonText.ReadString(ref reader, "hex");
        return text.Length % 2 == 0 && JsonText.IsHex(text)
            ? Convert.FromHexString(text)
            : throw new JsonException($"'{JsonText.Shorten(text)}' is not hex: expected an even number of hex characters.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Convert.ToHexStringLower(value));
}

/// <summary>
/// A time as lightningd writes it in notifications (<c>json_add_time</c>): seconds since 1970 with up to
/// nine decimals, as a JSON number or string (<c>"1795658602.707538985"</c>), read to the tick.
/// Written as a number of seconds with seven decimals.
/// </summary>
public sealed class UnixSecondsJsonConverter : JsonConverter<DateTimeOffset>
{
    private const decimal MaxSeconds = 253_402_300_799m; // 9999-12-31T23:59:59Z

    /// <inheritdoc/>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.TokenType switch
        {
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
            JsonTokenType.String => reader.GetString()!,
            _ => throw new JsonException($"Expected a time in seconds since 1970, not {reader.TokenType}."),
        };
        return decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out decimal seconds) && seconds <= MaxSeconds
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : throw new JsonException($"'{JsonText.Shorten(text)}' is not a time in seconds since 1970.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue((decimal)(value - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerSecond);
}

/// <summary>Shared checks of the converters.</summary>
internal static class JsonText
{
    public static string ReadString(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new JsonException($"Expected a {what} as a JSON string, not {reader.TokenType}.");

    public static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>At most 80 characters of bad input in an error message.</summary>
    public static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
