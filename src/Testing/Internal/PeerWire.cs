using System.Collections.Frozen;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// The peer-wire message types CLN v26.06.6 defines (wire/peer_wire.csv after CLN's patches) and
/// their generated names, as <c>peer_wire_is_internal</c> and <c>peer_wire_name</c> see them.
/// </summary>
internal static class PeerWire
{
    private static readonly FrozenDictionary<int, string> Defined = new Dictionary<int, string>
    {
        [0] = "WIRE_PROTOCOL_BATCH_ELEMENT", [1] = "WIRE_WARNING", [2] = "WIRE_STFU",
        [7] = "WIRE_PEER_STORAGE", [9] = "WIRE_PEER_STORAGE_RETRIEVAL",
        [16] = "WIRE_INIT", [17] = "WIRE_ERROR", [18] = "WIRE_PING", [19] = "WIRE_PONG",
        [32] = "WIRE_OPEN_CHANNEL", [33] = "WIRE_ACCEPT_CHANNEL", [34] = "WIRE_FUNDING_CREATED",
        [35] = "WIRE_FUNDING_SIGNED", [36] = "WIRE_CHANNEL_READY", [38] = "WIRE_SHUTDOWN",
        [39] = "WIRE_CLOSING_SIGNED", [40] = "WIRE_CLOSING_COMPLETE", [41] = "WIRE_CLOSING_SIG",
        [64] = "WIRE_OPEN_CHANNEL2", [65] = "WIRE_ACCEPT_CHANNEL2", [66] = "WIRE_TX_ADD_INPUT",
        [67] = "WIRE_TX_ADD_OUTPUT", [68] = "WIRE_TX_REMOVE_INPUT", [69] = "WIRE_TX_REMOVE_OUTPUT",
        [70] = "WIRE_TX_COMPLETE", [71] = "WIRE_TX_SIGNATURES", [72] = "WIRE_TX_INIT_RBF",
        [73] = "WIRE_TX_ACK_RBF", [74] = "WIRE_TX_ABORT", [77] = "WIRE_SPLICE_LOCKED",
        [80] = "WIRE_SPLICE_INIT", [81] = "WIRE_SPLICE_ACK", [127] = "WIRE_START_BATCH",
        [128] = "WIRE_UPDATE_ADD_HTLC", [130] = "WIRE_UPDATE_FULFILL_HTLC", [131] = "WIRE_UPDATE_FAIL_HTLC",
        [132] = "WIRE_COMMITMENT_SIGNED", [133] = "WIRE_REVOKE_AND_ACK", [134] = "WIRE_UPDATE_FEE",
        [135] = "WIRE_UPDATE_FAIL_MALFORMED_HTLC", [136] = "WIRE_CHANNEL_REESTABLISH",
        [137] = "WIRE_UPDATE_BLOCKHEIGHT", [256] = "WIRE_CHANNEL_ANNOUNCEMENT",
        [257] = "WIRE_NODE_ANNOUNCEMENT", [258] = "WIRE_CHANNEL_UPDATE", [259] = "WIRE_ANNOUNCEMENT_SIGNATURES",
        [261] = "WIRE_QUERY_SHORT_CHANNEL_IDS", [262] = "WIRE_REPLY_SHORT_CHANNEL_IDS_END",
        [263] = "WIRE_QUERY_CHANNEL_RANGE", [264] = "WIRE_REPLY_CHANNEL_RANGE",
        [265] = "WIRE_GOSSIP_TIMESTAMP_FILTER", [513] = "WIRE_ONION_MESSAGE",
    }.ToFrozenDictionary();

    /// <summary><c>fromwire_peektype</c>: the big-endian type, or -1 for a message shorter than 2 bytes.</summary>
    public static int PeekType(ReadOnlySpan<byte> message) =>
        global::Cln.ProtocolExtensions.Wire.WireMessage.TryPeekType(message, out ushort type) ? type : -1;

    /// <summary>Whether CLN handles this type itself (every defined type but peer storage 7 and 9).</summary>
    public static bool IsInternal(int type) => type is not (7 or 9) && Defined.ContainsKey(type);

    /// <summary>The generated name, as <c>peer_wire_name</c> prints it.</summary>
    public static string Name(int type) => Defined.TryGetValue(type, out var name) ? name : $"UNKNOWN {type}";
}
