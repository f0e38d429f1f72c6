using System.Text;
using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Rpc.Models;
using Cln.ProtocolExtensions.Wire;
using Microsoft.Extensions.DependencyInjection;

// A project with one package reference uses a type of each layer, and runs each.

// Wire (Cln.ProtocolExtensions.Wire.dll): a BOLT primitive, an amount, the codec under a generated message.
ShortChannelId scid = ShortChannelId.Parse("103x1x0");
var note = new Note(scid, AmountMsat.Parse("1sat").Millisatoshis);
var bytes = new byte[note.GetEncodedLength()];
note.WriteTo(bytes);
var reader = new WireReader(bytes.AsSpan(2));
if (Note.Read(bytes) != note || !reader.TryReadShortChannelId(out ShortChannelId read) || read != scid || new AmountMsat(note.Msat) != AmountMsat.FromSatoshis(1))
{
    Console.Error.WriteLine($"wire FAILED: {Convert.ToHexString(bytes)}");
    return 1;
}

// Rpc (Cln.ProtocolExtensions.Rpc.dll): the client's models and version type.
var sign = new SignmessageRequest { Message = "layers" };
if (!(LightningdVersion.Parse("v26.06.6") >= LightningdVersion.Parse("v25.12")) || sign.Message != "layers")
{
    Console.Error.WriteLine("rpc FAILED");
    return 1;
}

// Plugin (Cln.ProtocolExtensions.dll): a plugin whose handler would sign with the injected client,
// asked for its manifest as lightningd asks, on in-memory streams; it stops when its input ends.
var input = new MemoryStream(Encoding.UTF8.GetBytes(
    "{\"jsonrpc\":\"2.0\",\"id\":\"cln:getmanifest#0\",\"method\":\"getmanifest\",\"params\":{\"allow-deprecated-apis\":false}}\n\n"));
var output = new MemoryStream();
ClnPluginBuilder builder = ClnPlugin.CreateBuilder(args).UseStreams(input, output);
builder.HandleMessage<Note>(async (context, ct) =>
{
    ILightningClient lightning = context.Services.GetRequiredService<ILightningClient>();
    SignmessageResponse signed = await lightning.SignMessageAsync(new SignmessageRequest { Message = context.Message.Channel.ToString() }, ct);
    Console.WriteLine(signed.Zbase);
});
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
await using (ClnPlugin plugin = builder.Build())
{
    await plugin.RunAsync(timeout.Token);
}

string manifest = Encoding.UTF8.GetString(output.ToArray());
if (!manifest.Contains("\"custommsg\"", StringComparison.Ordinal))
{
    Console.Error.WriteLine($"plugin FAILED: {manifest}");
    return 1;
}

Console.WriteLine("layers ok: wire, rpc and plugin from one package");
return 0;

[CustomMessage(32771)]
public partial record Note(ShortChannelId Channel, ulong Msat);
