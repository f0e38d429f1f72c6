using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>
/// Hand-written decoders of BOLT #1 Appendix B's two TLV namespaces, built on <see cref="TlvReader"/>
/// the way generated code is: each known record read through its bounded value reader and ended
/// with <see cref="WireReader.TryEnsureEnd"/>, unknown records kept (odd) or refused (even).
/// </summary>
internal sealed class N1Stream
{
    public ulong? Tlv1AmountMsat { get; set; }

    public ShortChannelId? Tlv2Scid { get; set; }

    public (PubKey NodeId, ulong AmountMsat1, ulong AmountMsat2)? Tlv3 { get; set; }

    public ushort? Tlv4CltvDelta { get; set; }

    public List<TlvRecord> Unknown { get; } = [];

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out N1Stream value, out WireError error)
    {
        value = new N1Stream();
        var tlv = new TlvReader(bytes);
        while (tlv.TryReadNext(out ulong type, out WireReader v))
        {
            switch (type)
            {
                case 1:
                    if (!v.TryReadTU64(out ulong amount) || !v.TryEnsureEnd())
                    {
                        error = v.Error;
                        return false;
                    }

                    value.Tlv1AmountMsat = amount;
                    break;
                case 2:
                    if (!v.TryReadShortChannelId(out ShortChannelId scid) || !v.TryEnsureEnd())
                    {
                        error = v.Error;
                        return false;
                    }

                    value.Tlv2Scid = scid;
                    break;
                case 3:
                    if (!v.TryReadPoint(out PubKey? node) || !v.TryReadU64(out ulong a1) || !v.TryReadU64(out ulong a2) || !v.TryEnsureEnd())
                    {
                        error = v.Error;
                        return false;
                    }

                    value.Tlv3 = (node, a1, a2);
                    break;
                case 254:
                    if (!v.TryReadU16(out ushort cltv) || !v.TryEnsureEnd())
                    {
                        error = v.Error;
                        return false;
                    }

                    value.Tlv4CltvDelta = cltv;
                    break;
                default:
                    if (!tlv.TryReadUnknown(type, v, out TlvRecord kept))
                    {
                        error = tlv.Error;
                        return false;
                    }

                    value.Unknown.Add(kept);
                    break;
            }
        }

        error = tlv.Error;
        return !error.IsError;
    }

    public int GetEncodedLength()
    {
        int length = WireSize.Tlv(Unknown);
        if (Tlv1AmountMsat is { } a)
        {
            length += WireSize.Tlv(1, WireSize.TU64(a));
        }

        if (Tlv2Scid is not null)
        {
            length += WireSize.Tlv(2, WireSize.ShortChannelId);
        }

        if (Tlv3 is not null)
        {
            length += WireSize.Tlv(3, WireSize.Point + 16);
        }

        if (Tlv4CltvDelta is not null)
        {
            length += WireSize.Tlv(254, 2);
        }

        return length;
    }

    public byte[] Encode()
    {
        var bytes = new byte[GetEncodedLength()];
        var w = new SpanWireWriter(bytes);
        int next = 0;
        w.WriteTlvRecordsBefore(Unknown, ref next, 1);
        if (Tlv1AmountMsat is { } a)
        {
            w.WriteTlvHeader(1, WireSize.TU64(a));
            w.WriteTU64(a);
        }

        w.WriteTlvRecordsBefore(Unknown, ref next, 2);
        if (Tlv2Scid is { } scid)
        {
            w.WriteTlvHeader(2, WireSize.ShortChannelId);
            w.WriteShortChannelId(scid);
        }

        w.WriteTlvRecordsBefore(Unknown, ref next, 3);
        if (Tlv3 is { } t3)
        {
            w.WriteTlvHeader(3, WireSize.Point + 16);
            w.WritePoint(t3.NodeId);
            w.WriteU64(t3.AmountMsat1);
            w.WriteU64(t3.AmountMsat2);
        }

        w.WriteTlvRecordsBefore(Unknown, ref next, 254);
        if (Tlv4CltvDelta is { } cltv)
        {
            w.WriteTlvHeader(254, 2);
            w.WriteU16(cltv);
        }

        w.WriteRemainingTlvRecords(Unknown, ref next);
        Assert.Equal(bytes.Length, w.Written);
        return bytes;
    }
}

/// <summary>Appendix B's namespace n2: type 0 tu64 <c>amount_msat</c>, type 11 tu32 <c>cltv_expiry</c>.</summary>
internal sealed class N2Stream
{
    public ulong? Tlv1AmountMsat { get; set; }

    public uint? Tlv2CltvExpiry { get; set; }

    public List<TlvRecord> Unknown { get; } = [];

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out N2Stream value, out WireError error)
    {
        value = new N2Stream();
        var tlv = new TlvReader(bytes);
        while (tlv.TryReadNext(out ulong type, out WireReader v))
        {
            switch (type)
            {
                case 0:
                    if (!v.TryReadTU64(out ulong amount) || !v.TryEnsureEnd())
                    {
                        error = v.Error;
                        return false;
                    }

                    value.Tlv1AmountMsat = amount;
                    break;
                case 11:
                    if (!v.TryReadTU32(out uint cltv) || !v.TryEnsureEnd())
                    {
                        error = v.Error;
                        return false;
                    }

                    value.Tlv2CltvExpiry = cltv;
                    break;
                default:
                    if (!tlv.TryReadUnknown(type, v, out TlvRecord kept))
                    {
                        error = tlv.Error;
                        return false;
                    }

                    value.Unknown.Add(kept);
                    break;
            }
        }

        error = tlv.Error;
        return !error.IsError;
    }
}

/// <summary>A namespace with no known types: every record is unknown.</summary>
internal static class EmptyNamespace
{
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out List<TlvRecord> records, out WireError error)
    {
        records = [];
        var tlv = new TlvReader(bytes);
        while (tlv.TryReadNext(out ulong type, out WireReader v))
        {
            if (!tlv.TryReadUnknown(type, v, out TlvRecord kept))
            {
                error = tlv.Error;
                return false;
            }

            records.Add(kept);
        }

        error = tlv.Error;
        return !error.IsError;
    }

    public static byte[] Encode(List<TlvRecord> records)
    {
        var bytes = new byte[WireSize.Tlv(records)];
        var w = new SpanWireWriter(bytes);
        foreach (TlvRecord r in records)
        {
            w.WriteTlv(r);
        }

        return bytes;
    }
}
