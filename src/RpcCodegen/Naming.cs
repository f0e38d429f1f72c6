using System.Text;

namespace Cln.ProtocolExtensions.RpcCodegen;

/// <summary>C# names for lightningd's command, field and enum-value names.</summary>
internal static class Naming
{
    /// <summary>The words lightningd's command names are made of, for method names such as ListPeerChannelsAsync.</summary>
    private static readonly string[] Words =
    [
        "abort", "account", "add", "addr", "addresses", "age", "amount", "any", "apy", "askrene", "autoclean", "backup",
        "balances", "batching", "bias", "bip353", "bkpr", "blacklist", "block", "bump", "by", "cancel", "chain", "channel",
        "channels", "check", "clnrest", "close", "closed", "commando", "complete", "configs", "connect", "convert", "create",
        "csv", "currency", "custom", "data", "datastore", "decode", "del", "deprecations", "description", "dev", "disable",
        "disconnect", "discard", "dump", "edit", "emergency", "enable", "event", "events", "expose", "feerate", "feerates",
        "fetch", "forget", "forward", "forwards", "fund", "funder", "funds", "get", "gossip", "graceful", "height", "help",
        "htlcs", "in", "income", "info", "inform", "init", "input", "inject", "inputs", "inspect", "invoice", "invoices", "key",
        "keysend", "layer", "layers", "list", "log", "make", "message", "moves", "msg", "multi", "network", "new", "node",
        "nodes", "notifications", "offer", "offers", "once", "onion", "open", "out", "outpoint", "output", "parse", "path",
        "pay", "payment", "paymentid", "pays", "peer", "peers", "ping", "plugin", "preapprove", "prepare", "proof", "psbt",
        "rate", "rates", "reckless", "recover", "recurring", "register", "remove", "renepay", "report", "request", "requests",
        "reservations", "reserve", "route", "routes", "rune", "runes", "schemas", "secret", "send", "set", "config", "show",
        "sign", "signed", "splice", "sql", "start", "static", "status", "stop", "transactions", "tx", "unreserve", "update",
        "upgrade", "usage", "utxo", "version", "wait", "wallet", "with", "withdraw", "xkeysend", "xpay", "any", "emergencyrecover",
    ];

    /// <summary>Method names that read better than their word split, or match names the SDK already used.</summary>
    private static readonly Dictionary<string, string> MethodOverrides = new(StringComparer.Ordinal)
    {
        ["sendcustommsg"] = "SendCustomMessage",
        ["emergencyrecover"] = "EmergencyRecover",
        ["getemergencyrecoverdata"] = "GetEmergencyRecoverData",
        ["bkpr-editdescriptionbypaymentid"] = "BkprEditDescriptionByPaymentId",
    };

    private static readonly HashSet<string> WordSet = new(Words, StringComparer.Ordinal);

    /// <summary>The type prefix of a command: each dash- or underscore-separated part capitalised (<c>askrene-bias-channel</c> → <c>AskreneBiasChannel</c>).</summary>
    public static string TypePrefix(string command) => Pascal(command);

    /// <summary>The method name of a command, without "Async": words split where the word list allows (<c>listpeerchannels</c> → <c>ListPeerChannels</c>).</summary>
    public static string MethodName(string command)
    {
        if (MethodOverrides.TryGetValue(command, out var name))
        {
            return name;
        }

        var result = new StringBuilder();
        foreach (var part in command.Split('-', '_'))
        {
            var words = Split(part);
            if (words is null)
            {
                result.Append(Capitalise(part));
                continue;
            }

            foreach (var word in words)
            {
                result.Append(Capitalise(word));
            }
        }

        return result.ToString();
    }

    /// <summary>Splits <paramref name="text"/> into the fewest known words, or null when it cannot.</summary>
    private static List<string>? Split(string text)
    {
        var best = new List<string>?[text.Length + 1];
        best[0] = [];
        for (int end = 1; end <= text.Length; end++)
        {
            for (int start = 0; start < end; start++)
            {
                if (best[start] is { } prefix && WordSet.Contains(text[start..end]) &&
                    (best[end] is null || best[end]!.Count > prefix.Count + 1))
                {
                    best[end] = [.. prefix, text[start..end]];
                }
            }
        }

        return best[text.Length];
    }

