using Cln.ProtocolExtensions.Generated.Tests.Bolt1;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>
/// Decoders never throw on arbitrary bytes, and any input they accept re-encodes to the same bytes.
/// Inputs are seeded mutations of valid encodings, so most reach deep into each decoder.
/// </summary>
public class MutationTests
{
    private static IEnumerable<byte[]> Seeds(Random random)
    {
        for (int i = 0; i < 5; i++)
        {
            yield return RoundTripTests.SampleAllFixed(random).ToArray();
            yield return RoundTripTests.SampleCollections(random).ToArray();
        }

        yield return new Ping(4, [1, 2, 3]) { Nonce = 42, UnknownTlvs = [new TlvRecord(3, new byte[] { 9 })] }.ToArray();
        yield return new Extended(new ChannelId(new byte[32]), "memo")
        {
            AmountMsat = 5000,
            Payment = new Payment(1, 2, Color.Red),
            Blob = [1, 2],
            Route = new Route("r", [new Payment(3, 4, Color.Green)]),
            Payments = [new Payment(5, 6, Color.Red)],
            Color = Color.Green,
        }.ToArray();
        yield return new N1 { Tlv1AmountMsat = 1, Tlv2Scid = ShortChannelId.FromUInt64(550), Tlv3 = new N1Tlv3(RoundTripTests.NodeId, 1, 2), Tlv4CltvDelta = 550 }.ToArray();
        yield return new Init([], [2, 0]) { Networks = [Network.Main.GenesisHash] }.ToArray();
        yield return new Outer.Inner.Nested(1, [1, 2, 3]).ToArray();
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 2:
                    bytes[random.Next(2, bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 2:
                    bytes.RemoveRange(random.Next(2, bytes.Count), 1);
                    break;
                case 2:
                    bytes.Insert(random.Next(2, bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 2:
                    // Truncate.
                    int cut = random.Next(2, bytes.Count);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                default:
                    bytes.Add((byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void Decoders_never_throw_and_accepted_inputs_reencode_identically()
    {
        Check(new Random(7)); // the fixed corpus, the same every run
        TestSeed.Run(7, Check); // this run's own inputs
    }

    private static void Check(Random random)
    {
        int accepted = 0;
        int rejected = 0;
        foreach (byte[] seed in Seeds(random).ToList())
        {
            Assert.True(WireMessage.TryPeekType(seed, out ushort type));
            Assert.True(AllMessages.TryGet(type, out CustomMessageDescriptor? descriptor));
            Assert.True(descriptor!.TryDecode(seed, out ICustomMessage? original, out WireError seedError), seedError.ToString());
            Assert.Equal(seed, RoundTripTests.Reencode(original!));

            for (int i = 0; i < 500; i++)
            {
                byte[] input = Mutate(seed, random);
                if (descriptor.TryDecode(input, out ICustomMessage? decoded, out WireError error))
                {
                    accepted++;
                    Assert.Equal(input, RoundTripTests.Reencode(decoded!));
                }
                else
                {
                    rejected++;
                    Assert.True(error.IsError);
                    Assert.InRange(error.Offset, 0, input.Length);
                }
            }
        }

        // Both paths must have been exercised for the test to mean anything.
        Assert.True(accepted > 100, $"accepted {accepted}");
        Assert.True(rejected > 100, $"rejected {rejected}");
    }
}
