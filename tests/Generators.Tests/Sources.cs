namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>Representative message declarations for baseline and compile tests.</summary>
internal static class Sources
{
    public const string Ping = """
        using Cln.ProtocolExtensions;

        namespace Demo;

        /// <summary>The issue's example.</summary>
        [CustomMessage(0x8001)]
        public partial record Ping(ushort NumPongBytes, [LengthPrefixed] byte[] Ignored)
        {
            /// <summary>An optional nonce.</summary>
            [Tlv(1)] public ulong? Nonce { get; init; }
        }
        """;

    public const string Subtypes = """
        using Cln.ProtocolExtensions;
        using Cln.ProtocolExtensions.Wire;
        using NBitcoin;

        namespace Demo.Deep.Namespace;

        /// <summary>A colour.</summary>
        public enum Color : byte
        {
            /// <summary>Red.</summary>
            Red = 1,
        }

        /// <summary>A hop.</summary>
        [WireSubtype]
        public partial record struct Hop([BigSize] ulong AmountMsat, PubKey Node, ShortChannelId Channel, Color Color);

        /// <summary>Containing type.</summary>
        public static partial class Protocol
        {
            /// <summary>A route.</summary>
            [CustomMessage(0x8003)]
            public sealed partial record Route(
                uint256 PaymentHash,
                [LengthPrefixed(LengthPrefix.U8)] Hop[] Hops,
                [FixedLength(2)] ushort[] Pair,
                [LengthPrefixed(LengthPrefix.BigSize)] string Label,
                [RestOfMessage] byte[] Tail);

            /// <summary>An even message with TLV subtypes.</summary>
            [CustomMessage(0x8004, AllowEven = true)]
            public readonly partial record struct Offer(ChannelId Channel)
            {
                /// <summary>Amount.</summary>
                [Tlv(1), Truncated] public ulong? AmountMsat { get; init; }

                /// <summary>First hop.</summary>
                [Tlv(3)] public Hop? First { get; init; }

                /// <summary>All hops.</summary>
                [Tlv(5)] public Hop[]? All { get; init; }

                /// <summary>A note.</summary>
                [Tlv(7)] public string? Note { get; init; }
            }
        }

        /// <summary>A subtype that is a class.</summary>
        [WireSubtype]
        public partial record Note([LengthPrefixed] string Text);

        /// <summary>A bool, members kept off the wire, and reference-type fields.</summary>
        [CustomMessage(0x8005)]
        public partial record Flags(bool Enabled, [WireIgnore] System.DateTimeOffset Seen, Note Note, [LengthPrefixed] PubKey[] Keys)
        {
            /// <summary>An optional flag.</summary>
            [Tlv(1)] public bool? Verbose { get; init; }

            /// <summary>When it was received.</summary>
            [WireIgnore] public System.DateTimeOffset ReceivedAt { get; set; }
        }
        """;

    public const string Invalid = """
        using Cln.ProtocolExtensions;

        namespace Demo;

        /// <summary>Not partial: no code.</summary>
        [CustomMessage(0x8001)]
        public record NotPartial(ushort A);

        /// <summary>No length rule: no code.</summary>
        [CustomMessage(0x8003)]
        public partial record NoLength(byte[] Data);

        /// <summary>Valid.</summary>
        [CustomMessage(0x8005)]
        public partial record Valid(ushort A);
        """;
}