    /// <summary>Payload type prefixes that differ from the plain name: the names the SDK's payloads already had.</summary>
    private static readonly Dictionary<(string Kind, string Name), string> PayloadOverrides = new()
    {
        [("notification", "custommsg")] = "CustomMessage",
        [("hook", "custommsg")] = "CustomMessage",
        [("hook", "onion_message_recv")] = "OnionMessage",
        [("hook", "onion_message_recv_secret")] = "OnionMessageSecret",
    };

    /// <summary>Payload member names that differ from the plain name: (topic or hook, JSON path) to the name the SDK's payloads already had.</summary>
    private static readonly Dictionary<(string Payload, string Path), string> PayloadMemberOverrides = new()
    {
        [("connect", "id")] = "PeerId",
        [("disconnect", "id")] = "PeerId",
        [("channel_opened", "id")] = "PeerId",
        [("invoice_payment", "msat")] = "AmountMsat",
        [("invoice_creation", "msat")] = "AmountMsat",
        [("forward_event", "failcode")] = "FailCode",
        [("forward_event", "failreason")] = "FailReason",
        [("sendpay_success", "groupid")] = "GroupId",
        [("sendpay_success", "partid")] = "PartId",
        [("sendpay_failure", "data.groupid")] = "GroupId",
        [("sendpay_failure", "data.partid")] = "PartId",
        [("sendpay_failure", "data.failcode")] = "FailCode",
        [("sendpay_failure", "data.failcodename")] = "FailCodeName",
        [("peer_connected", "id")] = "PeerId",
        [("peer_connected", "addr")] = "Address",
        [("peer_connected", "remote_addr")] = "RemoteAddress",
        [("onion_message_recv", "reply_blindedpath")] = "ReplyPath",
        [("onion_message_recv", "reply_blindedpath.first_scid")] = "FirstShortChannelId",
        [("onion_message_recv", "reply_blindedpath.first_scid_dir")] = "FirstShortChannelIdDirection",
        [("onion_message_recv_secret", "reply_blindedpath")] = "ReplyPath",
        [("onion_message_recv_secret", "reply_blindedpath.first_scid")] = "FirstShortChannelId",
        [("onion_message_recv_secret", "reply_blindedpath.first_scid_dir")] = "FirstShortChannelIdDirection",
    };

    /// <summary>The C# name of a payload member at <paramref name="path"/> (<c>reply_blindedpath.first_scid</c>).</summary>
    public static string PayloadMember(string payload, string path, string jsonName) =>
        PayloadMemberOverrides.TryGetValue((payload, path), out var name) ? name : Pascal(jsonName);

    /// <summary>The type prefix of a notification's or hook's payload (<c>channel_state_changed</c> → <c>ChannelStateChanged</c>).</summary>
    public static string PayloadPrefix(string kind, string name) =>
        PayloadOverrides.TryGetValue((kind, name), out var prefix) ? prefix : Pascal(name);

    /// <summary>A JSON name as a C# identifier: <c>short_channel_id</c> → <c>ShortChannelId</c>, <c>local socket</c> → <c>LocalSocket</c>.</summary>
    public static string Pascal(string name)
    {
        var result = new StringBuilder();
        foreach (var part in name.Split(['_', '-', ' ', '/', '.', ':'], StringSplitOptions.RemoveEmptyEntries))
        {
            var clean = new string(part.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (clean.Length > 0)
            {
                result.Append(char.ToUpperInvariant(clean[0])).Append(clean, 1, clean.Length - 1);
            }
        }

        if (result.Length == 0)
        {
            return "Value";
        }

        return char.IsAsciiDigit(result[0]) ? "N" + result : result.ToString();
    }

    /// <summary>An enum value name: words of lower case, so <c>CHANNELD_NORMAL</c> → <c>ChanneldNormal</c>.</summary>
    public static string EnumMember(string value)
    {
        var lower = value.Any(char.IsAsciiLetterLower) ? value : value.ToLowerInvariant();
        return Pascal(lower);
    }

    private static string Capitalise(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
