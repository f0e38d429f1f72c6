using System.Text.Json;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// The top level of one JSON-RPC object from lightningd, as byte ranges into the line it came from:
/// the raw <c>id</c> (echoed back unchanged), the <c>method</c> and the raw <c>params</c>.
/// </summary>
internal readonly struct JsonRpcEnvelope
{
    public Range Id { get; init; }

    public Range Method { get; init; }

    public Range Params { get; init; }

    public bool HasId { get; init; }

    public bool HasMethod { get; init; }

    public bool HasParams { get; init; }

    /// <summary>Parses the top level of <paramref name="json"/>; false if it is not one complete JSON object.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out JsonRpcEnvelope envelope)
    {
        envelope = default;
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            Range id = default, method = default, parameters = default;
            bool hasId = false, hasMethod = false, hasParams = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    // Anything but whitespace after the object makes the line malformed.
                    if (reader.Read())
                    {
                        return false;
                    }

                    envelope = new JsonRpcEnvelope
                    {
                        Id = id, Method = method, Params = parameters,
                        HasId = hasId, HasMethod = hasMethod, HasParams = hasParams,
                    };
                    return true;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    return false;
                }

                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            int start = (int)reader.TokenStartIndex;
                            id = new Range(start, (int)reader.BytesConsumed);
                            hasId = true;
                            break;
                        case JsonTokenType.Number:
                            id = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                            hasId = true;
                            break;
                        case JsonTokenType.Null:
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }
                else if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                    {
                        int start = (int)reader.TokenStartIndex + 1;
                        method = new Range(start, start + reader.ValueSpan.Length);
                        hasMethod = true;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    parameters = new Range(start, (int)reader.BytesConsumed);
                    hasParams = true;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
