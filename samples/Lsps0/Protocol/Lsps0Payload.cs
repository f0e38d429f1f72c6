using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace Lsps0.Protocol;

/// <summary>
/// The "bad message format" checks of bLIP-0050 on the payload of a message of type 37913: one
/// complete UTF-8 JSON object, optional whitespace around it, nothing else, and no 0 byte.
/// </summary>
public static class Lsps0Payload
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        // Comments and trailing commas are not JSON; a second value after the object is refused
        // by JsonDocument itself. Duplicate keys make a request mean two things: refuse them too.
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    /// <summary>
    /// Parses a payload that passed every format check.
    /// </summary>
    /// <param name="payload">The message body, without the 2-byte type.</param>
    /// <param name="document">The parsed document, whose root is an object. The caller disposes it.</param>
    /// <param name="reason">Why the payload is a bad message, when the method returns <see langword="false"/>.</param>
    public static bool TryParse(
        ReadOnlyMemory<byte> payload,
        [NotNullWhen(true)] out JsonDocument? document,
        [NotNullWhen(false)] out string? reason)
    {
        document = null;
        ReadOnlySpan<byte> span = payload.Span;
        if (span.Length > Lsps0Constants.MaxPayloadLength)
        {
            reason = $"payload of {span.Length} bytes is longer than {Lsps0Constants.MaxPayloadLength}";
            return false;
        }

        int nul = span.IndexOf((byte)0);
        if (nul >= 0)
        {
            reason = $"payload contains a 0 byte at offset {nul}";
            return false;
        }

        if (!Utf8.IsValid(span))
        {
            reason = "payload is not valid UTF-8";
            return false;
        }

        // JSON whitespace is exactly space, tab, line feed and carriage return, the set bLIP-0050
        // allows around the object. Anything else first (a BOM, '[', a string) is not an object.
        int first = span.IndexOfAnyExcept(" \t\n\r"u8);
        if (first < 0 || span[first] != (byte)'{')
        {
            reason = "payload is not a JSON object";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(payload, s_documentOptions);
        }
        catch (JsonException ex)
        {
            reason = $"payload is not a single complete JSON object: {ex.Message}";
            return false;
        }

        reason = null;
        return true;
    }
}
