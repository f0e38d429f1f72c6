using Cln.ProtocolExtensions.Rpc.Json;
using System.Buffers;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// Writes JSON the way lightningd's json_stream does: compact, members in lightningd's order, no
/// escaping beyond what JSON needs, and <c>"\n\n"</c> after every message.
/// </summary>
internal static class LightningdJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // lightningd's own escaping (ccan/json_escape), shared with the plugin runtime: a plugin's answer
        // passes through as lightningd would forward it, emoji and U+2028 included.
        Encoder = Cln.ProtocolExtensions.Rpc.Json.LightningdJsonEncoder.Instance,
        Indented = false,
    };

    private static readonly byte[] Terminator = "\n\n"u8.ToArray();

    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            body(writer);
        buffer.Write(Terminator);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{"jsonrpc":"2.0","id":ID,"method":M,"params":{...}}</c>.</summary>
    public static byte[] Request(string id, string method, Action<Utf8JsonWriter> writeParams, string? rawParams = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WriteString("id", id);
        w.WriteString("method", method);
        if (rawParams is not null)
        {
            w.WritePropertyName("params");
            w.WriteRawValue(rawParams, skipInputValidation: true);
        }
        else
        {
            w.WriteStartObject("params");
            writeParams(w);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    /// <summary>A native notification: <c>{"jsonrpc":"2.0","method":T,"params":{T:{...}}}</c>.</summary>
    public static byte[] Notification(string topic, Action<Utf8JsonWriter> writeFields) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WriteString("method", topic);
        w.WriteStartObject("params");
        w.WriteStartObject(topic);
        writeFields(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>A lightning-rpc success: <c>{"jsonrpc":"2.0","id":ID,"result":...}</c> (ID written raw).</summary>
    public static byte[] Result(string rawId, Action<Utf8JsonWriter> writeResult) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WritePropertyName("id");
        w.WriteRawValue(rawId, skipInputValidation: true);
        w.WritePropertyName("result");
        writeResult(w);
        w.WriteEndObject();
    });

    /// <summary>A lightning-rpc error: <c>{"jsonrpc":"2.0","id":ID,"error":{"code":C,"message":M}}</c>.</summary>
    public static byte[] Error(string rawId, int code, string message) => Error(rawId, code, message, null);

    /// <summary>A lightning-rpc error with a <c>data</c> object after the message (<c>json_stream_fail</c>).</summary>
    public static byte[] Error(string rawId, int code, string message, Action<Utf8JsonWriter>? writeData) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WritePropertyName("id");
        w.WriteRawValue(rawId, skipInputValidation: true);
        w.WriteStartObject("error");
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        if (writeData is not null)
        {
            w.WriteStartObject("data");
            writeData(w);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static void WriteAddress(Utf8JsonWriter w, string name, int port)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "ipv4");
        w.WriteString("address", "127.0.0.1");
        w.WriteNumber("port", port);
        w.WriteEndObject();
    }
}
