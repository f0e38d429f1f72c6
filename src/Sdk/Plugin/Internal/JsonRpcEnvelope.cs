using System.Runtime.CompilerServices;
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

    /// <summary>Whether <c>params</c> is an object (the only shape whose <c>peer_id</c>/<c>payload</c> are captured).</summary>
    public bool ParamsIsObject { get; init; }

    /// <summary>The unescaped string value of <c>params.peer_id</c> (quotes excluded), if <see cref="HasPeerId"/>.</summary>
    public Range PeerId { get; init; }

    /// <summary>The unescaped string value of <c>params.payload</c> (quotes excluded), if <see cref="HasPayload"/>.</summary>
    public Range Payload { get; init; }

    public bool HasPeerId { get; init; }

    public bool HasPayload { get; init; }

    /// <summary>Parses the top level of <paramref name="json"/>; false if it is not one complete JSON object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            Range peerId = default, payload = default;
            bool paramsIsObject = false, hasPeerId = false, hasPayload = false;
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
                        ParamsIsObject = paramsIsObject, PeerId = peerId, Payload = payload,
                        HasPeerId = hasPeerId, HasPayload = hasPayload,
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

                    // The custommsg hook's two strings are picked up on the way (one pass over the
                    // line instead of two); the last "params" wins, as for the range itself.
                    paramsIsObject = hasPeerId = hasPayload = false;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        paramsIsObject = true;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            bool isPayload = reader.ValueTextEquals("payload"u8);
                            bool isPeer = !isPayload && reader.ValueTextEquals("peer_id"u8);
                            reader.Read();
                            if ((isPayload || isPeer) && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                            {
                                int valueStart = (int)reader.TokenStartIndex + 1;
                                var value = new Range(valueStart, valueStart + reader.ValueSpan.Length);
                                if (isPayload)
                                {
                                    payload = value;
                                    hasPayload = true;
                                }
                                else
                                {
                                    peerId = value;
                                    hasPeerId = true;
                                }
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

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
