using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    private static ReadOnlySpan<byte> HookPrefix => "{\"jsonrpc\":\"2.0\",\"id\":"u8;

    private static ReadOnlySpan<byte> HookMethod => ",\"method\":\"custommsg\",\"params\":{"u8;

    private static ReadOnlySpan<byte> PayloadKey => "\"payload\":\""u8;

    private static ReadOnlySpan<byte> PeerIdKey => "\"peer_id\":\""u8;

    /// <summary>How far into a line <see cref="MayBeCustomMessageHook"/> looks for the method name.</summary>
    internal const int HookMethodWindow = 256;

    /// <summary>
    /// Whether <paramref name="line"/> names the <c>custommsg</c> method within its first
    /// <see cref="HookMethodWindow"/> bytes, where lightningd's framing puts it (after a short id). A
    /// cheap test, so that other messages, <c>getmanifest</c> first of all, never call the hook parser:
    /// that parser is compiled fully optimized at its first call (it runs once per hook, from the first
    /// burst on), which would cost startup time if <c>getmanifest</c> reached it. A hook whose id is
    /// longer than the window takes the general parse; it is handled the same.
    /// </summary>
    public static bool MayBeCustomMessageHook(ReadOnlySpan<byte> line) =>
        line[..Math.Min(line.Length, HookMethodWindow)].IndexOf(HookMethod) >= 0;

    /// <summary>
    /// Recognizes the exact bytes lightningd writes for a <c>custommsg</c> hook call,
    /// <c>{"jsonrpc":"2.0","id":ID,"method":"custommsg","params":{"payload":"..","peer_id":".."}}</c>
    /// (either order of the two params, a string or non-negative integer id, compact, every string
    /// printable ASCII without escapes), and produces exactly the envelope <see cref="TryParse"/>
    /// would. False for anything else, which then takes the general parse: this only saves the
    /// general tokenizer's work on the one message that arrives in bursts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseCustomMessageHook(ReadOnlySpan<byte> line, out JsonRpcEnvelope envelope)
    {
        envelope = default;
        if (!line.StartsWith(HookPrefix))
        {
            return false;
        }

        int position = HookPrefix.Length;
        Range id;
        if (position < line.Length && line[position] == (byte)'"')
        {
            int end = IndexOfStringEnd(line[(position + 1)..]);
            if (end < 0)
            {
                return false;
            }

            id = new Range(position, position + end + 2);
            position += end + 2;
        }
        else
        {
            int digits = 0;
            while (position + digits < line.Length && (uint)(line[position + digits] - '0') <= 9)
            {
                digits++;
            }

            // JSON allows no leading zero in a longer number.
            if (digits == 0 || (digits > 1 && line[position] == (byte)'0'))
            {
                return false;
            }

            id = new Range(position, position + digits);
            position += digits;
        }

        if (!line[position..].StartsWith(HookMethod))
        {
            return false;
        }

        int methodStart = position + ",\"method\":\""u8.Length;
        var method = new Range(methodStart, methodStart + "custommsg"u8.Length);
        int paramsStart = position + HookMethod.Length - 1;
        position += HookMethod.Length;

        Range payload = default, peerId = default;
        bool hasPayload = false, hasPeerId = false;
        for (int field = 0; field < 2; field++)
        {
            if (field == 1)
            {
                if (position >= line.Length || line[position] != (byte)',')
                {
                    return false;
                }

                position++;
            }

            var rest = line[position..];
            bool isPayload;
            if (!hasPayload && rest.StartsWith(PayloadKey))
            {
                isPayload = true;
                position += PayloadKey.Length;
            }
            else if (!hasPeerId && rest.StartsWith(PeerIdKey))
            {
                isPayload = false;
                position += PeerIdKey.Length;
            }
            else
            {
                return false;
            }

            int end = IndexOfStringEnd(line[position..]);
            if (end < 0)
            {
                return false;
            }

            var value = new Range(position, position + end);
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

            position += end + 1;
        }

        // "}}" and nothing after it (the caller has trimmed the line).
        if (line.Length != position + 2 || line[position] != (byte)'}' || line[position + 1] != (byte)'}')
        {
            return false;
        }

        envelope = new JsonRpcEnvelope
        {
            Id = id, Method = method, Params = new Range(paramsStart, position + 1),
            HasId = true, HasMethod = true, HasParams = true,
            ParamsIsObject = true, PeerId = peerId, Payload = payload,
            HasPeerId = true, HasPayload = true,
        };
        return true;
    }

    /// <summary>
    /// The index of the quote that closes a string whose content starts <paramref name="text"/>;
    /// -1 if the content holds anything but printable ASCII (a control byte, a backslash escape,
    /// a byte of a multi-byte character) before the quote, or no quote comes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int IndexOfStringEnd(ReadOnlySpan<byte> text)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var low = Vector128.Create((byte)0x20);
            var high = Vector128.Create((byte)0x7E);
            for (; i + Vector128<byte>.Count <= text.Length; i += Vector128<byte>.Count)
            {
                var block = Vector128.Create(text.Slice(i, Vector128<byte>.Count));
                uint quotes = Vector128.Equals(block, quote).ExtractMostSignificantBits();
                uint bad = (Vector128.LessThan(block, low) | Vector128.GreaterThan(block, high) | Vector128.Equals(block, backslash)).ExtractMostSignificantBits();
                uint any = quotes | bad;
                if (any != 0)
                {
                    int first = BitOperations.TrailingZeroCount(any);
                    return (quotes & (1u << first)) != 0 ? i + first : -1;
                }
            }
        }

        for (; i < text.Length; i++)
        {
            byte b = text[i];
            if (b == (byte)'"')
            {
                return i;
            }

            if (b < 0x20 || b > 0x7E || b == (byte)'\\')
            {
                return -1;
            }
        }

        return -1;
    }

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
