using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// The typed hooks: payloads shaped as lightningd v26.06 writes them (its serializers in
/// lightningd/peer_control.c, peer_htlcs.c, jsonrpc.c, onion_message.c; no recording of these hooks
/// exists), the answers lightningd reads, and the always-answer rule.
/// </summary>
public class TypedHookTests
{
    private const string PeerA = ProtocolTests.PeerA;
    private const string Hash = "0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff";
    private const string Secret = "a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0";

    private static async Task<string> AnswerAsync(PluginHarness h, string hook, string @params)
    {
        var answer = await h.CallAsync($"cln:{hook}#{Random.Shared.Next(1000, 9999)}", hook, @params);
        return answer.GetProperty("result").GetRawText();
    }

    private static string PeerConnected(string id = PeerA) =>
        $"{{\"peer\":{{\"id\":\"{id}\",\"direction\":\"in\",\"addr\":\"127.0.0.1:51234\",\"remote_addr\":\"203.0.113.7:9735\",\"features\":\"08a0882a0a69a2\"}}}}";

    private static string HtlcAccepted(string amount = "1000100", string relative = "-3") =>
        $"{{\"peer_id\":\"{PeerA}\",\"onion\":{{\"payload\":\"2c0203\",\"type\":\"tlv\",\"forward_msat\":1000000,\"outgoing_cltv_value\":500,\"total_msat\":\"2000000msat\",\"payment_secret\":\"{Secret}\",\"payment_metadata\":\"beef\",\"next_onion\":\"00ff\",\"shared_secret\":\"{Secret}\"}},\"htlc\":{{\"short_channel_id\":\"103x1x0\",\"id\":7,\"amount_msat\":{amount},\"cltv_expiry\":510,\"cltv_expiry_relative\":{relative},\"payment_hash\":\"{Hash}\",\"extra_tlvs\":\"fe00010001\"}},\"forward_to\":\"{Hash}\"}}";

    [Fact]
    public async Task Peer_connected_reads_the_peer_and_answers_disconnect_or_continue()
    {
        PeerConnectedHook? seen = null;
        await using var h = new PluginHarness(b => b.AddPeerConnectedHook((peer, ctx, ct) =>
        {
            seen = peer;
            return ValueTask.FromResult(peer.Direction == PeerConnectedHookDirection.In ? PeerConnectedResult.Disconnect("it's not you ⚡") : PeerConnectedResult.Continue);
        }));
        await h.HandshakeAsync();

        var answer = await AnswerAsync(h, "peer_connected", PeerConnected());

        Assert.Equal("{\"result\":\"disconnect\",\"error_message\":\"it's not you ⚡\"}", answer);
        Assert.NotNull(seen);
        Assert.Equal(new PubKey(PeerA), seen.PeerId);
        Assert.Equal("in", seen.Direction.Value);
        Assert.Equal("127.0.0.1:51234", seen.Address);
        Assert.Equal("203.0.113.7:9735", seen.RemoteAddress);
        Assert.Equal(Convert.FromHexString("08a0882a0a69a2"), seen.Features);

        Assert.Equal("{\"result\":\"continue\"}", await AnswerAsync(h, "peer_connected", PeerConnected().Replace("\"in\"", "\"out\"")));
        Assert.Equal("{\"result\":\"disconnect\"}", PeerConnectedResult.Disconnect().ToJson().ToJsonString());
    }

    [Fact]
    public async Task The_typed_hooks_are_registered_in_the_manifest_with_their_filters()
    {
        await using var h = new PluginHarness(b =>
        {
            b.AddPeerConnectedHook((_, _, _) => ValueTask.FromResult(PeerConnectedResult.Continue), before: ["other"]);
            b.AddHtlcAcceptedHook((_, _, _) => ValueTask.FromResult(HtlcAcceptedResult.Continue));
            b.AddRpcCommandHook((_, _, _) => ValueTask.FromResult(RpcCommandResult.Continue), commands: ["pay", "invoice"]);
            b.AddOnionMessageHook((_, _, _) => ValueTask.FromResult(OnionMessageResult.Continue));
        });

        await h.SendAsync(PluginHarness.Manifest());
        var hooks = (await h.ReadAsync()).GetProperty("result").GetProperty("hooks").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e);

