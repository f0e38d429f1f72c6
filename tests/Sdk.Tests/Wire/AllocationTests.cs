using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>
/// The hot paths allocate nothing: reading and writing fixed-size values and TLV records (skipped
/// unknown records included). Counts bytes, not time, so it is deterministic.
/// </summary>
public class AllocationTests
{
    private static readonly byte[] Stream = Convert.FromHexString(
        "01030a0b0c" + "0208000c350004d20001" + "050a00000000000000000000" + "fd00fe020090");

    private static ulong ReadStream(byte[] bytes)
    {
        var tlv = new TlvReader(bytes);
        ulong sum = 0;
        while (tlv.TryReadNext(out ulong type, out WireReader v))
        {
            switch (type)
            {
                case 1:
                    sum += v.TryReadTU64(out ulong a) ? a : 0;
                    break;
                case 2:
                    sum += v.TryReadShortChannelId(out ShortChannelId s) && v.TryEnsureEnd() ? s.ToUInt64() : 0;
                    break;
                case 254:
                    sum += v.TryReadU16(out ushort c) && v.TryEnsureEnd() ? c : 0UL;
                    break;
                default:
                    tlv.TrySkipUnknown(type);
                    break;
            }
        }

        return tlv.Error.IsError ? 0 : sum;
    }

    private static int WriteAll(byte[] destination, ChannelId channel, CompactEcdsaSignature signature)
    {
        var w = new SpanWireWriter(destination);
        w.WriteU16(0x8001);
        w.WriteU32(7);
        w.WriteU64(8);
        w.WriteS64(-9);
        w.WriteBigSize(1UL << 33);
        w.WriteShortChannelId(new ShortChannelId(1, 2, 3));
        w.WriteChannelId(channel);
        w.WriteSignature(signature);
        w.WriteTlvHeader(1, WireSize.TU64(0x0a0b0c));
        w.WriteTU64(0x0a0b0c);
        w.WriteTlv(5, destination.AsSpan(0, 4));
        return w.Written;
    }

    private static ulong ReadFixed(byte[] bytes)
    {
        var r = new WireReader(bytes);
        bool ok = r.TryReadU16(out ushort a) & r.TryReadU32(out uint b) & r.TryReadU64(out ulong c) & r.TryReadS64(out long d)
            & r.TryReadBigSize(out ulong e) & r.TryReadShortChannelId(out ShortChannelId f) & r.TryReadChannelId(out ChannelId _)
            & r.TryReadSignature(out CompactEcdsaSignature _);
        return ok ? a + b + c + (ulong)d + e + f.ToUInt64() : 0;
    }

    [Fact]
    public void ReadingAndWritingFixedValuesAndTlvRecordsAllocatesNothing()
    {
        var destination = new byte[256];
        var channel = new ChannelId(new byte[32]);
        var signature = new CompactEcdsaSignature(new byte[64]);
        int written = WriteAll(destination, channel, signature);
        byte[] fixedBytes = destination[..written];
        Assert.NotEqual(0UL, ReadStream(Stream));
        Assert.NotEqual(0UL, ReadFixed(fixedBytes));

        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sink = 0;
        for (int i = 0; i < 1000; i++)
        {
            sink += ReadStream(Stream);
            sink += ReadFixed(fixedBytes);
            sink += (ulong)WriteAll(destination, channel, signature);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotEqual(0UL, sink);
        Assert.Equal(0, allocated);
    }
}
