using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Wire;
using Microsoft.Extensions.Logging;

// Echoes 0x8001 messages back to their sender as 0x8003, prints to the console (which must become
// log lines, never stdout), and offers one RPC method.
var builder = ClnPlugin.CreateBuilder(args);
builder.Name = "testplugin";
builder.AddStringOption("testplugin-greeting", "What the ping method answers", "pong");
builder.AddMethod("testplugin-ping", (ctx, _) =>
{
    var plugin = (ClnPluginContext)ctx.Services.GetService(typeof(ClnPluginContext))!;
    return ValueTask.FromResult<JsonNode?>(new JsonObject { ["answer"] = plugin.GetString("testplugin-greeting") });
}, usage: "", description: "Answers with the greeting option");
builder.HandleMessage<Echo8001>(async (ctx, ct) =>
{
    Console.WriteLine($"echoing {ctx.Message.Body.Length} bytes to {ctx.PeerId}");
    await ctx.ReplyAsync(new Echo8001(ctx.Message.Body, reply: true), ct);
});
builder.OnInit((init, _) =>
{
    ((ILoggerFactory)init.Services.GetService(typeof(ILoggerFactory))!).CreateLogger("TestPlugin").LogInformation("initialised on {Network}", init.Configuration.Network);
    return ValueTask.CompletedTask;
});
await builder.Build().RunAsync();
return 0;

/// <summary>0x8001 in, 0x8003 out, opaque body.</summary>
internal sealed class Echo8001(byte[] body, bool reply = false) : ICustomMessage<Echo8001>
{
    public static ushort Type => 0x8001;

    public byte[] Body { get; } = body;

    public ushort MessageType => reply ? (ushort)0x8003 : Type;

    public int GetEncodedLength() => 2 + Body.Length;

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, MessageType);
        Body.CopyTo(destination[2..]);
        return 2 + Body.Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out Echo8001 value, out WireError error)
    {
        if (message.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(message) != Type)
        {
            value = null;
            error = new WireError(WireErrorKind.UnexpectedType, 0);
            return false;
        }

        value = new Echo8001(message[2..].ToArray());
        error = default;
        return true;
    }

    public static Echo8001 Read(ReadOnlySpan<byte> message) =>
        TryRead(message, out var value, out var error) ? value : throw error.ToException();
}