        Assert.Equal(["htlc_accepted", "onion_message_recv", "peer_connected", "rpc_command"], hooks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("[\"other\"]", hooks["peer_connected"].GetProperty("before").GetRawText());
        Assert.Equal("[\"invoice\",\"pay\"]", hooks["rpc_command"].GetProperty("filters").GetRawText());
    }

    [Fact]
    public async Task Htlc_accepted_reads_every_field_in_lightningds_formats()
    {
        HtlcAcceptedHook? seen = null;
        await using var h = new PluginHarness(b => b.AddHtlcAcceptedHook((htlc, ctx, ct) =>
        {
            seen = htlc;
            return ValueTask.FromResult(HtlcAcceptedResult.Continue);
        }));
        await h.HandshakeAsync();

        Assert.Equal("{\"result\":\"continue\"}", await AnswerAsync(h, "htlc_accepted", HtlcAccepted()));
        Assert.NotNull(seen);
        Assert.Equal(new PubKey(PeerA), seen.PeerId);
        Assert.Equal(Convert.FromHexString("2c0203"), seen.Onion.Payload);
        Assert.Equal("tlv", seen.Onion.Type?.Value);
        Assert.Null(seen.Onion.ShortChannelId);
        Assert.Null(seen.Onion.NextNodeId);
        Assert.Equal(new AmountMsat(1_000_000), seen.Onion.ForwardMsat);
        Assert.Equal(500u, seen.Onion.OutgoingCltvValue);
        Assert.Equal(new AmountMsat(2_000_000), seen.Onion.TotalMsat); // the older "...msat" string form
        Assert.Equal(Secret, seen.Onion.PaymentSecret!.ToString());
        Assert.Equal(Convert.FromHexString("beef"), seen.Onion.PaymentMetadata);
        Assert.Equal(Convert.FromHexString("00ff"), seen.Onion.NextOnion);
        Assert.Equal(new ShortChannelId(103, 1, 0), seen.Htlc.ShortChannelId);
        Assert.Equal(7ul, seen.Htlc.Id);
        Assert.Equal(new AmountMsat(1_000_100), seen.Htlc.AmountMsat);
        Assert.Equal(510u, seen.Htlc.CltvExpiry);
        Assert.Equal(-3, seen.Htlc.CltvExpiryRelative);                 // lightningd writes it signed
        Assert.Equal(Hash, seen.Htlc.PaymentHash.ToString());
        Assert.Equal(Convert.FromHexString("fe00010001"), seen.Htlc.ExtraTlvs);
        Assert.Equal(Hash, seen.ForwardTo!.ToString());
    }

    [Fact]
    public async Task Htlc_accepted_answers_resolve_fail_and_continue_as_lightningd_reads_them()
    {
        var preimage = uint256.Parse(Secret);
        await using var h = new PluginHarness(b => b.AddHtlcAcceptedHook((htlc, ctx, ct) => ValueTask.FromResult(htlc.Htlc.Id switch
        {
            1 => HtlcAcceptedResult.Resolve(preimage),
            2 => HtlcAcceptedResult.Fail([0x20, 0x02]),
            3 => HtlcAcceptedResult.FailWithOnion([0xaa, 0xbb]),
            _ => HtlcAcceptedResult.ContinueWith(payload: [0x01], forwardTo: htlc.ForwardTo, extraTlvs: [0x02], invoiceMsat: new AmountMsat(5000)),
        })));
        await h.HandshakeAsync();

        string Call(int id) => HtlcAccepted().Replace("\"id\":7", $"\"id\":{id}");
        Assert.Equal($"{{\"result\":\"resolve\",\"payment_key\":\"{Secret}\"}}", await AnswerAsync(h, "htlc_accepted", Call(1)));
        Assert.Equal("{\"result\":\"fail\",\"failure_message\":\"2002\"}", await AnswerAsync(h, "htlc_accepted", Call(2)));
        Assert.Equal("{\"result\":\"fail\",\"failure_onion\":\"aabb\"}", await AnswerAsync(h, "htlc_accepted", Call(3)));
        Assert.Equal($"{{\"result\":\"continue\",\"payload\":\"01\",\"forward_to\":\"{Hash}\",\"extra_tlvs\":\"02\",\"invoice_msat\":5000}}", await AnswerAsync(h, "htlc_accepted", Call(4)));
        Assert.Throws<ArgumentException>(() => HtlcAcceptedResult.Fail([0x20]));
    }

