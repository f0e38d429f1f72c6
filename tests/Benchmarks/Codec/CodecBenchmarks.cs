using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cln.ProtocolExtensions.Wire;
using MemoryPack;

namespace Cln.ProtocolExtensions.Benchmarks.Codec;

/// <summary>
/// Generated Write/Read of three representative messages against hand-written
/// <see cref="System.Buffers.Binary.BinaryPrimitives"/> code (the baseline of each category: the
/// ratio column is the generator's overhead) and MemoryPack on an equivalent record.
/// Writes go to a reused buffer (no allocation expected); reads allocate the message and its arrays.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CodecBenchmarks
{
    /// <summary>Each benchmark runs its operation this many times per invocation, so that a ~1 ns operation is not lost in the harness's own overhead.</summary>
    private const int Ops = 16;

    private readonly byte[] _out = new byte[1024];
    private readonly ArrayBufferWriter<byte> _mpOut = new(1024);

    private SmallFixed _small = null!;
    private FixedWithTlv _tlv = null!;
    private HopArray _hops = null!;
    private MpSmallFixed _mpSmall = null!;
    private MpFixedWithTlv _mpTlv = null!;
    private MpHopArray _mpHops = null!;

    private byte[] _smallBytes = null!;
    private byte[] _tlvBytes = null!;
    private byte[] _hopsBytes = null!;
    private byte[] _mpSmallBytes = null!;
    private byte[] _mpTlvBytes = null!;
    private byte[] _mpHopsBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var channel = new ChannelId(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var scid = new ShortChannelId(800_000, 1234, 1);
        _small = new SmallFixed(0x0101, 850_000, 21_000_000_000, scid, channel);
        _tlv = new FixedWithTlv(channel, 1_000_000, 144) { FeeMsat = 1_000, Scid = scid, Memo = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] };
        _hops = new HopArray(42, [.. Enumerable.Range(0, 20).Select(i => new Hop(ShortChannelId.FromUInt64(scid.ToUInt64() + (ulong)i), 1_000_000UL - (ulong)i, 144U + (uint)i))]);

        _mpSmall = new MpSmallFixed(_small.Flags, _small.Height, _small.AmountMsat, scid.ToUInt64(), channel);
        _mpTlv = new MpFixedWithTlv(channel, _tlv.AmountMsat, _tlv.CltvExpiry, _tlv.FeeMsat, _tlv.Scid?.ToUInt64(), _tlv.Memo);
        _mpHops = new MpHopArray(_hops.Id, [.. _hops.Hops.Select(h => new MpHop(h.Scid.ToUInt64(), h.AmountMsat, h.CltvExpiry))]);

        _smallBytes = _small.ToArray();
        _tlvBytes = _tlv.ToArray();
        _hopsBytes = _hops.ToArray();
        _mpSmallBytes = MemoryPackSerializer.Serialize(_mpSmall);
        _mpTlvBytes = MemoryPackSerializer.Serialize(_mpTlv);
        _mpHopsBytes = MemoryPackSerializer.Serialize(_mpHops);

        // The three encoders must agree byte for byte, and the three decoders on the value.
        Check(_smallBytes, HandWritten.Write(_small, _out));
        Check(_tlvBytes, HandWritten.Write(_tlv, _out));
        Check(_hopsBytes, HandWritten.Write(_hops, _out));
        if (!HandWritten.TryRead(_smallBytes, out SmallFixed? a) || a != _small
            || !HandWritten.TryRead(_tlvBytes, out FixedWithTlv? b) || b != _tlv
            || !HandWritten.TryRead(_hopsBytes, out HopArray? c) || c != _hops
            || MemoryPackSerializer.Deserialize<MpHopArray>(_mpHopsBytes)!.Hops.Length != 20)
        {
            throw new InvalidOperationException("the implementations disagree");
        }
    }

    private void Check(byte[] expected, int written)
    {
        if (!_out.AsSpan(0, written).SequenceEqual(expected))
        {
            throw new InvalidOperationException("the hand-written encoder disagrees with the generated one");
        }
    }

    // ---- SmallFixed ----
    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("Write_SmallFixed")]
    public int HandWritten_Write_SmallFixed()
    {
        int result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HandWritten.Write(_small, _out);
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Write_SmallFixed")]
    public int Generated_Write_SmallFixed()
    {
        int result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = _small.WriteTo(_out);
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Write_SmallFixed")]
    public int MemoryPack_Write_SmallFixed()
    {
        for (int i = 0; i < Ops; i++)
        {
            _mpOut.ResetWrittenCount();
            MemoryPackSerializer.Serialize(_mpOut, _mpSmall);
        }

        return _mpOut.WrittenCount;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("Read_SmallFixed")]
    public SmallFixed? HandWritten_Read_SmallFixed()
    {
        SmallFixed? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HandWritten.TryRead(_smallBytes, out SmallFixed? m) ? m : null;
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Read_SmallFixed")]
    public SmallFixed? Generated_Read_SmallFixed()
    {
        SmallFixed? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = SmallFixed.TryRead(_smallBytes, out var m, out _) ? m : null;
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Read_SmallFixed")]
    public MpSmallFixed? MemoryPack_Read_SmallFixed()
    {
        MpSmallFixed? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = MemoryPackSerializer.Deserialize<MpSmallFixed>(_mpSmallBytes);
        }

        return result;
    }

    // ---- FixedWithTlv ----
    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("Write_FixedWithTlv")]
    public int HandWritten_Write_FixedWithTlv()
    {
        int result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HandWritten.Write(_tlv, _out);
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Write_FixedWithTlv")]
    public int Generated_Write_FixedWithTlv()
    {
        int result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = _tlv.WriteTo(_out);
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Write_FixedWithTlv")]
    public int MemoryPack_Write_FixedWithTlv()
    {
        for (int i = 0; i < Ops; i++)
        {
            _mpOut.ResetWrittenCount();
            MemoryPackSerializer.Serialize(_mpOut, _mpTlv);
        }

        return _mpOut.WrittenCount;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("Read_FixedWithTlv")]
    public FixedWithTlv? HandWritten_Read_FixedWithTlv()
    {
        FixedWithTlv? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HandWritten.TryRead(_tlvBytes, out FixedWithTlv? m) ? m : null;
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Read_FixedWithTlv")]
    public FixedWithTlv? Generated_Read_FixedWithTlv()
    {
        FixedWithTlv? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = FixedWithTlv.TryRead(_tlvBytes, out var m, out _) ? m : null;
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Read_FixedWithTlv")]
    public MpFixedWithTlv? MemoryPack_Read_FixedWithTlv()
    {
        MpFixedWithTlv? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = MemoryPackSerializer.Deserialize<MpFixedWithTlv>(_mpTlvBytes);
        }

        return result;
    }

    // ---- HopArray (20 subtypes) ----
    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("Write_HopArray")]
    public int HandWritten_Write_HopArray()
    {
        int result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HandWritten.Write(_hops, _out);
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Write_HopArray")]
    public int Generated_Write_HopArray()
    {
        int result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = _hops.WriteTo(_out);
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Write_HopArray")]
    public int MemoryPack_Write_HopArray()
    {
        for (int i = 0; i < Ops; i++)
        {
            _mpOut.ResetWrittenCount();
            MemoryPackSerializer.Serialize(_mpOut, _mpHops);
        }

        return _mpOut.WrittenCount;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops), BenchmarkCategory("Read_HopArray")]
    public HopArray? HandWritten_Read_HopArray()
    {
        HopArray? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HandWritten.TryRead(_hopsBytes, out HopArray? m) ? m : null;
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Read_HopArray")]
    public HopArray? Generated_Read_HopArray()
    {
        HopArray? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = HopArray.TryRead(_hopsBytes, out var m, out _) ? m : null;
        }

        return result;
    }

    [Benchmark(OperationsPerInvoke = Ops), BenchmarkCategory("Read_HopArray")]
    public MpHopArray? MemoryPack_Read_HopArray()
    {
        MpHopArray? result = default;
        for (int i = 0; i < Ops; i++)
        {
            result = MemoryPackSerializer.Deserialize<MpHopArray>(_mpHopsBytes);
        }

        return result;
    }
}
