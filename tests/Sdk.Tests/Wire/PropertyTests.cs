using System.Buffers;
using System.Text;
using Cln.ProtocolExtensions.Wire;
using CsCheck;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>
/// Property tests: every primitive and TLV stream round-trips through both writers and the reader,
/// decode-then-encode is byte-identical, and arbitrary bytes make every reader fail only with the
/// codec's own error.
/// </summary>
public class PropertyTests
{
    private const int Iterations = 2000;

    private static readonly Gen<string> Utf8Text =
        Gen.Int[0, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Array[0, 12]
            .Select(cps => string.Concat(cps.Select(cp => new Rune(cp).ToString())));

    private static readonly Gen<PubKey> Keys =
        Gen.Byte.Array[32].Where(b => b.Any(x => x != 0) && b[0] < 0xff).Select(b => new Key(b).PubKey);

    private sealed record Primitives(
        byte B, ushort U16, uint U32, ulong U64, sbyte S8, short S16, int S32, long S64,
        ushort TU16, uint TU32, ulong TU64, ulong BigSize, ulong Scid, byte[] Fixed64, string Text, byte[] Blob, PubKey Point, byte Dir);

    private static readonly Gen<Primitives> PrimitiveValues =
        Gen.Select(Gen.Byte, Gen.UShort, Gen.UInt, Gen.ULong, Gen.SByte, Gen.Short, Gen.Int, Gen.Long)
            .SelectMany(a => Gen.Select(Gen.UShort, Gen.UInt, Gen.ULong, Gen.ULong, Gen.ULong, Gen.Byte.Array[64], Utf8Text, Gen.Byte.Array[0, 300])
                .SelectMany(b => Gen.Select(Keys, Gen.Byte[0, 1])
                    .Select(c => new Primitives(
                        a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8,
                        b.Item1, b.Item2, b.Item3, b.Item4 >> (int)(b.Item4 % 64), b.Item5, b.Item6, b.Item7, b.Item8, c.Item1, c.Item2))));

    private static int Length(Primitives p) =>
        1 + 2 + 4 + 8 + 1 + 2 + 4 + 8
        + WireSize.Tlv(1, WireSize.TU16(p.TU16)) + WireSize.Tlv(2, WireSize.TU32(p.TU32)) + WireSize.Tlv(3, WireSize.TU64(p.TU64))
        + WireSize.BigSize(p.BigSize) + WireSize.ShortChannelId + WireSize.ChannelId + WireSize.Signature + WireSize.Bip340Signature
        + WireSize.Hash + 2 + WireSize.Utf8(p.Text) + WireSize.BigSize((ulong)p.Blob.Length) + p.Blob.Length + WireSize.Point + 9;

    private static void WriteAll(ref SpanWireWriter w, Primitives p)
    {
        w.WriteByte(p.B);
        w.WriteU16(p.U16);
        w.WriteU32(p.U32);
        w.WriteU64(p.U64);
        w.WriteS8(p.S8);
        w.WriteS16(p.S16);
        w.WriteS32(p.S32);
        w.WriteS64(p.S64);
        w.WriteTlvHeader(1, WireSize.TU16(p.TU16));
        w.WriteTU16(p.TU16);
        w.WriteTlvHeader(2, WireSize.TU32(p.TU32));
        w.WriteTU32(p.TU32);
        w.WriteTlvHeader(3, WireSize.TU64(p.TU64));
        w.WriteTU64(p.TU64);
        w.WriteBigSize(p.BigSize);
        w.WriteShortChannelId(ShortChannelId.FromUInt64(p.Scid));
        w.WriteChannelId(new ChannelId(p.Fixed64.AsSpan(0, 32)));
        w.WriteSignature(new CompactEcdsaSignature(p.Fixed64));
        w.WriteBip340Signature(new Bip340Signature(p.Fixed64));
        w.WriteSha256(new uint256(p.Fixed64.AsSpan(32, 32)));
        w.WriteU16((ushort)WireSize.Utf8(p.Text));
        w.WriteUtf8(p.Text);
        w.WriteBigSizePrefixedBytes(p.Blob);
        w.WritePoint(p.Point);
        w.WriteSciddirOrPubKey(SciddirOrPubKey.FromShortChannelId(p.Dir, ShortChannelId.FromUInt64(p.Scid)));
    }

    private static void WriteAll(ref WireWriter<ArrayBufferWriter<byte>> w, Primitives p)
    {
        w.WriteByte(p.B);
        w.WriteU16(p.U16);
        w.WriteU32(p.U32);
        w.WriteU64(p.U64);
        w.WriteS8(p.S8);
        w.WriteS16(p.S16);
        w.WriteS32(p.S32);
        w.WriteS64(p.S64);
        w.WriteTlvHeader(1, WireSize.TU16(p.TU16));
        w.WriteTU16(p.TU16);
        w.WriteTlvHeader(2, WireSize.TU32(p.TU32));
        w.WriteTU32(p.TU32);
        w.WriteTlvHeader(3, WireSize.TU64(p.TU64));
        w.WriteTU64(p.TU64);
        w.WriteBigSize(p.BigSize);
        w.WriteShortChannelId(ShortChannelId.FromUInt64(p.Scid));
        w.WriteChannelId(new ChannelId(p.Fixed64.AsSpan(0, 32)));
        w.WriteSignature(new CompactEcdsaSignature(p.Fixed64));
        w.WriteBip340Signature(new Bip340Signature(p.Fixed64));
        w.WriteSha256(new uint256(p.Fixed64.AsSpan(32, 32)));
        w.WriteU16((ushort)WireSize.Utf8(p.Text));
        w.WriteUtf8(p.Text);
        w.WriteBigSizePrefixedBytes(p.Blob);
        w.WritePoint(p.Point);
        w.WriteSciddirOrPubKey(SciddirOrPubKey.FromShortChannelId(p.Dir, ShortChannelId.FromUInt64(p.Scid)));
    }

    [Fact]
    public void EveryPrimitiveRoundTripsThroughBothWriters() =>
        PrimitiveValues.Sample(p =>
        {
            var bytes = new byte[Length(p)];
            var s = new SpanWireWriter(bytes);
            WriteAll(ref s, p);
            Assert.Equal(bytes.Length, s.Written);

            var buffer = new ArrayBufferWriter<byte>(1);
            var b = new WireWriter<ArrayBufferWriter<byte>>(ref buffer);
            WriteAll(ref b, p);
            b.Flush();
            Assert.Equal(bytes, buffer.WrittenSpan.ToArray());

            var r = new WireReader(bytes);
            Assert.Equal(p.B, r.ReadByte());
            Assert.Equal(p.U16, r.ReadU16());
            Assert.Equal(p.U32, r.ReadU32());
            Assert.Equal(p.U64, r.ReadU64());
            Assert.Equal(p.S8, r.ReadS8());
            Assert.Equal(p.S16, r.ReadS16());
            Assert.Equal(p.S32, r.ReadS32());
            Assert.Equal(p.S64, r.ReadS64());
            var tlv = new TlvReader(r.Slice(WireSize.Tlv(1, WireSize.TU16(p.TU16)) + WireSize.Tlv(2, WireSize.TU32(p.TU32)) + WireSize.Tlv(3, WireSize.TU64(p.TU64))));
            Assert.True(tlv.ReadNext(out ulong t1, out WireReader v1));
            Assert.Equal((1UL, p.TU16), (t1, v1.ReadTU16()));
            Assert.True(tlv.ReadNext(out ulong t2, out WireReader v2));
            Assert.Equal((2UL, p.TU32), (t2, v2.ReadTU32()));
            Assert.True(tlv.ReadNext(out ulong t3, out WireReader v3));
            Assert.Equal((3UL, p.TU64), (t3, v3.ReadTU64()));
            Assert.False(tlv.ReadNext(out _, out _));
            Assert.Equal(p.BigSize, r.ReadBigSize());
            Assert.Equal(p.Scid, r.ReadShortChannelId().ToUInt64());
            Assert.Equal(new ChannelId(p.Fixed64.AsSpan(0, 32)), r.ReadChannelId());
            Assert.Equal(new CompactEcdsaSignature(p.Fixed64), r.ReadSignature());
            Assert.Equal(new Bip340Signature(p.Fixed64), r.ReadBip340Signature());
            Assert.Equal(new uint256(p.Fixed64.AsSpan(32, 32)), r.ReadSha256());
            Assert.Equal(p.Text, r.ReadUtf8(r.ReadU16()));
            Assert.Equal(p.Blob, r.ReadBigSizePrefixedBytes().ToArray());
            Assert.Equal(p.Point, r.ReadPoint());
            SciddirOrPubKey sd = r.ReadSciddirOrPubKey();
            Assert.Equal((p.Dir, p.Scid), (sd.Direction, sd.ShortChannelId.ToUInt64()));
            r.EnsureEnd();
        }, iter: Iterations);

    [Fact]
    public void ShortChannelIdTextRoundTrips() =>
        Gen.ULong.Sample(v =>
        {
            ShortChannelId scid = ShortChannelId.FromUInt64(v);
            Assert.Equal(scid, ShortChannelId.Parse(scid.ToString()));
            Assert.Equal(scid, new ShortChannelId(scid.BlockHeight, scid.TxIndex, scid.OutputIndex));
        }, iter: Iterations);

    private static readonly Gen<List<TlvRecord>> OddRecords =
        Gen.Select(Gen.ULong, Gen.Byte.Array[0, 40])
            .Select(t => (Type: (t.Item1 >> (int)(t.Item1 % 64)) | 1, Value: t.Item2))
            .Array[0, 8]
            .Select(rs => rs.DistinctBy(r => r.Type).OrderBy(r => r.Type).Select(r => new TlvRecord(r.Type, r.Value)).ToList());

    [Fact]
    public void TlvStreamsRoundTripByteForByte() =>
        OddRecords.Sample(records =>
        {
            byte[] encoded = EmptyNamespace.Encode(records);
            Assert.True(EmptyNamespace.TryDecode(encoded, out List<TlvRecord> decoded, out WireError error), error.ToString());
            Assert.Equal(records, decoded);
            Assert.Equal(encoded, EmptyNamespace.Encode(decoded));
        }, iter: Iterations);

    private static readonly Gen<N1Stream> N1Values =
        Gen.Select(Gen.ULong.Nullable(), Gen.ULong.Nullable(), Gen.Bool, Gen.UShort.Nullable(), OddRecords)
            .SelectMany(t => Gen.Select(Keys, Gen.ULong, Gen.ULong).Select(k =>
            {
                var n1 = new N1Stream
                {
                    Tlv1AmountMsat = t.Item1,
                    Tlv2Scid = t.Item2 is { } s ? ShortChannelId.FromUInt64(s) : null,
                    Tlv3 = t.Item3 ? (k.Item1, k.Item2, k.Item3) : null,
                    Tlv4CltvDelta = t.Item4,
                };
                n1.Unknown.AddRange(t.Item5.Where(r => r.Type is not (1 or 3)));
                return n1;
            }));

    [Fact]
    public void KnownAndUnknownRecordsRoundTripThroughAHandWrittenNamespace() =>
        N1Values.Sample(n1 =>
        {
            byte[] encoded = n1.Encode();
            Assert.True(N1Stream.TryDecode(encoded, out N1Stream decoded, out WireError error), error.ToString());
            Assert.Equal(n1.Tlv1AmountMsat, decoded.Tlv1AmountMsat);
            Assert.Equal(n1.Tlv2Scid, decoded.Tlv2Scid);
            Assert.Equal(n1.Tlv3, decoded.Tlv3);
            Assert.Equal(n1.Tlv4CltvDelta, decoded.Tlv4CltvDelta);
            Assert.Equal(n1.Unknown, decoded.Unknown);
            Assert.Equal(encoded, decoded.Encode());
        }, iter: 500);

    [Fact]
    public void MutatedStreamsFailCleanlyOrReEncodeIdentically() =>
        Gen.Select(N1Values, Gen.Int[0, 1000], Gen.Byte).Sample((n1, at, value) =>
        {
            byte[] bytes = n1.Encode();
            if (bytes.Length == 0)
            {
                return;
            }

            bytes[at % bytes.Length] = value;
            if (N1Stream.TryDecode(bytes, out N1Stream decoded, out WireError error))
            {
                Assert.Equal(bytes, decoded.Encode());
            }
            else
            {
                Assert.True(error.IsError);
                Assert.InRange(error.Offset, 0, bytes.Length);
            }
        }, iter: Iterations);

    [Fact]
    public void ArbitraryBytesRaiseOnlyTheCodecsOwnError() =>
        Gen.Byte.Array[0, 80].Sample(bytes =>
        {
            ReadEverything(bytes);
            foreach (byte[] candidate in new[] { bytes, [.. new byte[] { 0x00, 0x10 }, .. bytes] })
            {
                if (N1Stream.TryDecode(candidate, out N1Stream n1, out WireError e1))
                {
                    Assert.Equal(candidate, n1.Encode());
                }
                else
                {
                    Assert.InRange(e1.Offset, 0, candidate.Length);
                }

                bool n2 = N2Stream.TryDecode(candidate, out _, out WireError e2);
                Assert.Equal(!n2, e2.IsError);
                if (!n2)
                {
                    Assert.InRange(e2.Offset, 0, candidate.Length);
                }

                if (EmptyNamespace.TryDecode(candidate, out List<TlvRecord> records, out WireError e0))
                {
                    Assert.Equal(candidate, EmptyNamespace.Encode(records));
                }
                else
                {
                    Assert.InRange(e0.Offset, 0, candidate.Length);
                }

                // A header reads exactly when the message starts with type 16 (every candidate fits in 65535 bytes).
                bool header = WireMessage.TryReadHeader(candidate, 16, out _, out WireError eh);
                Assert.Equal(candidate is [0x00, 0x10, ..], header);
                Assert.Equal(!header, eh.IsError);
            }
        }, iter: Iterations * 5);

    /// <summary>Calls every reader method on <paramref name="bytes"/>, as a plain reader and inside TLV values.</summary>
    private static void ReadEverything(byte[] bytes)
    {
        EveryMethod(new WireReader(bytes, 3), bytes.Length + 3);

        var tlv = new TlvReader(bytes);
        while (true)
        {
            bool next;
            try
            {
                next = tlv.ReadNext(out ulong type, out WireReader value);
                if (next)
                {
                    EveryMethod(value, bytes.Length);
                    tlv.TrySkipUnknown(type);
                }
            }
            catch (WireFormatException ex)
            {
                Assert.Equal(tlv.Error, ex.Error);
                break;
            }

            if (!next)
            {
                break;
            }
        }
    }

    private delegate bool TryRead(ref WireReader reader);

    private delegate void Read(ref WireReader reader);

    private static readonly TryRead[] TryReads =
    [
        (ref WireReader r) => r.TryReadByte(out _),
        (ref WireReader r) => r.TryReadU16(out _),
        (ref WireReader r) => r.TryReadU32(out _),
        (ref WireReader r) => r.TryReadU64(out _),
        (ref WireReader r) => r.TryReadS8(out _),
        (ref WireReader r) => r.TryReadS16(out _),
        (ref WireReader r) => r.TryReadS32(out _),
        (ref WireReader r) => r.TryReadS64(out _),
        (ref WireReader r) => r.TryReadTU16(out _),
        (ref WireReader r) => r.TryReadTU32(out _),
        (ref WireReader r) => r.TryReadTU64(out _),
        (ref WireReader r) => r.TryReadBigSize(out _),
        (ref WireReader r) => r.TryReadChainHash(out _),
        (ref WireReader r) => r.TryReadSha256(out _),
        (ref WireReader r) => r.TryReadChannelId(out _),
        (ref WireReader r) => r.TryReadSignature(out _),
        (ref WireReader r) => r.TryReadBip340Signature(out _),
        (ref WireReader r) => r.TryReadPoint(out _),
        (ref WireReader r) => r.TryReadShortChannelId(out _),
        (ref WireReader r) => r.TryReadSciddirOrPubKey(out _),
        (ref WireReader r) => r.TryReadBytes(5, out _),
        (ref WireReader r) => r.TryReadByteArray(7, out _),
        (ref WireReader r) => r.TryReadU8PrefixedBytes(out _),
        (ref WireReader r) => r.TryReadU16PrefixedBytes(out _),
        (ref WireReader r) => r.TryReadBigSizePrefixedBytes(out _),
        (ref WireReader r) => r.TryReadUtf8(3, out _),
        (ref WireReader r) => r.TryReadUtf8Remaining(out _),
        (ref WireReader r) => r.TrySlice(4, out _),
        (ref WireReader r) => r.TryEnsureEnd(),
    ];

    private static readonly Read[] Reads =
    [
        (ref WireReader r) => r.ReadByte(),
        (ref WireReader r) => r.ReadU16(),
        (ref WireReader r) => r.ReadU32(),
        (ref WireReader r) => r.ReadU64(),
        (ref WireReader r) => r.ReadS8(),
        (ref WireReader r) => r.ReadS16(),
        (ref WireReader r) => r.ReadS32(),
        (ref WireReader r) => r.ReadS64(),
        (ref WireReader r) => r.ReadTU16(),
        (ref WireReader r) => r.ReadTU32(),
        (ref WireReader r) => r.ReadTU64(),
        (ref WireReader r) => r.ReadBigSize(),
        (ref WireReader r) => r.ReadChainHash(),
        (ref WireReader r) => r.ReadSha256(),
        (ref WireReader r) => r.ReadChannelId(),
        (ref WireReader r) => r.ReadSignature(),
        (ref WireReader r) => r.ReadBip340Signature(),
        (ref WireReader r) => r.ReadPoint(),
        (ref WireReader r) => r.ReadShortChannelId(),
        (ref WireReader r) => r.ReadSciddirOrPubKey(),
        (ref WireReader r) => r.ReadBytes(5),
        (ref WireReader r) => r.ReadByteArray(7),
        (ref WireReader r) => r.ReadU8PrefixedBytes(),
        (ref WireReader r) => r.ReadU16PrefixedBytes(),
        (ref WireReader r) => r.ReadBigSizePrefixedBytes(),
        (ref WireReader r) => r.ReadUtf8(3),
        (ref WireReader r) => r.ReadUtf8Remaining(),
        (ref WireReader r) => r.Slice(4),
        (ref WireReader r) => r.EnsureEnd(),
    ];

    private static void EveryMethod(WireReader start, int end)
    {
        // Each method alone from the start, then all of them in sequence on one reader.
        foreach (TryRead tryRead in TryReads)
        {
            WireReader r = start;
            int before = r.Position;
            if (!tryRead(ref r))
            {
                Assert.True(r.Error.IsError);
                Assert.Equal(before, r.Position);
                Assert.InRange(r.Error.Offset, before, end);
            }
        }

        WireReader chained = start;
        foreach (TryRead tryRead in TryReads)
        {
            tryRead(ref chained);
        }

        foreach (Read read in Reads)
        {
            WireReader r = start;
            try
            {
                read(ref r);
            }
            catch (WireFormatException ex)
            {
                Assert.Equal(r.Error, ex.Error);
            }
        }
    }
}
