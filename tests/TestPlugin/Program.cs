using System.Text.Json.Nodes;
using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Plugin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Echoes 0x8001 messages (generated codec) back to their sender as 0x8003, prints to the console
// (which must become log lines, never stdout), and offers one RPC method.
var builder = ClnPlugin.CreateBuilder(args);
builder.Name = "testplugin";
Console.WriteLine("configuring testplugin"); // before Build(): must still become a log line
builder.AddStringOption("testplugin-greeting", "What the ping method answers", "pong");
builder.AddMethod("testplugin-ping", (ctx, _) =>
{
    var plugin = ctx.Services.GetRequiredService<ClnPluginContext>();
    return ValueTask.FromResult<JsonNode?>(new JsonObject { ["answer"] = plugin.GetString("testplugin-greeting") });
}, usage: "", description: "Answers with the greeting option");
builder.HandleMessage<EchoRequest>(async (ctx, ct) =>
{
    Console.WriteLine($"echoing {ctx.Message.Body.Length} bytes to {ctx.PeerId}");
    await ctx.ReplyAsync(new EchoReply(ctx.Message.Body), ct);
});
builder.OnInit((init, _) =>
{
    init.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TestPlugin").LogInformation("initialised on {Network}", init.Configuration.Network);
    return ValueTask.CompletedTask;
});
await builder.Build().RunAsync();
return 0;

/// <summary>A request to echo: type 0x8001, the rest of the message is the payload.</summary>
[CustomMessage(0x8001)]
internal sealed partial record EchoRequest([RestOfMessage] byte[] Body);

/// <summary>The echo: type 0x8003, same payload.</summary>
[CustomMessage(0x8003)]
internal sealed partial record EchoReply([RestOfMessage] byte[] Body);
