using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Plugin;

// A plugin as a user writes it: one typed handler for one custom message.
// BENCH_NOHANDLER=1 leaves the handler out, to measure the stdin loop alone (diagnosis only).
var builder = ClnPlugin.CreateBuilder(args);
builder.Name = "benchplugin";
if (Environment.GetEnvironmentVariable("BENCH_NOHANDLER") is null)
{
    builder.HandleMessage<BenchPing>((_, _) => ValueTask.CompletedTask);
}

await builder.Build().RunAsync();

/// <summary>The benchmark's message: a nonce and an opaque tail.</summary>
[CustomMessage(0x8001)]
internal sealed partial record BenchPing(ulong Nonce, [RestOfMessage] byte[] Data);
