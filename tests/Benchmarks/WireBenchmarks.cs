using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Benchmarks;

/// <summary>
/// Reading fixed-size values and TLV records with <see cref="WireReader"/>/<see cref="TlvReader"/>
/// against hand-written <see cref="BinaryPrimitives"/> code doing the same work (the baseline of
/// each category, so the ratio column is the codec's overhead). Each operation is repeated
/// <see cref="Ops"/> times per invocation so that single operations rise above the timer's noise.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class WireReadBenchmarks
{
    /// <summary>Operations per benchmark invocation.</summary>
    public const int Ops = 16;

    // u16 | u32 | u64 | short_channel_id | channel_id (32) | bigsize (5-byte form) = 59 bytes
    private byte[] _fixed = null!;

    // TLV stream: 1: tu64 (3 bytes), 2: scid, 5: odd unknown (10 bytes, skipped), 254: u16
    private byte[] _tlv = null!;

    private ChannelId _expectedChannel;
    private ulong _c0, _c1, _c2, _c3;

    [GlobalSetup]
    public void Setup()
    {
        _fixed = new byte[2 + 4 + 8 + 8 + 32 + 5];
        var w = new SpanWireWriter(_fixed);
        w.WriteU16(0x8001);
        w.WriteU32(0xdeadbeef);
        w.WriteU64(21_000_000_000_000);
        w.WriteShortChannelId(new ShortChannelId(800_000, 1234, 1));
        _expectedChannel = new ChannelId(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        w.WriteChannelId(_expectedChannel);
        w.WriteBigSize(0x1_0000);
        _c0 = BinaryPrimitives.ReadUInt64BigEndian(_fixed.AsSpan(22));
        _c1 = BinaryPrimitives.ReadUInt64BigEndian(_fixed.AsSpan(30));
        _c2 = BinaryPrimitives.ReadUInt64BigEndian(_fixed.AsSpan(38));
        _c3 = BinaryPrimitives.ReadUInt64BigEndian(_fixed.AsSpan(46));

        _tlv = new byte[WireSize.Tlv(1, 3) + WireSize.Tlv(2, 8) + WireSize.Tlv(5, 10) + WireSize.Tlv(254, 2)];
        var t = new SpanWireWriter(_tlv);
        t.WriteTlvHeader(1, WireSize.TU64(0x0a0b0c));
        t.WriteTU64(0x0a0b0c);
        t.WriteTlvHeader(2, 8);
        t.WriteShortChannelId(new ShortChannelId(800_000, 1234, 1));
        t.WriteTlv(5, new byte[10]);
        t.WriteTlvHeader(254, 2);
        t.WriteU16(144);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("ReadFixed")]
    public ulong BinaryPrimitives_ReadFixed()
    {
        ulong total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += BinaryPrimitives_ReadFixedOnce(i);
        }

        return total;
    }

    private ulong BinaryPrimitives_ReadFixedOnce(int slot)
    {
        ReadOnlySpan<byte> s = _fixed;
        if (s.Length < 59)
        {
            return 0;
        }

        ulong sum = BinaryPrimitives.ReadUInt16BigEndian(s);
        sum += BinaryPrimitives.ReadUInt32BigEndian(s[2..]);
        sum += BinaryPrimitives.ReadUInt64BigEndian(s[6..]);
        sum += BinaryPrimitives.ReadUInt64BigEndian(s[14..]);
        bool sameChannel = BinaryPrimitives.ReadUInt64BigEndian(s[22..]) == _c0 && BinaryPrimitives.ReadUInt64BigEndian(s[30..]) == _c1
            && BinaryPrimitives.ReadUInt64BigEndian(s[38..]) == _c2 && BinaryPrimitives.ReadUInt64BigEndian(s[46..]) == _c3;
        sum += sameChannel ? 1UL : 0UL;
        if (s[54] != 0xfe)
        {
            return 0;
        }

        uint big = BinaryPrimitives.ReadUInt32BigEndian(s[55..]);
        return big < 0x10000 ? 0 : sum + big;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("ReadFixed")]
    public ulong WireReader_ReadFixed()
    {
        ulong total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += WireReader_ReadFixedOnce(i);
        }

        return total;
    }

    private ulong WireReader_ReadFixedOnce(int slot)
    {
        var r = new WireReader(_fixed);
        if (!r.TryReadU16(out ushort a) || !r.TryReadU32(out uint b) || !r.TryReadU64(out ulong c)
            || !r.TryReadShortChannelId(out ShortChannelId scid) || !r.TryReadChannelId(out ChannelId channel)
            || !r.TryReadBigSize(out ulong big) || !r.TryEnsureEnd())
        {
            return 0;
        }

        return a + b + c + scid.ToUInt64() + (channel == _expectedChannel ? 1UL : 0UL) + big;
    }

    private readonly byte[] _point = Convert.FromHexString("023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb");
    private readonly byte[] _hash = Convert.FromHexString("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");

    /// <summary>A <c>point</c> becomes an NBitcoin <c>PubKey</c> (an object), validated on the curve.</summary>
    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("ReadObjects")]
    public object? WireReader_ReadPoint()
    {
        object? last = null;
        for (int i = 0; i < Ops; i++)
        {
            last = WireReader_ReadPointOnce(i);
        }

        return last;
    }

    private object? WireReader_ReadPointOnce(int slot)
    {
        var r = new WireReader(_point);
        return r.TryReadPoint(out NBitcoin.PubKey? key) ? key : null;
    }

    /// <summary>A <c>chain_hash</c> becomes an NBitcoin <c>uint256</c> (an object).</summary>
    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("ReadObjects")]
    public object? WireReader_ReadChainHash()
    {
        object? last = null;
        for (int i = 0; i < Ops; i++)
        {
            last = WireReader_ReadChainHashOnce(i);
        }

        return last;
    }

    private object? WireReader_ReadChainHashOnce(int slot)
    {
        var r = new WireReader(_hash);
        return r.TryReadChainHash(out NBitcoin.uint256? hash) ? hash : null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("ReadTlv")]
    public ulong BinaryPrimitives_ReadTlv()
    {
        ulong total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += BinaryPrimitives_ReadTlvOnce(i);
        }

        return total;
    }

    private ulong BinaryPrimitives_ReadTlvOnce(int slot)
    {
        // The same checks the TlvReader makes, written out by hand for this stream's shapes
        // (single-byte or 0xfd types, single-byte lengths).
        ReadOnlySpan<byte> s = _tlv;
        ulong sum = 0;
        ulong last = 0;
        bool any = false;
        int i = 0;
        while (i < s.Length)
        {
            ulong type;
            if (s[i] < 0xfd)
            {
                type = s[i++];
            }
            else if (s[i] == 0xfd && i + 3 <= s.Length)
            {
                type = BinaryPrimitives.ReadUInt16BigEndian(s[(i + 1)..]);
                if (type < 0xfd)
                {
                    return 0;
                }

                i += 3;
            }
            else
            {
                return 0;
            }

            if ((any && type <= last) || i >= s.Length || s[i] >= 0xfd)
            {
                return 0;
            }

            int length = s[i++];
            if (length > s.Length - i)
            {
                return 0;
            }

            ReadOnlySpan<byte> v = s.Slice(i, length);
            switch (type)
            {
                case 1:
                    if (length > 8 || (length > 0 && v[0] == 0))
                    {
                        return 0;
                    }

                    ulong tu = 0;
                    foreach (byte x in v)
                    {
                        tu = (tu << 8) | x;
                    }

                    sum += tu;
                    break;
                case 2:
                    if (length != 8)
                    {
                        return 0;
                    }

                    sum += BinaryPrimitives.ReadUInt64BigEndian(v);
                    break;
                case 254:
                    if (length != 2)
                    {
                        return 0;
                    }

                    sum += BinaryPrimitives.ReadUInt16BigEndian(v);
                    break;
                default:
                    if ((type & 1) == 0)
                    {
                        return 0;
                    }

                    break;
            }

            i += length;
            last = type;
            any = true;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("ReadTlv")]
    public ulong TlvReader_ReadTlv()
    {
        ulong total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += TlvReader_ReadTlvOnce(i);
        }

        return total;
    }

    private ulong TlvReader_ReadTlvOnce(int slot)
    {
        var tlv = new TlvReader(_tlv);
        ulong sum = 0;
        while (tlv.TryReadNext(out ulong type, out WireReader v))
        {
            switch (type)
            {
                case 1:
                    if (!v.TryReadTU64(out ulong amount))
                    {
                        return 0;
                    }

                    sum += amount;
                    break;
                case 2:
                    if (!v.TryReadShortChannelId(out ShortChannelId scid) || !v.TryEnsureEnd())
                    {
                        return 0;
                    }

                    sum += scid.ToUInt64();
                    break;
                case 254:
                    if (!v.TryReadU16(out ushort cltv) || !v.TryEnsureEnd())
                    {
                        return 0;
                    }

                    sum += cltv;
                    break;
                default:
                    if (!tlv.TrySkipUnknown(type))
                    {
                        return 0;
                    }

                    break;
            }
        }

        return tlv.Error.IsError ? 0 : sum;
    }
}

