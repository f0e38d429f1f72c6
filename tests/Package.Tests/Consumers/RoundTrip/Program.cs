using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Testing;

// 1. The generated serializer: encode, decode, compare.
var hello = new Hello(42, 7, [0xca, 0xfe]);
var bytes = new byte[hello.GetEncodedLength()];
int written = hello.WriteTo(bytes);
Hello back = Hello.Read(bytes);
if (written != bytes.Length || back.Id != hello.Id || back.Count != hello.Count || !back.Note.SequenceEqual(hello.Note))
{
    Console.Error.WriteLine($"codec round trip FAILED: {Convert.ToHexString(bytes)}");
    return 1;
}

// 2. The runtime on the in-memory lightningd: bob's plugin answers alice's Hello with Count + 1.
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
await using var simulator = new LightningdSimulator();
SimulatedNode alice = simulator.AddNode("alice");
SimulatedNode bob = simulator.AddNode("bob");
await bob.StartPluginAsync("hello", plugin => plugin.HandleMessage<Hello>((context, ct) =>
    new ValueTask(context.ReplyAsync(context.Message with { Count = (ushort)(context.Message.Count + 1) }, ct))),
    cancellationToken: timeout.Token);
await simulator.ConnectAsync(alice, bob, timeout.Token);

await alice.Rpc.SendCustomMessageAsync(bob.Id, bytes, timeout.Token);
ReceivedCustomMessage reply = await alice.WaitForCustomMessageAsync(Hello.Type, cancellationToken: timeout.Token);
Hello answer = Hello.Read(reply.Payload.Span);
if (answer.Id != 42 || answer.Count != 8)
{
    Console.Error.WriteLine($"plugin round trip FAILED: {answer}");
    return 1;
}

Console.WriteLine($"round trip ok: {Convert.ToHexString(bytes)} -> {Convert.ToHexString(reply.Payload.Span)}");
return 0;

[CustomMessage(32769)]
public partial record Hello(ulong Id, ushort Count, [LengthPrefixed] byte[] Note);