    [Fact]
    public async Task Rpc_command_replaces_returns_or_continues_and_honours_its_filter_on_any_lightningd()
    {
        var calls = new List<string>();
        await using var h = new PluginHarness(b => b.AddRpcCommandHook(
            (command, ctx, ct) =>
            {
                calls.Add(command.Method);
                return ValueTask.FromResult(command.Params is JsonArray
                    ? RpcCommandResult.Replace(command, "listfunds", new JsonObject())
                    : RpcCommandResult.ReturnError(-32600, "paying is off ⚡"));
            },
            commands: ["pay"]));
        await h.HandshakeAsync();

        var replaced = await AnswerAsync(h, "rpc_command", "{\"rpc_command\":{\"jsonrpc\":\"2.0\",\"id\":\"cli:pay#9\",\"method\":\"pay\",\"params\":[\"lnbc1\"]}}");
        var returned = await AnswerAsync(h, "rpc_command", "{\"rpc_command\":{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"pay\",\"params\":{\"bolt11\":\"lnbc1\"}}}");
        var other = await AnswerAsync(h, "rpc_command", "{\"rpc_command\":{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"getinfo\",\"params\":{}}}");

        Assert.Equal("{\"replace\":{\"jsonrpc\":\"2.0\",\"id\":\"cli:pay#9\",\"method\":\"listfunds\",\"params\":{}}}", replaced);
        Assert.Equal("{\"return\":{\"error\":{\"code\":-32600,\"message\":\"paying is off ⚡\"}}}", returned);
        Assert.Equal("{\"result\":\"continue\"}", other);
        Assert.Equal(["pay", "pay"], calls);
        Assert.Equal("{\"return\":{\"result\":{\"ok\":true}}}", RpcCommandResult.ReturnResult(new JsonObject { ["ok"] = true }).ToJson().ToJsonString());
    }

    [Fact]
    public async Task Onion_message_recv_reads_the_reply_path_and_unknown_fields()
    {
        OnionMessageHook? seen = null;
        await using var h = new PluginHarness(b => b.AddOnionMessageHook((message, ctx, ct) =>
        {
            seen = message;
            return ValueTask.FromResult(OnionMessageResult.Stop);
        }));
        await h.HandshakeAsync();

        var answer = await AnswerAsync(h, "onion_message_recv",
            $"{{\"onion_message\":{{\"reply_blindedpath\":{{\"first_scid\":\"103x1x0\",\"first_scid_dir\":1,\"first_path_key\":\"{PeerA}\",\"hops\":[{{\"blinded_node_id\":\"{PeerA}\",\"encrypted_recipient_data\":\"0102\"}}]}},\"invoice_request\":\"0a0b\",\"unknown_fields\":[{{\"number\":77777,\"value\":\"cafe\"}}]}}}}");

        Assert.Equal("{\"result\":\"stop\"}", answer);
        Assert.NotNull(seen);
        var path = seen.ReplyPath!;
        Assert.Null(path.FirstNodeId);
        Assert.Equal(new ShortChannelId(103, 1, 0), path.FirstShortChannelId);
        Assert.Equal(1u, path.FirstShortChannelIdDirection);
        Assert.Equal(new PubKey(PeerA), path.FirstPathKey);
        var hop = Assert.Single(path.Hops!);
        Assert.Equal(Convert.FromHexString("0102"), hop.EncryptedRecipientData);
        Assert.Equal(Convert.FromHexString("0a0b"), seen.InvoiceRequest);
        Assert.Null(seen.Invoice);
        var field = Assert.Single(seen.UnknownFields!);
        Assert.Equal(77777ul, field.Number);
        Assert.Equal(Convert.FromHexString("cafe"), field.Value);
    }

