using System.Text.Json;

// Reads newline-separated JSON-RPC objects from stdin; answers getmanifest with a manifest that
// registers the custommsg hook, and every other request with {"result":"continue"}.
using var stdin = Console.OpenStandardInput();
using var stdout = Console.OpenStandardOutput();
var output = new BufferedStream(stdout, 64 * 1024);
byte[] buffer = new byte[1 << 20];
int start = 0, end = 0;
while (true)
{
    int newline;
    while ((newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
    {
        Answer(buffer.AsSpan(start, newline), output);
        start += newline + 1;
    }

    // Answers go out when no more input is waiting, as a real loop batches them.
    output.Flush();
    buffer.AsSpan(start, end - start).CopyTo(buffer);
    end -= start;
    start = 0;
    int read = stdin.Read(buffer, end, buffer.Length - end);
    if (read == 0)
    {
        return;
    }

    end += read;
}

static void Answer(ReadOnlySpan<byte> line, Stream output)
{
    if (line.IsEmpty)
    {
        return;
    }

    var reader = new Utf8JsonReader(line);
    ReadOnlySpan<byte> id = default;
    bool manifest = false;
    reader.Read();
    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            reader.Read();
            id = line.Slice((int)reader.TokenStartIndex, (int)reader.BytesConsumed - (int)reader.TokenStartIndex);
        }
        else if (reader.ValueTextEquals("method"u8))
        {
            reader.Read();
            manifest = reader.ValueTextEquals("getmanifest"u8);
        }
        else
        {
            reader.Read();
            reader.Skip();
        }
    }

    if (id.IsEmpty)
    {
        return;
    }

    output.Write("{\"jsonrpc\":\"2.0\",\"id\":"u8);
    output.Write(id);
    output.Write(manifest
        ? ",\"result\":{\"options\":[],\"rpcmethods\":[],\"hooks\":[{\"name\":\"custommsg\"}],\"subscriptions\":[],\"dynamic\":true}}\n\n"u8
        : ",\"result\":{\"result\":\"continue\"}}\n\n"u8);
}
