using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>
/// Decides how a message or subtype is encoded (<see cref="MessagePlan"/>) and holds the encoding rules
/// those decisions rest on: sizes, which values form unchecked runs, which TLV values are written directly.
/// </summary>
internal static class MessagePlanner
{
    public static MessagePlan Plan(MessageSpec spec)
    {
        IReadOnlyList<FieldSpec> fields = spec.Fields;
        int headEnd = HeadEnd(fields);
        bool allInHead = headEnd == fields.Count;
        List<TlvPlan> tlvs = spec.Tlvs.Select(PlanTlv).ToList();

        TailWrite tail = !allInHead || spec.Tlvs.Count > 0
            ? TailWrite.Writer
            : spec.HasTlvExtension ? TailWrite.KeptRecordsOnly : TailWrite.Nothing;

        return new MessagePlan(
            spec,
            string.Join(".", spec.ContainingTypes.Select(c => c.Name).Append(spec.Name)),
            headEnd,
            2 + RunSize(fields, 0, headEnd),
            FieldSizes(fields.Take(headEnd)),
            fields.Select(f => FixedSize(f.Type)).Where(size => size >= 0).Sum(),
            FastWrite: allInHead && spec.HasTlvExtension && tlvs.All(t => t.IsDirect),
            tail,
            ExactRead: allInHead,
            ReadsFieldsWithReader: !allInHead || !spec.HasTlvExtension,
            Segments(fields),
            tlvs,
            spec.Tlvs.Count == 0
                ? "default"
                : "new ulong[] { " + string.Join(", ", spec.Tlvs.Select(t => t.TlvType.ToString(CultureInfo.InvariantCulture) + "UL")) + " }");
    }

    private static TlvPlan PlanTlv(TlvSpec tlv)
    {
        WireTypeSpec value = tlv.Value;
        int size = FixedSize(value);
        TlvLength length = size >= 0
            ? TlvLength.Constant
            : value.Kind is WireKind.TU16 or WireKind.TU32 or WireKind.TU64 or WireKind.BigSize ? TlvLength.Small : TlvLength.Measured;
        TlvWrite write = IsDirectTlv(value) ? TlvWrite.Direct : size >= 0 ? TlvWrite.ConstantHeader : TlvWrite.MeasuredHeader;
        TlvRead read = value.Kind is WireKind.TU16 or WireKind.TU32 or WireKind.TU64 ? TlvRead.Truncated
            : IsRunKind(value) ? TlvRead.Run
            : value.FixedLayout is not null ? TlvRead.FixedLayout
            : value.Kind == WireKind.Bytes && value.Length == LengthKind.Rest ? TlvRead.RestBytes
            : TlvRead.Reader;
        int truncatedMax = value.Kind switch { WireKind.TU16 => 2, WireKind.TU32 => 4, _ => 8 };
        return new TlvPlan(tlv, BigSizeLength(tlv.TlvType), size, length, write, read, truncatedMax, ConsumesAll(value));
    }

    /// <summary>The fields as runs of fixed-size fields and single other fields, in order.</summary>
    private static List<FieldSegment> Segments(IReadOnlyList<FieldSpec> fields)
    {
        var segments = new List<FieldSegment>();
        int i = 0;
        while (i < fields.Count)
        {
            int end = i;
            while (end < fields.Count && IsRunKind(fields[end].Type))
            {
                end++;
            }

            segments.Add(end == i ? new FieldSegment(i, i + 1, false, -1) : new FieldSegment(i, end, true, RunSize(fields, i, end)));
            i = end == i ? i + 1 : end;
        }

        return segments;
    }

    /// <summary>The size of a value whose size does not depend on the value, or -1.</summary>
    public static int FixedSize(WireTypeSpec type) => type.Kind switch
    {
        WireKind.Byte or WireKind.S8 or WireKind.Bool => 1,
        WireKind.U16 or WireKind.S16 => 2,
        WireKind.U32 or WireKind.S32 => 4,
        WireKind.U64 or WireKind.S64 => 8,
        WireKind.Sha256 or WireKind.ChannelId => 32,
        WireKind.Point => 33,
        WireKind.ShortChannelId => 8,
        WireKind.Signature or WireKind.Bip340Signature => 64,
        WireKind.Subtype when type.FixedLayout is { } layout => RunSize(layout.Fields, 0, layout.Fields.Count),
        _ => -1,
    };

    /// <summary>The fewest bytes one value can take (used to bound an array's count before allocating).</summary>
    public static int MinSize(WireTypeSpec type) => FixedSize(type) switch
    {
        -1 when type.Kind == WireKind.SciddirOrPubKey => 9,
        -1 => 1,
        int size => size,
    };

    /// <summary>Whether a value can be part of a run stored or loaded unchecked after one bounds check.</summary>
    public static bool IsRunKind(WireTypeSpec type) => type.Kind switch
    {
        WireKind.Byte or WireKind.S8 or WireKind.U16 or WireKind.S16 or WireKind.U32 or WireKind.S32
            or WireKind.U64 or WireKind.S64 => true,
        WireKind.ShortChannelId or WireKind.ChannelId => !type.IsEnum,
        _ => false,
    };

    /// <summary>Whether a declared TLV value can be written by the direct path: its length is a function of one snapshot of the value.</summary>
    public static bool IsDirectTlv(WireTypeSpec type) =>
        IsRunKind(type) || type.FixedLayout is not null
        || type.Kind is WireKind.TU16 or WireKind.TU32 or WireKind.TU64
        || (type.Kind == WireKind.Bytes && type.Length == LengthKind.Rest);

    /// <summary>Whether reading the value always takes every byte left (so no end check is needed after it).</summary>
    public static bool ConsumesAll(WireTypeSpec type) =>
        type.Kind is WireKind.TU16 or WireKind.TU32 or WireKind.TU64
        || (type.Kind is WireKind.Bytes or WireKind.Utf8 or WireKind.Array && type.Length == LengthKind.Rest);

    /// <summary>The length of <paramref name="value"/> as a minimal <c>bigsize</c>.</summary>
    public static int BigSizeLength(ulong value) => value < 0xfd ? 1 : value <= 0xffff ? 3 : value <= 0xffffffff ? 5 : 9;

    /// <summary>The sizes of fixed-size fields as the content of a UTF-8 string literal, one byte each (all are at most 32).</summary>
    public static string FieldSizes(IEnumerable<FieldSpec> fields) =>
        string.Concat(fields.Select(f => "\\u" + FixedSize(f.Type).ToString("x4", CultureInfo.InvariantCulture)));

    /// <summary>The index of the first field of <paramref name="fields"/> that is not a fixed-size run field.</summary>
    public static int HeadEnd(IReadOnlyList<FieldSpec> fields)
    {
        int end = 0;
        while (end < fields.Count && IsRunKind(fields[end].Type))
        {
            end++;
        }

        return end;
    }

    /// <summary>The total size of fields [<paramref name="start"/>, <paramref name="end"/>), all of a fixed size.</summary>
    public static int RunSize(IReadOnlyList<FieldSpec> fields, int start, int end)
    {
        int total = 0;
        for (int k = start; k < end; k++)
        {
            total += FixedSize(fields[k].Type);
        }

        return total;
    }
}