    [Theory]
    [InlineData("peer_connected", "{\"peer\":{\"id\":\"02zz\",\"direction\":\"in\",\"addr\":\"x\",\"features\":\"\"}}", "'id' is not a node id")]
    [InlineData("peer_connected", "{}", "'peer' is not an object")]
    [InlineData("htlc_accepted", "{\"onion\":{}}", "'htlc' is not an object")]
    [InlineData("rpc_command", "{\"rpc_command\":{\"id\":1}}", "'method' is missing")]
    [InlineData("onion_message_recv", "{\"onion_message\":{\"unknown_fields\":[{\"number\":-1,\"value\":\"00\"}]}}", "'number' is not an unsigned 64-bit integer")]
    public async Task A_payload_that_does_not_read_answers_continue_without_calling_the_handler(string hook, string payload, string error)
    {
        int called = 0;
        await using var h = new PluginHarness(b =>
        {
            b.AddPeerConnectedHook((_, _, _) => { called++; return ValueTask.FromResult(PeerConnectedResult.Disconnect()); });
            b.AddHtlcAcceptedHook((_, _, _) => { called++; return ValueTask.FromResult(HtlcAcceptedResult.Fail([0x20, 0x02])); });
            b.AddRpcCommandHook((c, _, _) => { called++; return ValueTask.FromResult(RpcCommandResult.ReturnError(1, "no")); });
            b.AddOnionMessageHook((_, _, _) => { called++; return ValueTask.FromResult(OnionMessageResult.Stop); });
        });
        await h.HandshakeAsync();

        Assert.Equal("{\"result\":\"continue\"}", await AnswerAsync(h, hook, payload));
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("payload does not read", StringComparison.Ordinal));

        Assert.Equal(0, called);
        var line = Assert.Single(h.Logs, l => l.Level == "unusual");
        Assert.Contains($"'{hook}'", line.Message);
        Assert.Contains(error, line.Message);
        Assert.DoesNotContain(h.Logs, l => l.Level == "broken");
    }

    [Fact]
    public async Task Any_hook_takes_its_generated_payload_and_a_bad_payload_answers_the_fallback()
    {
        OpenchannelHook? seen = null;
        var reject = new JsonObject { ["result"] = "reject", ["error_message"] = "busy" };
        await using var h = new PluginHarness(b => b.AddHook<OpenchannelHook>(
            (open, ctx, ct) =>
            {
                seen = open;
                return ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "continue", ["mindepth"] = 3 });
            },
            fallback: reject));
        await h.HandshakeAsync();

        const string Open = "{\"openchannel\":{\"id\":\"" + PeerA + "\",\"funding_msat\":100000000,\"push_msat\":0,\"dust_limit_msat\":546000,\"max_htlc_value_in_flight_msat\":18446744073709551615,\"channel_reserve_msat\":1000000,\"htlc_minimum_msat\":0,\"feerate_per_kw\":7500,\"to_self_delay\":5,\"max_accepted_htlcs\":483,\"channel_flags\":1,\"channel_type\":{\"bits\":[12,22],\"names\":[\"static_remotekey/even\",\"anchors/even\"]}}}";
        Assert.Equal("{\"result\":\"continue\",\"mindepth\":3}", await AnswerAsync(h, "openchannel", Open));
        Assert.NotNull(seen);
        Assert.Equal(new PubKey(PeerA), seen.Id);
        Assert.Equal(AmountMsat.FromSatoshis(100_000), seen.FundingMsat);
        Assert.Equal(ulong.MaxValue, seen.MaxHtlcValueInFlightMsat.Millisatoshis);
        Assert.Equal((byte)1, seen.ChannelFlags);
        Assert.Equal([12u, 22u], seen.ChannelType!.Bits);

        Assert.Equal("{\"result\":\"reject\",\"error_message\":\"busy\"}", await AnswerAsync(h, "openchannel", Open.Replace("\"id\":\"02", "\"id\":\"zz", StringComparison.Ordinal)));
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("'id' is not a node id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_typed_hook_that_throws_or_times_out_answers_continue()
    {
        await using var h = new PluginHarness(b =>
        {
            b.AddHtlcAcceptedHook((_, _, _) => throw new InvalidOperationException("no database"));
            b.AddPeerConnectedHook(async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return PeerConnectedResult.Disconnect();
            }, timeout: TimeSpan.FromMilliseconds(100));
        });
        await h.HandshakeAsync();

        Assert.Equal("{\"result\":\"continue\"}", await AnswerAsync(h, "htlc_accepted", HtlcAccepted()));
        Assert.Equal("{\"result\":\"continue\"}", await AnswerAsync(h, "peer_connected", PeerConnected()));
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("did not answer within", StringComparison.Ordinal));

        Assert.Contains(h.Logs, l => l.Level == "unusual" && l.Message.Contains("InvalidOperationException: no database", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs, l => l.Level == "broken");
    }
}
