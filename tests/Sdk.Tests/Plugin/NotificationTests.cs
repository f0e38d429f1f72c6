using System.Collections.Concurrent;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// Typed notification payloads: every recorded lightningd v26.06.6 notification reads, with the
/// recording's values; topics without a recording are read from payloads shaped as
/// lightningd/notification.c writes them; a payload that does not read is logged and skipped.
/// </summary>
public class NotificationTests
{
    private const string PeerA = ProtocolTests.PeerA;

    /// <summary>Every native notification lightningd sent in the recordings: (topic, the object named after it).</summary>
    private static IEnumerable<(string Topic, JsonElement Fields)> Recorded()
    {
        foreach (var file in Directory.EnumerateFiles(Fixtures.Directory, "*plugin.jsonl").Concat(Directory.EnumerateFiles(Fixtures.Directory, "pyln_reference_*.jsonl")))
        {
            foreach (var (dir, raw) in Fixtures.Transcript(Path.GetFileName(file)))
            {
                if (dir != "in")
                {
                    continue;
                }

                foreach (var message in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    using var doc = JsonDocument.Parse(message);
                    var root = doc.RootElement;
                    if (!root.TryGetProperty("id", out _) && root.GetProperty("method").GetString() is { } topic
                        && root.GetProperty("params").TryGetProperty(topic, out var fields))
                    {
                        yield return (topic, fields.Clone());
                    }
                }
            }
        }
    }

    private static JsonElement Only(string topic) => Recorded().First(r => r.Topic == topic).Fields;

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    [Fact]
    public void The_recordings_hold_every_topic_these_tests_read()
    {
        var topics = Recorded().Select(r => r.Topic).ToHashSet();
        Assert.Superset(topics, new HashSet<string> { "connect", "disconnect", "custommsg", "plugin_started", "warning", "shutdown" });
    }

    [Fact]
    public void Every_recorded_notification_reads_as_its_record_with_the_recorded_values()
    {
        int read = 0;
        foreach (var (topic, f) in Recorded())
        {
            switch (topic)
            {
                case "connect":
                    var connect = ConnectNotification.FromJson(f);
                    Assert.Equal(Str(f, "id"), connect.PeerId.ToHex());
                    Assert.Equal(Str(f, "direction"), connect.Direction.Value);
                    var address = f.GetProperty("address");
                    Assert.Equal(Str(address, "type"), connect.Address.Type.Value);
                    Assert.Equal(Str(address, "address"), connect.Address.Address);
                    Assert.Equal(address.GetProperty("port").GetUInt16(), connect.Address.Port);
                    break;
                case "disconnect":
                    Assert.Equal(Str(f, "id"), DisconnectNotification.FromJson(f).PeerId.ToHex());
                    break;
                case "custommsg":
                    var custom = CustomMessageNotification.FromJson(f);
                    Assert.Equal(Str(f, "peer_id"), custom.PeerId.ToHex());
                    Assert.Equal(Str(f, "payload"), Convert.ToHexStringLower(custom.Payload));
                    break;
                case "plugin_started":
                    var started = PluginStartedNotification.FromJson(f);
                    Assert.Equal(Str(f, "plugin_name"), started.PluginName);
                    Assert.Equal(Str(f, "plugin_path"), started.PluginPath);
                    Assert.Equal(f.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!), started.Methods);
                    break;
                case "warning":
                    var warning = WarningNotification.FromJson(f);
                    Assert.Equal(Str(f, "level"), warning.Level.Value);
                    Assert.Equal(Str(f, "source"), warning.Source);
                    Assert.Equal(Str(f, "log"), warning.Log);
                    Assert.Equal(Str(f, "timestamp"), warning.Timestamp);
                    // "time" is seconds with nanoseconds; the ISO timestamp is the same moment to the millisecond.
                    Assert.Equal(DateTimeOffset.Parse(Str(f, "timestamp"), System.Globalization.CultureInfo.InvariantCulture), warning.Time, TimeSpan.FromMilliseconds(1));
                    Assert.Equal(decimal.Parse(Str(f, "time"), System.Globalization.CultureInfo.InvariantCulture), (decimal)(warning.Time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerSecond, 6);
                    break;
                case "shutdown":
                    Assert.NotNull(ShutdownNotification.FromJson(f));
                    break;
                default:
                    continue;
            }

            read++;
        }

        Assert.True(read > 50, $"only {read} recorded notifications read");
    }

