using System.Buffers;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Rpc.Json;

/// <summary>
/// The one set of JSON writing options for everything the plugin writes: responses (results, errors,
/// the manifest), notifications and log lines on stdout, and requests on lightning-rpc. Strings are
/// escaped as lightningd escapes them (<see cref="LightningdJsonEncoder"/>).
/// </summary>
internal static class ClnJson
{
    /// <summary>For frames the runtime assembles itself (validation off: the runtime writes whole objects and raw ids).</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = LightningdJsonEncoder.Instance,
        SkipValidation = true,
    };

    /// <summary>For JSON checked as it is written (a handler's result going through the serializer, a rebuilt params object).</summary>
    public static readonly JsonWriterOptions CheckedWriterOptions = new()
    {
        Encoder = LightningdJsonEncoder.Instance,
    };

    /// <summary>
    /// Copies one JSON value from <paramref name="json"/> to <paramref name="output"/>, its strings
    /// escaped as lightningd escapes them: for JSON that another library wrote with its own escaping.
    /// JSON without a backslash has nothing to undo and is copied as is.
    /// </summary>
    /// <exception cref="JsonException"><paramref name="json"/> is not JSON.</exception>
    public static void Reencode(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        if (json.IndexOf((byte)'\\') < 0)
        {
            output.Write(json);
            return;
        }

        var reader = new Utf8JsonReader(json);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        byte[]? scratch = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(Unescaped(ref reader, ref scratch));
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(Unescaped(ref reader, ref scratch));
                        break;
                    default:
                        // Numbers and literals: no escapes in them.
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                }
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }

    private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader, ref byte[]? scratch)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        // Unescaping never lengthens the text.
        int length = reader.ValueSpan.Length;
        if (scratch is null || scratch.Length < length)
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }

            scratch = ArrayPool<byte>.Shared.Rent(length);
        }

        int written = reader.CopyString(scratch);
        return scratch.AsSpan(0, written);
    }
}
