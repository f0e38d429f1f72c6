using System.Buffers;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Wire;

public class WriterTests
{
    [Fact]
    public void SpanWriterRefusesToWritePastTheEnd()
    {
        var bytes = new byte[3];
        var writer = new SpanWireWriter(bytes);
        writer.WriteU16(1);
        try
        {
            writer.WriteU16(2);
            Assert.Fail("wrote past the end");
        }
        catch (ArgumentException)
        {
        }

        Assert.Equal(2, writer.Written);
        Assert.Equal(1, writer.Free);
    }

    [Fact]
    public void TlvRecordsMustBeWrittenInStrictlyIncreasingOrder()
    {
        var bytes = new byte[16];
        var writer = new SpanWireWriter(bytes);
        writer.WriteTlv(3, [1]);
        try
        {
            writer.WriteTlv(3, [1]);
            Assert.Fail("duplicate type accepted");
        }
        catch (InvalidOperationException)
        {
        }

        try
        {
            writer.WriteTlvHeader(1, 0);
            Assert.Fail("decreasing type accepted");
        }
        catch (InvalidOperationException)
        {
        }

        writer.WriteTlv(ulong.MaxValue, []);
        writer.BeginTlvStream();
        writer.WriteTlv(0, []);
        Assert.Equal("030101" + "ffffffffffffffffff00" + "0000", Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void BufferWriterProducesTheSameBytesAsTheSpanWriter()
    {
        var key = new PubKey("023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb");
        var sig = new CompactEcdsaSignature(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());

        var span = new byte[1000];
        var s = new SpanWireWriter(span);
        var buffer = new SmallChunkBufferWriter(); // forces many GetSpan/Advance round trips
        var b = new WireWriter<SmallChunkBufferWriter>(ref buffer);

        for (int i = 0; i < 5; i++)
        {
            s.WriteByte(1); b.WriteByte(1);
            s.WriteS16(-2); b.WriteS16(-2);
            s.WriteU32(3); b.WriteU32(3);
            s.WriteS64(-4); b.WriteS64(-4);
            s.WriteTU32(70000); b.WriteTU32(70000);
            s.WriteBigSize(1UL << 40); b.WriteBigSize(1UL << 40);
            s.WritePoint(key); b.WritePoint(key);
            s.WriteSignature(sig); b.WriteSignature(sig);
            s.WriteSha256(uint256.One); b.WriteSha256(uint256.One);
            s.WriteShortChannelId(new ShortChannelId(1, 2, 3)); b.WriteShortChannelId(new ShortChannelId(1, 2, 3));
            s.WriteUtf8("⚡ zap"); b.WriteUtf8("⚡ zap");
        }

        Assert.Equal(s.Written, b.Written);
        b.Flush();
        Assert.Equal(s.WrittenSpan.ToArray(), buffer.Written.ToArray());
    }

    /// <summary>A struct buffer writer that hands out tiny spans, to exercise <see cref="WireWriter{TBuffer}"/>'s refills.</summary>
    private struct SmallChunkBufferWriter : IBufferWriter<byte>
    {
        private byte[]? _data;
        private int _count;

        public readonly ReadOnlySpan<byte> Written => _data.AsSpan(0, _count);

        public void Advance(int count) => _count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            _data ??= new byte[4096];
            return _data.AsSpan(_count, Math.Max(sizeHint, 1));
        }
    }
}
