using Cln.ProtocolExtensions;

// Encode with the generated serializer, decode, compare.
var hello = new Hello(42, 7, [0xca, 0xfe]);
var bytes = new byte[hello.GetEncodedLength()];
int written = hello.WriteTo(bytes);
Hello back = Hello.Read(bytes);

if (written != bytes.Length || back.Id != hello.Id || back.Count != hello.Count || !back.Note.SequenceEqual(hello.Note))
{
    Console.Error.WriteLine($"round trip FAILED: {Convert.ToHexString(bytes)}");
    return 1;
}

Console.WriteLine($"round trip ok: {Convert.ToHexString(bytes)}");
return 0;

[CustomMessage(32769)]
public partial record Hello(ulong Id, ushort Count, [LengthPrefixed] byte[] Note);