    [Fact]
    public void Block_added_and_channel_state_changed_read_lightningds_formats()
    {
        const string BlockHash = "000000000000000000024bead8df69990852c202db0e0097c1a12ea637d7e96d";
        using var block = JsonDocument.Parse($"{{\"hash\":\"{BlockHash}\",\"height\":849123}}");
        var added = BlockAddedNotification.FromJson(block.RootElement);
        Assert.Equal(BlockHash, added.Hash.ToString());
        Assert.Equal(849123u, added.Height);

        const string ChannelId = "1ad0a7c0f6e4ab7c08c42b42e64e9dda07543e9a7a5bfdf3b4fd8c5c6c5d8e01";
        using var changed = JsonDocument.Parse($"{{\"peer_id\":\"{PeerA}\",\"channel_id\":\"{ChannelId}\",\"short_channel_id\":\"103x1x0\",\"timestamp\":\"2026-11-26T02:03:22.707Z\",\"old_state\":\"CHANNELD_AWAITING_LOCKIN\",\"new_state\":\"CHANNELD_NORMAL\",\"cause\":\"user\",\"message\":\"Lockin complete\"}}");
        var state = ChannelStateChangedNotification.FromJson(changed.RootElement);
        Assert.Equal(ChannelId, state.ChannelId.ToString());
        Assert.Equal(new ShortChannelId(103, 1, 0), state.ShortChannelId);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 2, 3, 22, 707, TimeSpan.Zero), state.Timestamp);
        Assert.Equal("CHANNELD_NORMAL", state.NewState.Value);
        Assert.Equal("user", state.Cause.Value);

        // A new channel: no old state, no short channel id yet, no message.
        using var opened = JsonDocument.Parse($"{{\"peer_id\":\"{PeerA}\",\"channel_id\":\"{ChannelId}\",\"timestamp\":\"2026-11-26T02:03:22.707Z\",\"new_state\":\"CHANNELD_AWAITING_LOCKIN\",\"cause\":\"remote\"}}");
        var first = ChannelStateChangedNotification.FromJson(opened.RootElement);
        Assert.Null(first.OldState);
        Assert.Null(first.ShortChannelId);
        Assert.Null(first.Message);
    }

    [Fact]
    public void Payment_topics_read_lightningds_formats()
    {
        const string Txid = "8e2e3d5b7f0c4a9e1b6d2f8a3c5e7b9d1f3a5c7e9b2d4f6a8c0e2b4d6f8a0c2e";
        const string Hash = "0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff";
        using var opened = JsonDocument.Parse($"{{\"id\":\"{PeerA}\",\"funding_msat\":100000000,\"funding_txid\":\"{Txid}\",\"channel_ready\":false}}");
        var channel = ChannelOpenedNotification.FromJson(opened.RootElement);
        Assert.Equal(AmountMsat.FromSatoshis(100_000), channel.FundingMsat);
        Assert.Equal(Txid, channel.FundingTxid.ToString());
        Assert.False(channel.ChannelReady);

        using var paid = JsonDocument.Parse($"{{\"msat\":\"5000msat\",\"preimage\":\"{Hash}\",\"label\":\"coffee ☕\"}}");
        var invoice = InvoicePaymentNotification.FromJson(paid.RootElement);
        Assert.Equal(new AmountMsat(5000), invoice.AmountMsat);
        Assert.Equal(Hash, invoice.Preimage.ToString());
        Assert.Equal("coffee ☕", invoice.Label);
        Assert.Null(invoice.Outpoint);

        using var forward = JsonDocument.Parse($"{{\"created_index\":3,\"payment_hash\":\"{Hash}\",\"in_channel\":\"103x1x0\",\"in_htlc_id\":0,\"out_channel\":\"110x1x1\",\"in_msat\":1000101,\"out_msat\":1000000,\"fee_msat\":101,\"status\":\"local_failed\",\"failcode\":16392,\"failreason\":\"WIRE_PERMANENT_CHANNEL_FAILURE\",\"style\":\"tlv\",\"received_time\":1795658602.707538985,\"resolved_time\":1795658603.000000001}}");
        var fwd = ForwardEventNotification.FromJson(forward.RootElement);
        Assert.Equal(new ShortChannelId(103, 1, 0), fwd.InChannel);
        Assert.Equal(new ShortChannelId(110, 1, 1), fwd.OutChannel);
        Assert.Equal((1_000_101ul, 1_000_000ul, 101ul), (fwd.InMsat.Millisatoshis, fwd.OutMsat!.Value.Millisatoshis, fwd.FeeMsat!.Value.Millisatoshis));
        Assert.Equal(("local_failed", 16392u, "WIRE_PERMANENT_CHANNEL_FAILURE", "tlv"), (fwd.Status.Value, fwd.FailCode!.Value, fwd.FailReason, fwd.Style!.Value.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_795_658_602_707).AddTicks(5_389), fwd.ReceivedTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_658_603), fwd.ResolvedTime);

        // An offered forward: nothing out yet.
        using var offered = JsonDocument.Parse("{\"in_channel\":\"103x1x0\",\"in_msat\":5,\"status\":\"offered\",\"received_time\":1795658602.5}");
        var pending = ForwardEventNotification.FromJson(offered.RootElement);
        Assert.Null(pending.PaymentHash);
        Assert.Null(pending.OutChannel);
        Assert.Null(pending.ResolvedTime);

        var payment = $"\"created_index\":1,\"id\":1,\"payment_hash\":\"{Hash}\",\"groupid\":1,\"partid\":2,\"destination\":\"{PeerA}\",\"amount_msat\":1000,\"amount_sent_msat\":1001,\"created_at\":1795658602,\"completed_at\":1795658603,\"label\":\"l\",\"bolt11\":\"lnbcrt10n1\"";
        using var success = JsonDocument.Parse($"{{{payment},\"status\":\"complete\",\"payment_preimage\":\"{Hash}\"}}");
        var sent = SendpaySuccessNotification.FromJson(success.RootElement);
        Assert.Equal((1ul, 1ul, 2ul), (sent.Id, sent.GroupId, sent.PartId!.Value));
        Assert.Equal(new PubKey(PeerA), sent.Destination);
        Assert.Equal((1000ul, 1001ul), (sent.AmountMsat!.Value.Millisatoshis, sent.AmountSentMsat.Millisatoshis));
        Assert.Equal("complete", sent.Status.Value);
        Assert.Equal(Hash, sent.PaymentPreimage!.ToString());

        using var failure = JsonDocument.Parse($"{{\"code\":204,\"message\":\"failed: WIRE_TEMPORARY_CHANNEL_FAILURE\",\"data\":{{{payment},\"status\":\"failed\",\"erring_index\":1,\"failcode\":4103,\"failcodename\":\"WIRE_TEMPORARY_CHANNEL_FAILURE\",\"erring_node\":\"{PeerA}\",\"erring_channel\":\"110x1x1\",\"erring_direction\":1,\"raw_message\":\"1007\"}}}}");
        var failed = SendpayFailureNotification.FromJson(failure.RootElement);
        Assert.Equal(204, failed.Code);
        Assert.Equal("failed", failed.Data.Status!.Value.Value);
        Assert.Equal(new PubKey(PeerA), failed.Data.ErringNode);
        Assert.Equal(new ShortChannelId(110, 1, 1), failed.Data.ErringChannel);
        Assert.Equal((1u, 4103u, "WIRE_TEMPORARY_CHANNEL_FAILURE"), (failed.Data.ErringDirection!.Value, failed.Data.FailCode!.Value, failed.Data.FailCodeName));
        Assert.Equal(Convert.FromHexString("1007"), failed.Data.RawMessage);
    }

    [Theory]
    [InlineData("{\"direction\":\"in\",\"address\":{\"type\":\"ipv4\"}}", "'id' is missing")]
    [InlineData("{\"id\":\"nope\",\"direction\":\"in\",\"address\":{\"type\":\"ipv4\"}}", "'id' is not a node id")]
    [InlineData("{\"id\":\"" + PeerA + "\",\"direction\":7,\"address\":{\"type\":\"ipv4\"}}", "'direction' is not a string")]
    [InlineData("{\"id\":\"" + PeerA + "\",\"direction\":\"in\"}", "'address' is not an object")]
    public void A_payload_that_does_not_read_throws_a_PayloadFormatException_naming_the_field(string json, string message)
    {
        using var doc = JsonDocument.Parse(json);
        var error = Assert.Throws<PayloadFormatException>(() => ConnectNotification.FromJson(doc.RootElement));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_malformed_notification_is_logged_once_and_skipped_and_the_next_one_is_delivered()
    {
        var connects = new ConcurrentQueue<ConnectNotification>();
        await using var h = new PluginHarness(b => b.Subscribe<ConnectNotification>((n, _, _) =>
        {
            connects.Enqueue(n);
            return ValueTask.CompletedTask;
        }));
        await h.HandshakeAsync();
        var recorded = Fixtures.Transcript("variant_hook_filters_32771_nodeB_py_custommsg_plugin.jsonl")
            .SelectMany(r => r.Raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            .First(m => m.Contains("\"method\":\"connect\"", StringComparison.Ordinal));

        await h.SendAsync(recorded.Replace("\"id\":\"02", "\"id\":\"zz", StringComparison.Ordinal) + "\n\n");
        await h.SendAsync(recorded + "\n\n");
        await FaultTests.WaitForAsync(() => !connects.IsEmpty);
        await h.ReadUntilLogAsync((l, m) => l == "unusual" && m.Contains("Skipped a 'connect' notification", StringComparison.Ordinal));

        var delivered = Assert.Single(connects);
        using var doc = JsonDocument.Parse(recorded);
        Assert.Equal(doc.RootElement.GetProperty("params").GetProperty("connect").GetProperty("id").GetString(), delivered.PeerId.ToHex());
        var line = Assert.Single(h.Logs, l => l.Level == "unusual");
        Assert.Contains("'id' is not a node id", line.Message);
        Assert.DoesNotContain(h.Logs, l => l.Level == "broken");
    }
}
