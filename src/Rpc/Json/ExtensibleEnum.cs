using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cln.ProtocolExtensions.Rpc.Json;

/// <summary>
/// A string enum of lightningd's that keeps values it does not list (a newer lightningd may add some),
/// the way the Azure SDK's "extensible enums" do: compare with the static members, read <c>Value</c>.
/// </summary>
/// <typeparam name="TSelf">The enum struct.</typeparam>
public interface IExtensibleEnum<TSelf>
    where TSelf : struct, IExtensibleEnum<TSelf>
{
    /// <summary>The value as lightningd writes it.</summary>
    string Value { get; }

    /// <summary>Wraps any value, listed or not.</summary>
    /// <param name="value">The value as lightningd writes it.</param>
    static abstract TSelf FromValue(string value);
}

/// <summary>Reads and writes an <see cref="IExtensibleEnum{TSelf}"/> as its JSON string; an unlisted value is kept.</summary>
/// <typeparam name="TEnum">The enum struct.</typeparam>
public sealed class ExtensibleEnumJsonConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, IExtensibleEnum<TEnum>
{
    /// <inheritdoc/>
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? TEnum.FromValue(reader.GetString()!)
            : throw new JsonException($"Expected a string for {typeof(TEnum).Name}, not {reader.TokenType}.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value ?? string.Empty);
}
