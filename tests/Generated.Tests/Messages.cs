using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Generated.Tests
{
    /// <summary>The example of the issue: fixed fields, a u16-prefixed byte array, one TLV record.</summary>
    [CustomMessage(0x8001)]
    public partial record Ping(ushort NumPongBytes, [LengthPrefixed] byte[] Ignored)
    {
        [Tlv(1)] public ulong? Nonce { get; init; }
    }

    /// <summary>Every fixed-size Wire type, signed integers and a bigsize.</summary>
    [CustomMessage(0x8003)]
    public partial record AllFixed(
        byte B, sbyte S8, ushort U16, short S16, uint U32, int S32, ulong U64, long S64,
        [BigSize] ulong Big,
        uint256 Hash,
        PubKey Node,
        ShortChannelId Scid,
        ChannelId Channel,
        CompactEcdsaSignature Sig,
        Bip340Signature Schnorr,
        SciddirOrPubKey Dest);

    public enum Color : byte
    {
        Red = 1,
        Green = 2,
    }

    public enum Status : uint
    {
        Ok = 0,
        Failed = 0xdead,
    }

    /// <summary>A subtype: used as a field, as array elements, and as a TLV value.</summary>
    [WireSubtype]
    public partial record struct Payment(ulong AmountMsat, uint CltvExpiry, Color Color);

    [WireSubtype]
    public partial record Route([LengthPrefixed(LengthPrefix.U8)] string Label, [LengthPrefixed] Payment[] Hops);

    /// <summary>Subtypes, arrays (prefixed, fixed, rest), enums and strings.</summary>
    [CustomMessage(0x8005)]
    public sealed partial record Collections(
        Status Status,
        Payment Main,
        [LengthPrefixed(LengthPrefix.BigSize)] Route[] Routes,
        [FixedLength(2)] ushort[] Pair,
        [FixedLength(4)] byte[] Magic,
        [LengthPrefixed(LengthPrefix.U8)] string Note,
        [RestOfMessage] uint256[] Tail);

    /// <summary>A TLV extension with several value kinds, declared as properties and a positional parameter.</summary>
    [CustomMessage(0x8007)]
    public partial record Extended(ChannelId Channel, [property: Tlv(5)] string? Memo = null)
    {
        [Tlv(1), Truncated] public ulong? AmountMsat { get; init; }
        [Tlv(2)] public Payment? Payment { get; init; }
        [Tlv(3)] public byte[]? Blob { get; init; }
        [Tlv(7)] public Route? Route { get; init; }
        [Tlv(9)] public Payment[]? Payments { get; init; }
        [Tlv(65537)] public Color? Color { get; init; }
    }

    /// <summary>A record struct message in a nested, deep namespace.</summary>
    public static partial class Outer
    {
        public partial class Inner
        {
            [CustomMessage(0x800b)]
            public readonly partial record struct Nested(uint Value, [RestOfMessage] byte[] Rest);
        }
    }

    /// <summary>An even type, explicitly allowed.</summary>
    [CustomMessage(0x8010, AllowEven = true)]
    public partial record EvenOne(byte Flag);

    /// <summary>A message without fields.</summary>
    [CustomMessage(0x8011)]
    public partial record Empty;
}

namespace Deep.Name.Space.Levels
{
    /// <summary>A message in a deep namespace with a body property as its only field.</summary>
    [Cln.ProtocolExtensions.CustomMessage(0x8013)]
    public partial record BodyOnly
    {
        public ushort Value { get; init; }

        public string Computed => $"v{Value}";
    }
}

namespace Cln.ProtocolExtensions.Generated.Tests.Bolt1
{
    /// <summary>BOLT #1 Appendix B namespace n1 as the TLV extension of a message without fields.</summary>
    [CustomMessage(0x8021)]
    public partial record N1
    {
        [Tlv(1), Truncated] public ulong? Tlv1AmountMsat { get; init; }
        [Tlv(2)] public ShortChannelId? Tlv2Scid { get; init; }
        [Tlv(3)] public N1Tlv3? Tlv3 { get; init; }
        [Tlv(254)] public ushort? Tlv4CltvDelta { get; init; }
    }

    /// <summary>The value of n1's tlv3.</summary>
    [WireSubtype]
    public partial record struct N1Tlv3(PubKey NodeId, ulong AmountMsat1, ulong AmountMsat2);

    /// <summary>BOLT #1 Appendix B namespace n2.</summary>
    [CustomMessage(0x8023)]
    public partial record N2
    {
        [Tlv(0), Truncated] public ulong? Tlv1AmountMsat { get; init; }
        [Tlv(11), Truncated] public uint? Tlv2CltvExpiry { get; init; }
    }
}

namespace Cln.ProtocolExtensions.Generated.Tests.Edge
{
    /// <summary>A field named Type: the static ICustomMessage.Type is implemented explicitly.</summary>
    /// <summary>A fixed count of fixed-layout subtypes (read and written in one piece), and one as a TLV value.</summary>
    [CustomMessage(0x8043)]
    public partial record FixedHops([FixedLength(3)] Payment[] Hops)
    {
        [Tlv(1)] public Payment? Extra { get; init; }
    }

    [CustomMessage(0x8031)]
    public partial record Typed(byte Type, ushort Value);

    /// <summary>A record struct with a TLV extension (kept unknown records live in a field of the struct).</summary>
    [CustomMessage(0x8033)]
    public partial record struct StructWithTlv(ushort Value)
    {
        [Tlv(1)] public uint? Extra { get; init; }
        [Tlv(3), LengthPrefixed(LengthPrefix.U8)] public string? Label { get; init; }
    }
}

namespace Cln.ProtocolExtensions.Generated.Tests.Printing
{
    /// <summary>A message that prints itself: the generator must leave its PrintMembers alone.</summary>
    [CustomMessage(0x8041)]
    public sealed partial record OwnPrint(uint Secret)
    {
        private bool PrintMembers(System.Text.StringBuilder builder)
        {
            builder.Append("Secret = ***");
            return true;
        }
    }
}

namespace Cln.ProtocolExtensions.Generated.Tests.Rules
{
    /// <summary>bool fields (fixed, in an array, as a TLV value) and members kept off the wire.</summary>
    [CustomMessage(0x8051)]
    public partial record Flags(bool Enabled, [WireIgnore] System.DateTimeOffset Seen, [LengthPrefixed(LengthPrefix.U8)] bool[] Bits)
    {
        [Tlv(1)] public bool? Verbose { get; init; }

        [WireIgnore] public System.DateTimeOffset ReceivedAt { get; set; }
    }

    /// <summary>A subtype that is a class, with a field that is a reference.</summary>
    [WireSubtype]
    public partial record Tag([LengthPrefixed(LengthPrefix.U8)] string Text);

    /// <summary>A field of every reference kind, each of which must not be null on the wire.</summary>
    [CustomMessage(0x8053)]
    public partial record References(
        PubKey Node,
        uint256 Hash,
        [LengthPrefixed] string Label,
        [LengthPrefixed] PubKey[] Keys,
        Tag Inner,
        [LengthPrefixed] Tag[] Tags);
}
