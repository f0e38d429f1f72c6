using System.Buffers.Binary;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Benchmarks.Codec;

/// <summary>
/// The practical limit: the same three messages encoded and decoded by hand with
/// <see cref="BinaryPrimitives"/>, with the checks BOLT #1 requires (type, lengths, TLV order,
/// minimal truncated integers, unknown even TLVs, no trailing bytes), and nothing more.
/// </summary>
public static class HandWritten
{
    public static int Write(SmallFixed m, Span<byte> d)
    {
        if (d.Length < 56)
        {
            throw new ArgumentException("too short", nameof(d));
        }

        BinaryPrimitives.WriteUInt16BigEndian(d, 0x8101);
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], m.Flags);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], m.Height);
        BinaryPrimitives.WriteUInt64BigEndian(d[8..], m.AmountMsat);
        BinaryPrimitives.WriteUInt64BigEndian(d[16..], m.Scid.ToUInt64());
        m.Channel.WriteTo(d[24..]);
        return 56;
    }

    public static bool TryRead(ReadOnlySpan<byte> s, out SmallFixed? m)
    {
        m = null;
        if (s.Length != 56 || BinaryPrimitives.ReadUInt16BigEndian(s) != 0x8101)
        {
            return false;
        }

        m = new SmallFixed(
            BinaryPrimitives.ReadUInt16BigEndian(s[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(s[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(s[8..]),
            ShortChannelId.FromUInt64(BinaryPrimitives.ReadUInt64BigEndian(s[16..])),
            new ChannelId(s.Slice(24, 32)));
        return true;
    }

    private static int TU64Length(ulong v) => (64 - System.Numerics.BitOperations.LeadingZeroCount(v) + 7) / 8;

    public static int Write(FixedWithTlv m, Span<byte> d)
    {
        int memo = m.Memo?.Length ?? -1;
        if (memo > 252)
        {
            throw new InvalidOperationException("this hand-written encoder only does one-byte TLV lengths");
        }

        int fee = m.FeeMsat is { } f ? TU64Length(f) : -1;
        int length = 2 + 32 + 8 + 4 + (fee >= 0 ? 2 + fee : 0) + (m.Scid.HasValue ? 10 : 0) + (memo >= 0 ? 2 + memo : 0);
        if (d.Length < length)
        {
            throw new ArgumentException("too short", nameof(d));
        }

        BinaryPrimitives.WriteUInt16BigEndian(d, 0x8103);
        m.Channel.WriteTo(d[2..]);
        BinaryPrimitives.WriteUInt64BigEndian(d[34..], m.AmountMsat);
        BinaryPrimitives.WriteUInt32BigEndian(d[42..], m.CltvExpiry);
        int i = 46;
        if (fee >= 0)
        {
            d[i] = 1;
            d[i + 1] = (byte)fee;
            ulong v = m.FeeMsat!.Value;
            for (int k = fee - 1; k >= 0; k--)
            {
                d[i + 2 + k] = (byte)v;
                v >>= 8;
            }

            i += 2 + fee;
        }

        if (m.Scid is { } scid)
        {
            d[i] = 3;
            d[i + 1] = 8;
            BinaryPrimitives.WriteUInt64BigEndian(d[(i + 2)..], scid.ToUInt64());
            i += 10;
        }

        if (memo >= 0)
        {
            d[i] = 5;
            d[i + 1] = (byte)memo;
            m.Memo.AsSpan().CopyTo(d[(i + 2)..]);
            i += 2 + memo;
        }

        return i;
    }

    public static bool TryRead(ReadOnlySpan<byte> s, out FixedWithTlv? m)
    {
        m = null;
        if (s.Length < 46 || BinaryPrimitives.ReadUInt16BigEndian(s) != 0x8103)
        {
            return false;
        }

        ulong? fee = null;
        ulong? scid = null;
        byte[]? memo = null;
        int i = 46;
        ulong last = 0;
        bool any = false;
        while (i < s.Length)
        {
            // One-byte types and lengths cover this message's records; anything else must be a
            // larger, odd type to skip, which needs the full bigsize rules.
            if (!TryBigSize(s, ref i, out ulong type) || (any && type <= last) || !TryBigSize(s, ref i, out ulong len) || len > (ulong)(s.Length - i))
            {
                return false;
            }

            var v = s.Slice(i, (int)len);
            switch (type)
            {
                case 1:
                    if (v.Length > 8 || (v.Length > 0 && v[0] == 0))
                    {
                        return false;
                    }

                    ulong x = 0;
                    foreach (byte b in v)
                    {
                        x = (x << 8) | b;
                    }

                    fee = x;
                    break;
                case 3:
                    if (v.Length != 8)
                    {
                        return false;
                    }

                    scid = BinaryPrimitives.ReadUInt64BigEndian(v);
                    break;
                case 5:
                    memo = v.ToArray();
                    break;
                default:
                    if ((type & 1) == 0)
                    {
                        return false;
                    }

                    break;
            }

            i += v.Length;
            last = type;
            any = true;
        }

        m = new FixedWithTlv(new ChannelId(s.Slice(2, 32)), BinaryPrimitives.ReadUInt64BigEndian(s[34..]), BinaryPrimitives.ReadUInt32BigEndian(s[42..]))
        {
            FeeMsat = fee,
            Scid = scid is { } sc ? ShortChannelId.FromUInt64(sc) : null,
            Memo = memo,
        };
        return true;
    }

    private static bool TryBigSize(ReadOnlySpan<byte> s, ref int i, out ulong value)
    {
        value = 0;
        if (i >= s.Length)
        {
            return false;
        }

        byte first = s[i];
        if (first < 0xfd)
        {
            value = first;
            i++;
            return true;
        }

        int n = first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
        if (s.Length - i - 1 < n)
        {
            return false;
        }

        var body = s.Slice(i + 1, n);
        value = n == 2 ? BinaryPrimitives.ReadUInt16BigEndian(body) : n == 4 ? BinaryPrimitives.ReadUInt32BigEndian(body) : BinaryPrimitives.ReadUInt64BigEndian(body);
        ulong min = n == 2 ? 0xfdUL : n == 4 ? 0x1_0000UL : 0x1_0000_0000UL;
        i += 1 + n;
        return value >= min;
    }

    public static int Write(HopArray m, Span<byte> d)
    {
        var hops = m.Hops;
        if (hops.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException("too many hops");
        }

        int length = 2 + 8 + 2 + (hops.Length * 20);
        if (d.Length < length)
        {
            throw new ArgumentException("too short", nameof(d));
        }

        BinaryPrimitives.WriteUInt16BigEndian(d, 0x8105);
        BinaryPrimitives.WriteUInt64BigEndian(d[2..], m.Id);
        BinaryPrimitives.WriteUInt16BigEndian(d[10..], (ushort)hops.Length);
        var o = d[12..];
        for (int k = 0; k < hops.Length; k++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(o, hops[k].Scid.ToUInt64());
            BinaryPrimitives.WriteUInt64BigEndian(o[8..], hops[k].AmountMsat);
            BinaryPrimitives.WriteUInt32BigEndian(o[16..], hops[k].CltvExpiry);
            o = o[20..];
        }

        return length;
    }

    public static bool TryRead(ReadOnlySpan<byte> s, out HopArray? m)
    {
        m = null;
        if (s.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(s) != 0x8105)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(s[10..]);
        if (s.Length != 12 + (count * 20))
        {
            return false;
        }

        var hops = new Hop[count];
        var o = s[12..];
        for (int k = 0; k < count; k++)
        {
            hops[k] = new Hop(
                ShortChannelId.FromUInt64(BinaryPrimitives.ReadUInt64BigEndian(o)),
                BinaryPrimitives.ReadUInt64BigEndian(o[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(o[16..]));
            o = o[20..];
        }

        m = new HopArray(BinaryPrimitives.ReadUInt64BigEndian(s[2..]), hops);
        return true;
    }
}
