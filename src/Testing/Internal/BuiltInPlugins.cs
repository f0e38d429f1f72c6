namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// The commands of lightningd v26.06.6's built-in plugins, by plugin file name: a plugin announcing one of
/// them is killed ("a method with that name is already registered by plugin &lt;path&gt;"), while a
/// method named like any other command of <see cref="LightningdNames.Commands"/> (lightningd's own) makes
/// lightningd crash. Read from the v26.06.6 sources (each plugin's command table under <c>plugins/</c>);
/// every name here is one of the recorded <see cref="LightningdNames.Commands"/> (a test holds it to that).
/// </summary>
internal static class BuiltInPlugins
{
    /// <summary>Where a default lightningd installation keeps its built-in plugins.</summary>
    public const string Directory = "/usr/local/libexec/c-lightning/plugins";

    /// <summary>Each built-in plugin's commands (the bitcoin backend's are <c>bcli</c>'s).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Commands = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["autoclean"] = ["autoclean-once", "autoclean-status"],
        ["bcli"] = ["estimatefees", "getchaininfo", "getrawblockbyheight", "getutxout", "sendrawtransaction"],
        ["bookkeeper"] = ["bkpr-channelsapy", "bkpr-dumpincomecsv", "bkpr-editdescriptionbyoutpoint", "bkpr-editdescriptionbypaymentid", "bkpr-inspect", "bkpr-listaccountevents", "bkpr-listbalances", "bkpr-listincome", "bkpr-report"],
        ["chanbackup"] = ["emergencyrecover", "getemergencyrecoverdata", "restorefrompeer"],
        ["cln-askrene"] = ["askrene-age", "askrene-bias-channel", "askrene-bias-node", "askrene-create-channel", "askrene-create-layer", "askrene-disable-node", "askrene-inform-channel", "askrene-listlayers", "askrene-listreservations", "askrene-remove-channel-update", "askrene-remove-layer", "askrene-reserve", "askrene-unreserve", "askrene-update-channel", "getroutes"],
        ["cln-bwatch"] = ["addblockdepthwatch", "addoutpointwatch", "addscidwatch", "addscriptpubkeywatch", "delblockdepthwatch", "deloutpointwatch", "delscidwatch", "delscriptpubkeywatch", "listwatch"],
        ["cln-renepay"] = ["renepay", "renepaystatus"],
        ["cln-xpay"] = ["listpays", "sendamount", "xkeysend", "xpay", "xpay-as-pay"],
        ["commando"] = ["commando"],
        ["exposesecret"] = ["exposesecret"],
        ["funder"] = ["funderupdate"],
        ["keysend"] = ["keysend"],
        ["offers"] = ["cancelrecurringinvoice", "createproof", "decode", "fetchinvoice", "invoicerequest", "offer", "sendinvoice"],
        ["pay"] = ["pay", "paystatus"],
        ["recklessrpc"] = ["reckless"],
        ["spenderp"] = ["dev-splice", "fundchannel", "multifundchannel", "multiwithdraw", "splicein", "spliceout"],
        ["sql"] = ["listsqlschemas", "sql"],
        ["topology"] = ["getroute", "listchannels", "listincoming", "listnodes"],
        ["txprepare"] = ["txdiscard", "txprepare", "txsend", "upgradewallet", "withdraw"],    };

    private static readonly Dictionary<string, string> OwnerByCommand =
        Commands.SelectMany(p => p.Value.Select(c => (Command: c, Plugin: p.Key))).ToDictionary(x => x.Command, x => x.Plugin, StringComparer.Ordinal);

    /// <summary>The path of the built-in plugin that owns <paramref name="command"/>, or <see langword="null"/>.</summary>
    public static string? PathOf(string command) =>
        OwnerByCommand.TryGetValue(command, out var plugin) ? $"{Directory}/{plugin}" : null;
}
