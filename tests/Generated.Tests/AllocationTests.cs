using Cln.ProtocolExtensions.Generated.Tests.Bolt1;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>Writing into a caller's buffer allocates nothing (measured in bytes, not time).</summary>
public class AllocationTests
{
    private static long AllocatedBy(Action action)
    {
        action(); // warm up: JIT and static initialisation
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void WriteTo_and_GetEncodedLength_allocate_nothing()
    {
        var ping = new Ping(4, [1, 2, 3]) { Nonce = 42, UnknownTlvs = [new TlvRecord(3, new byte[] { 9 })] };
        Collections collections = RoundTripTests.SampleCollections(new Random(9));
        var n1 = new N1 { Tlv1AmountMsat = 1, Tlv3 = new N1Tlv3(RoundTripTests.NodeId, 1, 2), Tlv4CltvDelta = 5 };
        byte[] buffer = new byte[4096];

        Assert.Equal(0, AllocatedBy(() => ping.WriteTo(buffer)));
        Assert.Equal(0, AllocatedBy(() => collections.WriteTo(buffer)));
        Assert.Equal(0, AllocatedBy(() => n1.WriteTo(buffer)));
        Assert.Equal(0, AllocatedBy(() => collections.GetEncodedLength()));
    }

    [Fact]
    public void Decoding_a_fixed_message_allocates_only_the_record()
    {
        byte[] bytes = new Ping(4, []).ToArray();
        bool decoded = false;
        long allocated = AllocatedBy(() => decoded = Ping.TryRead(bytes, out _, out _));
        Assert.True(decoded);

        // The record itself (an empty byte array may be shared); no lists, no boxing.
        Assert.InRange(allocated / 100, 1, 128);
    }
}
