using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lsps0.Protocol;

/// <summary>A JSON-RPC 2.0 request as the LSP received it.</summary>
/// <param name="Id">The request's id, a string or a number, echoed unchanged in the response.</param>
/// <param name="Method">The method name.</param>
/// <param name="Params">The <c>params</c> member: an object, an array, or <see cref="JsonValueKind.Undefined"/> when absent.</param>
internal readonly record struct RequestEnvelope(JsonElement Id, string Method, JsonElement Params);

/// <summary>A JSON-RPC 2.0 response as the client received it.</summary>
internal readonly record struct ResponseEnvelope(JsonElement Id, JsonElement Result, Lsps0Error? Error);

/// <summary>A JSON-RPC 2.0 notification as the client received it (named parameters only).</summary>
internal readonly record struct NotificationEnvelope(string Method, JsonElement Params);

/// <summary>Reads and writes the JSON-RPC 2.0 objects of LSPS0. Payloads are UTF-8 JSON, nothing else.</summary>
internal static class Lsps0Envelope
{
    // bLIP-0050 "Common Schemas": characters that need no escape are written as they are.
    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static bool TryReadRequest(JsonElement root, out RequestEnvelope request, out string reason)
    {
        request = default;
        if (!HasVersion(root, out reason))
        {
            return false;
        }

        if (root.TryGetProperty("result"u8, out _) || root.TryGetProperty("error"u8, out _))
        {
            reason = "a request has neither 'result' nor 'error'";
            return false;
        }

        if (!root.TryGetProperty("method"u8, out JsonElement method) || method.ValueKind != JsonValueKind.String)
        {
            reason = "'method' is missing or not a string";
            return false;
        }

        // A client MUST NOT send notifications: every request has an id, a string or a number.
        // (JSON-RPC allows null, but a null id could not be told apart from our parse-error reply.)
        if (!root.TryGetProperty("id"u8, out JsonElement id))
        {
            reason = "a request without 'id' is a notification, which LSPS0 clients must not send";
            return false;
        }

        if (id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            reason = "'id' is not a string or a number";
            return false;
        }

        JsonElement parameters = default;
        if (root.TryGetProperty("params"u8, out JsonElement p))
        {
            if (p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                reason = "'params' is neither an object nor an array";
                return false;
            }

            parameters = p;
        }

        request = new RequestEnvelope(id, method.GetString()!, parameters);
        reason = string.Empty;
        return true;
    }

    public static bool TryReadResponse(JsonElement root, out ResponseEnvelope response, out string reason)
    {
        response = default;
        if (!HasVersion(root, out reason))
        {
            return false;
        }

        if (root.TryGetProperty("method"u8, out _))
        {
            reason = "a response has no 'method'";
            return false;
        }

        if (!root.TryGetProperty("id"u8, out JsonElement id)
            || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            reason = "a response's 'id' is missing or not a string, number or null";
            return false;
        }

        bool hasResult = root.TryGetProperty("result"u8, out JsonElement result);
        bool hasError = root.TryGetProperty("error"u8, out JsonElement error);
        if (hasResult == hasError)
        {
            reason = "a response has exactly one of 'result' and 'error'";
            return false;
        }

        if (hasResult)
        {
            response = new ResponseEnvelope(id, result, null);
            return true;
        }

        if (error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("code"u8, out JsonElement code)
            || code.ValueKind != JsonValueKind.Number
            || !code.TryGetInt32(out int codeValue)
            || !error.TryGetProperty("message"u8, out JsonElement message)
            || message.ValueKind != JsonValueKind.String)
        {
            reason = "'error' is not an object with an integer 'code' and a string 'message'";
            return false;
        }

        JsonElement data = error.TryGetProperty("data"u8, out JsonElement d) ? d.Clone() : default;
        response = new ResponseEnvelope(id, default, new Lsps0Error(codeValue, message.GetString()!, data));
        return true;
    }

    public static bool TryReadNotification(JsonElement root, out NotificationEnvelope notification, out string reason)
    {
        notification = default;
        if (!HasVersion(root, out reason))
        {
            return false;
        }

        if (root.TryGetProperty("id"u8, out _))
        {
            reason = "a notification has no 'id'";
            return false;
        }

        if (!root.TryGetProperty("method"u8, out JsonElement method) || method.ValueKind != JsonValueKind.String)
        {
            reason = "'method' is missing or not a string";
            return false;
        }

        // The LSP MUST use by-name parameters for notifications.
        if (!root.TryGetProperty("params"u8, out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object)
        {
            reason = "a notification's 'params' is missing or not an object";
            return false;
        }

        notification = new NotificationEnvelope(method.GetString()!, parameters);
        return true;
    }

    public static byte[] WriteRequest(string id, string method, JsonObject? parameters) =>
        Write(w =>
        {
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WriteString("method"u8, method);
            w.WritePropertyName("params"u8);
            if (parameters is null)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                parameters.WriteTo(w);
            }

            w.WriteString("id"u8, id);
        });

    public static byte[] WriteResult(JsonElement id, JsonObject result) =>
        Write(w =>
        {
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WritePropertyName("id"u8);
            id.WriteTo(w);
            w.WritePropertyName("result"u8);
            result.WriteTo(w);
        });

    /// <param name="id">The request's id, or <see langword="null"/> for <c>"id": null</c>.</param>
    public static byte[] WriteError(JsonElement? id, int code, string message, JsonObject? data) =>
        Write(w =>
        {
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WritePropertyName("id"u8);
            if (id is { } value)
            {
                value.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteStartObject("error"u8);
            w.WriteNumber("code"u8, code);
            w.WriteString("message"u8, message);
            if (data is not null)
            {
                w.WritePropertyName("data"u8);
                data.WriteTo(w);
            }

            w.WriteEndObject();
        });

    public static byte[] WriteNotification(string method, JsonObject parameters) =>
        Write(w =>
        {
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WriteString("method"u8, method);
            w.WritePropertyName("params"u8);
            parameters.WriteTo(w);
        });

    private static bool HasVersion(JsonElement root, out string reason)
    {
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("jsonrpc"u8, out JsonElement version)
            && version.ValueKind == JsonValueKind.String
            && version.ValueEquals("2.0"u8))
        {
            reason = string.Empty;
            return true;
        }

        reason = "'jsonrpc' is not \"2.0\"";
        return false;
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