/// <summary>
/// Writing the same fixed-size values and TLV records with <see cref="SpanWireWriter"/> and
/// <see cref="WireWriter{TBuffer}"/> against hand-written <see cref="BinaryPrimitives"/> code,
/// <see cref="Ops"/> records per invocation into consecutive 64-byte slots.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class WireWriteBenchmarks
{
    /// <summary>Operations per benchmark invocation.</summary>
    public const int Ops = 16;

    private readonly byte[] _destination = new byte[Ops * 64];
    private readonly ChannelId _channel = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly ShortChannelId _scid = new(800_000, 1234, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("WriteFixed")]
    public int BinaryPrimitives_WriteFixed()
    {
        int total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += BinaryPrimitives_WriteFixedOnce(i);
        }

        return total;
    }

    private int BinaryPrimitives_WriteFixedOnce(int slot)
    {
        Span<byte> d = _destination.AsSpan(slot * 64, 64);
        BinaryPrimitives.WriteUInt16BigEndian(d, 0x8001);
        BinaryPrimitives.WriteUInt32BigEndian(d[2..], 0xdeadbeef);
        BinaryPrimitives.WriteUInt64BigEndian(d[6..], 21_000_000_000_000);
        BinaryPrimitives.WriteUInt64BigEndian(d[14..], _scid.ToUInt64());
        _channel.WriteTo(d[22..]);
        d[54] = 0xfe;
        BinaryPrimitives.WriteUInt32BigEndian(d[55..], 0x1_0000);
        return 59;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("WriteFixed")]
    public int SpanWireWriter_WriteFixed()
    {
        int total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += SpanWireWriter_WriteFixedOnce(i);
        }

        return total;
    }

    private int SpanWireWriter_WriteFixedOnce(int slot)
    {
        var w = new SpanWireWriter(_destination.AsSpan(slot * 64, 64));
        w.WriteU16(0x8001);
        w.WriteU32(0xdeadbeef);
        w.WriteU64(21_000_000_000_000);
        w.WriteShortChannelId(_scid);
        w.WriteChannelId(_channel);
        w.WriteBigSize(0x1_0000);
        return w.Written;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("WriteFixed")]
    public int BufferWireWriter_WriteFixed()
    {
        int total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += BufferWireWriter_WriteFixedOnce(i);
        }

        return total;
    }

    private int BufferWireWriter_WriteFixedOnce(int slot)
    {
        ArrayBufferWriter<byte> buffer = _buffer;
        buffer.ResetWrittenCount();
        var w = new WireWriter<ArrayBufferWriter<byte>>(ref buffer);
        w.WriteU16(0x8001);
        w.WriteU32(0xdeadbeef);
        w.WriteU64(21_000_000_000_000);
        w.WriteShortChannelId(_scid);
        w.WriteChannelId(_channel);
        w.WriteBigSize(0x1_0000);
        w.Flush();
        return w.Written;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("WriteTlv")]
    public int BinaryPrimitives_WriteTlv()
    {
        int total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += BinaryPrimitives_WriteTlvOnce(i);
        }

        return total;
    }

    private int BinaryPrimitives_WriteTlvOnce(int slot)
    {
        Span<byte> d = _destination.AsSpan(slot * 64, 64);
        d[0] = 1;
        d[1] = 3;
        d[2] = 0x0a;
        d[3] = 0x0b;
        d[4] = 0x0c;
        d[5] = 2;
        d[6] = 8;
        BinaryPrimitives.WriteUInt64BigEndian(d[7..], _scid.ToUInt64());
        d[15] = 0xfd;
        BinaryPrimitives.WriteUInt16BigEndian(d[16..], 254);
        d[18] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(d[19..], 144);
        return 21;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("WriteTlv")]
    public int SpanWireWriter_WriteTlv()
    {
        int total = 0;
        for (int i = 0; i < Ops; i++)
        {
            total += SpanWireWriter_WriteTlvOnce(i);
        }

        return total;
    }

    private int SpanWireWriter_WriteTlvOnce(int slot)
    {
        var w = new SpanWireWriter(_destination.AsSpan(slot * 64, 64));
        const ulong amount = 0x0a0b0c;
        w.WriteTlvHeader(1, WireSize.TU64(amount));
        w.WriteTU64(amount);
        w.WriteTlvHeader(2, WireSize.ShortChannelId);
        w.WriteShortChannelId(_scid);
        w.WriteTlvHeader(254, WireSize.U16);
        w.WriteU16(144);
        return w.Written;
    }
}
