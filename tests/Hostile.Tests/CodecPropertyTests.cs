using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Hostile.Tests;

/// <summary>
/// For every generated message: decode(encode(x)) == x, the encoded length is exactly the number of
/// bytes written, and the decoded value re-encodes to the same bytes.
/// </summary>
public class CodecPropertyTests
{
    private const int Values = 2_000;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in MessageCases.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Every_generated_message_is_covered()
    {
        // A message declared in this assembly without a case here must fail this test, not go untested.
        var registered = typeof(CodecPropertyTests).Assembly.GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(CustomMessageAttribute), inherit: false).OfType<CustomMessageAttribute>().FirstOrDefault())
            .OfType<CustomMessageAttribute>()
            .Select(a => a.Type)
            .Order()
            .ToArray();
        var covered = MessageCases.All.Select(c => c.Type).Order().ToArray();
        Assert.Equal(registered, covered);
    }

    [Theory]
    [MemberData(nameof(CodecPropertyTests.Names), MemberType = typeof(CodecPropertyTests))]
    public void Decode_of_encode_is_identity_and_lengths_agree(string name)
    {
        MessageCase c = MessageCases.Get(name);
        // The fixed corpus (a seed that is the same in every process), then this run's own values.
        RoundTrips(name, c, new Random((c.Type * 7919) + name.Length), Values);
        TestSeed.Run(c.Type, random => RoundTrips(name, c, random, Values / 4));
    }

    private static void RoundTrips(string name, MessageCase c, Random random, int values)
    {
        for (int i = 0; i < values; i++)
        {
            ICustomMessage x = c.Sample(random);
            int length = x.GetEncodedLength();

            // A larger, dirty destination: the writer must write exactly `length` bytes and nothing more.
            byte[] destination = new byte[length + 8];
            destination.AsSpan().Fill(0xa5);
            int written = x.WriteTo(destination);
            Assert.Equal(length, written);
            Assert.All(destination[length..], b => Assert.Equal(0xa5, b));
            Assert.Equal(c.Type, (ushort)((destination[0] << 8) | destination[1]));

            byte[] bytes = destination[..length];
            Assert.True(c.TryRead(bytes, out ICustomMessage? decoded, out WireError error), $"{name} #{i}: {error} for {Convert.ToHexString(bytes)}");
            Assert.Equal(x, decoded);
            Assert.Equal(x.GetHashCode(), decoded!.GetHashCode());
            Assert.Equal(bytes, Encode(decoded));

            // The throwing reader agrees.
            Assert.Equal(x, c.Read(bytes));
        }
    }

    internal static byte[] Encode(ICustomMessage message)
    {
        byte[] bytes = new byte[message.GetEncodedLength()];
        Assert.Equal(bytes.Length, message.WriteTo(bytes));
        return bytes;
    }
}
