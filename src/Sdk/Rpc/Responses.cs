using System.Text.Json;
using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>The fields of <c>getinfo</c> plugins use most; <see cref="Raw"/> holds the rest.</summary>
/// <param name="Id">The node's id.</param>
/// <param name="Alias">The node's alias.</param>
/// <param name="Network">The network name.</param>
/// <param name="BlockHeight">The current block height.</param>
/// <param name="Version">lightningd's version string.</param>
/// <param name="PeerCount">The number of connected peers.</param>
/// <param name="Raw">The whole <c>result</c> object.</param>
public sealed record GetInfoResponse(PubKey Id, string? Alias, string? Network, long BlockHeight, string? Version, int PeerCount, JsonElement Raw);

/// <summary>One entry of <c>listpeers</c>.</summary>
/// <param name="Id">The peer's node id.</param>
/// <param name="Connected">Whether it is connected now.</param>
/// <param name="ChannelCount">The number of channels with it.</param>
/// <param name="Addresses">Its network addresses (<c>netaddr</c>), when connected.</param>
/// <param name="Features">Its feature bits as hex, when known.</param>
/// <param name="Raw">The whole entry.</param>
public sealed record PeerInfo(PubKey Id, bool Connected, int ChannelCount, IReadOnlyList<string> Addresses, string? Features, JsonElement Raw);

/// <summary>One entry of <c>listpeerchannels</c>.</summary>
/// <param name="PeerId">The peer's node id.</param>
/// <param name="PeerConnected">Whether the peer is connected.</param>
/// <param name="State">The channel state (for example <c>CHANNELD_NORMAL</c>).</param>
/// <param name="ShortChannelId">The short channel id (<c>BxTxO</c>), once the channel is confirmed.</param>
/// <param name="ChannelId">The channel id as hex, when known.</param>
/// <param name="ToUsMsat">Our balance in millisatoshi, when known.</param>
/// <param name="TotalMsat">The channel capacity in millisatoshi, when known.</param>
/// <param name="Raw">The whole entry.</param>
public sealed record PeerChannel(PubKey PeerId, bool PeerConnected, string? State, string? ShortChannelId, string? ChannelId, long? ToUsMsat, long? TotalMsat, JsonElement Raw);

/// <summary>The result of <c>connect</c>.</summary>
/// <param name="Id">The peer's node id.</param>
/// <param name="Direction"><c>in</c> or <c>out</c>.</param>
/// <param name="Features">The peer's init features as hex.</param>
/// <param name="Raw">The whole <c>result</c> object.</param>
public sealed record ConnectResponse(PubKey Id, string? Direction, string? Features, JsonElement Raw);

internal static class ResponseReader
{
    public static GetInfoResponse GetInfo(JsonElement r) => new(
        new PubKey(Str(r, "id") ?? throw Missing("getinfo", "id")),
        Str(r, "alias"),
        Str(r, "network"),
        Num(r, "blockheight") ?? 0,
        Str(r, "version"),
        (int)(Num(r, "num_peers") ?? 0),
        r);

    public static IReadOnlyList<PeerInfo> Peers(JsonElement r) =>
        Array(r, "peers").Select(p => new PeerInfo(
            new PubKey(Str(p, "id") ?? throw Missing("listpeers", "id")),
            p.TryGetProperty("connected", out var c) && c.ValueKind == JsonValueKind.True,
            (int)(Num(p, "num_channels") ?? 0),
            Array(p, "netaddr").Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray(),
            Str(p, "features"),
            p)).ToArray();

    public static IReadOnlyList<PeerChannel> Channels(JsonElement r) =>
        Array(r, "channels").Select(c => new PeerChannel(
            new PubKey(Str(c, "peer_id") ?? throw Missing("listpeerchannels", "peer_id")),
            c.TryGetProperty("peer_connected", out var pc) && pc.ValueKind == JsonValueKind.True,
            Str(c, "state"),
            Str(c, "short_channel_id"),
            Str(c, "channel_id"),
            Num(c, "to_us_msat"),
            Num(c, "total_msat"),
            c)).ToArray();

    public static ConnectResponse Connect(JsonElement r) => new(
        new PubKey(Str(r, "id") ?? throw Missing("connect", "id")),
        Str(r, "direction"),
        Str(r, "features"),
        r);

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Num(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }

        // Amounts are numbers in current lightningd; older versions wrote "123msat".
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString()!.Replace("msat", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }

    private static FormatException Missing(string method, string field) => new($"lightningd's '{method}' answer has no '{field}'.");
}
