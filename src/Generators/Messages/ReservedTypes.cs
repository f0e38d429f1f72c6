namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>
/// Message types that custom messages must not use: every type of the BOLTs and of every released
/// Core Lightning version (PROTOCOL.md §1.13, §4.2), and the custom types registered in bLIP-0002 (§4.6).
/// </summary>
internal static class ReservedTypes
{
    /// <summary>Finds a type defined by the BOLTs or by a released Core Lightning version.</summary>
    /// <returns>The message name and who defines it, or <see langword="null"/>.</returns>
    public static (string Name, string Source)? FindProtocolType(int type)
    {
        const string Bolt1 = "BOLT #1";
        const string Bolt2 = "BOLT #2";
        const string Bolt4 = "BOLT #4";
        const string Bolt7 = "BOLT #7";
        const string Cln = "Core Lightning";
        switch (type)
        {
            case 0: return ("protocol_batch_element", Cln + " v25.09+");
            case 1: return ("warning", Bolt1);
            case 2: return ("stfu", Bolt2);
            case 7: return ("peer_storage", Bolt1);
            case 9: return ("peer_storage_retrieval", Bolt1);
            case 16: return ("init", Bolt1);
            case 17: return ("error", Bolt1);
            case 18: return ("ping", Bolt1);
            case 19: return ("pong", Bolt1);
            case 32: return ("open_channel", Bolt2);
            case 33: return ("accept_channel", Bolt2);
            case 34: return ("funding_created", Bolt2);
            case 35: return ("funding_signed", Bolt2);
            case 36: return ("channel_ready", Bolt2);
            case 38: return ("shutdown", Bolt2);
            case 39: return ("closing_signed", Bolt2);
            case 40: return ("closing_complete", Bolt2);
            case 41: return ("closing_sig", Bolt2);
            case 64: return ("open_channel2", Bolt2);
            case 65: return ("accept_channel2", Bolt2);
            case 66: return ("tx_add_input", Bolt2);
            case 67: return ("tx_add_output", Bolt2);
            case 68: return ("tx_remove_input", Bolt2);
            case 69: return ("tx_remove_output", Bolt2);
            case 70: return ("tx_complete", Bolt2);
            case 71: return ("tx_signatures", Bolt2);
            case 72: return ("tx_init_rbf", Bolt2);
            case 73: return ("tx_ack_rbf", Bolt2);
            case 74: return ("tx_abort", Bolt2);
            case 75: return ("splice", Cln + " v23.08-v24.08");
            case 76: return ("splice_ack", Cln + " v23.08-v24.08");
            case 77: return ("splice_locked", Bolt2);
            case 80: return ("splice_init", Bolt2);
            case 81: return ("splice_ack", Bolt2);
            case 127: return ("start_batch", Bolt2);
            case 128: return ("update_add_htlc", Bolt2);
            case 130: return ("update_fulfill_htlc", Bolt2);
            case 131: return ("update_fail_htlc", Bolt2);
            case 132: return ("commitment_signed", Bolt2);
            case 133: return ("revoke_and_ack", Bolt2);
            case 134: return ("update_fee", Bolt2);
            case 135: return ("update_fail_malformed_htlc", Bolt2);
            case 136: return ("channel_reestablish", Bolt2);
            case 137: return ("update_blockheight", Cln);
            case 256: return ("channel_announcement", Bolt7);
            case 257: return ("node_announcement", Bolt7);
            case 258: return ("channel_update", Bolt7);
            case 259: return ("announcement_signatures", Bolt7);
            case 261: return ("query_short_channel_ids", Bolt7);
            case 262: return ("reply_short_channel_ids_end", Bolt7);
            case 263: return ("query_channel_range", Bolt7);
            case 264: return ("reply_channel_range", Bolt7);
            case 265: return ("gossip_timestamp_filter", Bolt7);
            case 385: return ("obs_onion_message", Cln + " v0.10.1-v0.10.2");
            case 387: return ("obs2_onion_message", Cln + " v0.10.2-v22.08");
            case 513: return ("onion_message", Bolt4);
            default: return null;
        }
    }

    /// <summary>Finds a custom message type registered in bLIP-0002.</summary>
    /// <returns>The message name and the registering bLIP, or <see langword="null"/>.</returns>
    public static (string Name, string Source)? FindBlipType(int type)
    {
        const string Blip17 = "bLIP-0017 hosted channels";
        switch (type)
        {
            case 37913: return ("lsps0_message_id", "bLIP-0050 LSPS0");
            case 65535: return ("invoke_hosted_channel", Blip17);
            case 65533: return ("init_hosted_channel", Blip17);
            case 65531: return ("last_cross_signed_state", Blip17);
            case 65529: return ("state_update", Blip17);
            case 65527: return ("state_override", Blip17);
            case 65525: return ("hosted_channel_branding", Blip17);
            case 65511: return ("ask_channel_branding", Blip17);
            case 63505: return ("hc_update_add_htlc", Blip17);
            case 63503: return ("hc_update_fulfill_htlc", Blip17);
            case 63501: return ("hc_updated_fail_htlc", Blip17);
            case 63499: return ("hc_update_fail_malformed_htlc", Blip17);
            case 63497: return ("hc_error", Blip17);
            default: return null;
        }
    }
}
