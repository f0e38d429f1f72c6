using Cln.ProtocolExtensions.Wire;
using MemoryPack;

namespace Cln.ProtocolExtensions.Benchmarks.Codec;

// The three representative messages of the codec benchmarks, each declared once for the generator
// and once as an equivalent MemoryPack record (same fields; MemoryPack has no TLV, so the optional
// TLV fields are nullable members, which is how a MemoryPack user would write them).

/// <summary>Small fixed fields only: 2 + 2 + 4 + 8 + 8 + 32 = 56 bytes on the wire.</summary>
[CustomMessage(0x8101)]
public sealed partial record SmallFixed(ushort Flags, uint Height, ulong AmountMsat, ShortChannelId Scid, ChannelId Channel);

/// <summary>Fixed fields plus a TLV extension with three records (truncated integer, scid, bytes).</summary>
[CustomMessage(0x8103)]
public sealed partial record FixedWithTlv(ChannelId Channel, ulong AmountMsat, uint CltvExpiry)
{
    /// <summary>TLV 1: tu64.</summary>
    [Tlv(1), Truncated] public ulong? FeeMsat { get; init; }

    /// <summary>TLV 3: short_channel_id.</summary>
    [Tlv(3)] public ShortChannelId? Scid { get; init; }

    /// <summary>TLV 5: opaque bytes.</summary>
    [Tlv(5)] public byte[]? Memo { get; init; }
}

/// <summary>One hop of a route: a subtype of 8 + 8 + 4 = 20 bytes.</summary>
[WireSubtype]
public partial record struct Hop(ShortChannelId Scid, ulong AmountMsat, uint CltvExpiry);

/// <summary>An id and a u16-counted array of subtypes.</summary>
[CustomMessage(0x8105)]
public sealed partial record HopArray(ulong Id, [LengthPrefixed] Hop[] Hops);

/// <summary>MemoryPack equivalent of <see cref="SmallFixed"/> (the wire ids are unmanaged structs it copies as memory).</summary>
[MemoryPackable]
public sealed partial record MpSmallFixed(ushort Flags, uint Height, ulong AmountMsat, ulong Scid, ChannelId Channel);

/// <summary>MemoryPack equivalent of <see cref="FixedWithTlv"/>.</summary>
[MemoryPackable]
public sealed partial record MpFixedWithTlv(ChannelId Channel, ulong AmountMsat, uint CltvExpiry, ulong? FeeMsat, ulong? Scid, byte[]? Memo);

/// <summary>MemoryPack equivalent of <see cref="Hop"/>.</summary>
public record struct MpHop(ulong Scid, ulong AmountMsat, uint CltvExpiry);

/// <summary>MemoryPack equivalent of <see cref="HopArray"/>.</summary>
[MemoryPackable]
public sealed partial record MpHopArray(ulong Id, MpHop[] Hops);
