using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing.Tests.Plugins;

namespace Cln.ProtocolExtensions.Testing.Tests;

public class CustomMessageTests
{
    private static readonly byte[] Ping8001 = [0x80, 0x01, 0xde, 0xad, 0xbe, 0xef];

    [Fact]
    public async Task Sendcustommsg_on_alice_reaches_bobs_plugin_notification_first_then_hook()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var plugin = await bob.StartPluginAsync("listener", new RawJsonPlugin().RunAsync);
        await ln.ConnectAsync(alice, bob);

        var status = await alice.Rpc.SendCustomMessageAsync(bob.Id, Ping8001);

        Assert.Equal("Message sent to connectd for delivery", status);
        var received = await bob.WaitForCustomMessageAsync(0x8001);
        Assert.Equal(alice.Id, received.PeerId);
        Assert.Equal("8001deadbeef", received.Hex);
        Assert.Equal(["listener"], received.HookCalls);
        await plugin.WaitForLogAsync($"custommsg 8001deadbeef from {alice.IdHex}");

        var writes = plugin.Transcript.Where(r => r.Direction == TranscriptDirection.In).Select(r => r.Text).ToList();
        int notification = writes.IndexOf(
            $$$$"""{"jsonrpc":"2.0","method":"custommsg","params":{"custommsg":{"peer_id":"{{{{alice.IdHex}}}}","payload":"8001deadbeef"}}}""" + "\n\n");
        int hook = writes.FindIndex(w => w.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#", StringComparison.Ordinal)
            && w.EndsWith($$$""","method":"custommsg","params":{"payload":"8001deadbeef","peer_id":"{{{alice.IdHex}}}"}}""" + "\n\n", StringComparison.Ordinal));
        Assert.True(notification >= 0, "custommsg notification not sent");
        Assert.True(hook > notification, "the hook must come after the notification");
        // The connect notification came first, whole: only the ephemeral port varies.
        var connectMessage = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape($$$"""{"jsonrpc":"2.0","method":"connect","params":{"connect":{"id":"{{{alice.IdHex}}}","direction":"in","address":{"type":"ipv4","address":"127.0.0.1","port":""")
            + "[0-9]+" + System.Text.RegularExpressions.Regex.Escape("}}}}\n\n") + "$");
        int connect = writes.FindIndex(connectMessage.IsMatch);
        Assert.True(connect >= 0, "connect notification not sent whole");
        Assert.True(connect < notification, "the connect notification must come before the custom message");
    }

    [Fact]
    public async Task Messages_arrive_in_order_across_a_chain_of_plugins_in_before_after_order()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await bob.StartPluginAsync("first", new RawJsonPlugin().RunAsync);
        await bob.StartPluginAsync("second", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg","before":["first"]}]}""",
        }.RunAsync);
        await bob.StartPluginAsync("third", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg","after":["first"]}]}""",
        }.RunAsync);
        await ln.ConnectAsync(alice, bob);

        Assert.Equal(["second", "first", "third"], bob.GetHookOrder("custommsg"));
        for (int i = 0; i < 20; i++)
            await alice.Rpc.SendCustomMessageAsync(bob.Id, new byte[] { 0x80, 0x03, (byte)i });

        var last = await bob.WaitForCustomMessageAsync(m => m.Hex == "800313");
        Assert.Equal(["second", "first", "third"], last.HookCalls);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"8003{i:x2}"), bob.ReceivedCustomMessages.Select(m => m.Hex));
        foreach (var name in new[] { "first", "second", "third" })
        {
            var payloads = bob.Plugins[name].Log.Select(l => l.Message.Split(' ')[1]).ToArray();
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"8003{i:x2}"), payloads);
        }
    }

    [Fact]
    public async Task A_hook_ordering_that_cannot_be_met_kills_the_plugin()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");
        await bob.StartPluginAsync("a", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg","before":["b"]}]}""",
        }.RunAsync);

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => bob.StartPluginAsync("b", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg","before":["a"]}]}""",
        }.RunAsync));
        Assert.Equal("Cannot meet required hook dependencies", e.LightningdMessage);
        Assert.Equal(["a"], bob.GetHookOrder("custommsg"));
    }

    [Fact]
    public async Task Hook_filters_are_honoured_and_the_notification_still_comes_for_every_type()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var raw = new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"subscriptions":["custommsg"],"hooks":[{"name":"custommsg","filters":[32771]}]}""",
        };
        await bob.StartPluginAsync("filtered", raw.RunAsync);
        await ln.ConnectAsync(alice, bob);

        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8001aa"));
        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8003bb"));

        var first = await bob.WaitForCustomMessageAsync(0x8001);
        var second = await bob.WaitForCustomMessageAsync(0x8003);
        Assert.Empty(first.HookCalls);
        Assert.Equal(["filtered"], second.HookCalls);
        Assert.Equal(["getmanifest", "init", "custommsg"], raw.Requests);
        Assert.Equal(2, raw.ReceivedNotifications.Count(n => n.StartsWith("custommsg ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_empty_filter_list_means_the_hook_is_never_called()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");
        var raw = new RawJsonPlugin { Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg","filters":[]}]}""" };
        await bob.StartPluginAsync("never", raw.RunAsync);
        var peer = ln.AddNode("peer").Id;

        await bob.ReceiveCustomMessageAsync(peer, new byte[] { 0x80, 0x01 });

        Assert.Empty((await bob.WaitForCustomMessageAsync()).HookCalls);
    }

    [Fact]
    public async Task An_even_type_no_plugin_lists_makes_the_receiver_warn_and_disconnect()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var plugin = new RawJsonPlugin();
        await bob.StartPluginAsync("listener", plugin.RunAsync);
        var sender = new RawJsonPlugin();
        await alice.StartPluginAsync("sender", sender.RunAsync);
        await ln.ConnectAsync(alice, bob);

        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8000beef"));

        await bob.WaitForLogAsync($"Invalid unknown even msg 8000beef");
        await alice.WaitForLogAsync("Received WIRE_WARNING: WARNING: Invalid unknown even msg 8000beef");
        Assert.Contains(alice.Log, l => l.ToString() == $"INFO    {bob.IdHex}-lightningd: sendcustommsg id=\"test:sendcustommsg#1\" sending a custom even message (32768)");
        Assert.Contains(bob.Log, l => l.ToString() == $"UNUSUAL {alice.IdHex}-connectd: Invalid unknown even msg 8000beef");
        Assert.Empty(bob.ReceivedCustomMessages);
        Assert.DoesNotContain("custommsg", plugin.Requests);
        Assert.Empty(alice.Peers);
        Assert.Empty(bob.Peers);
        await WaitUntil(() => plugin.ReceivedNotifications.Contains($$$"""disconnect {"disconnect":{"id":"{{{alice.IdHex}}}"}}"""));
        await WaitUntil(() => sender.ReceivedNotifications.Contains($$$"""disconnect {"disconnect":{"id":"{{{bob.IdHex}}}"}}"""));

        var again = await Assert.ThrowsAsync<PeerNotFoundException>(() => alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8001aa")));
        Assert.Equal(-32600, again.Code);
        Assert.Equal($"No such peer: {bob.IdHex}", again.ClnMessage);
    }

    [Fact]
    public async Task An_even_type_listed_in_custommessages_is_delivered_and_the_peer_stays()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await bob.StartPluginAsync("even", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":[{"name":"custommsg"}],"custommessages":[32768]}""",
        }.RunAsync);
        await ln.ConnectAsync(alice, bob);

        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8000beef"));
        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8001aa"));

        Assert.Equal(["even"], (await bob.WaitForCustomMessageAsync(0x8000)).HookCalls);
        await bob.WaitForCustomMessageAsync(0x8001);
        Assert.Equal([alice.Id], bob.Peers);
        Assert.Contains(bob.Log, l => l.ToString() == $"DEBUG   {alice.IdHex}-connectd: peer_in UNKNOWN 32768");
    }

    [Fact]
    public async Task The_allowlist_goes_away_with_the_plugin_that_declared_it()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var even = await bob.StartPluginAsync("even", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"custommessages":[32768]}""",
        }.RunAsync);
        await ln.ConnectAsync(alice, bob);
        Assert.Contains((ushort)32768, bob.AllowedEvenTypes);

        await even.StopAsync();
        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("8000beef"));

        await bob.WaitForLogAsync("Invalid unknown even msg 8000beef");
        Assert.Empty(bob.AllowedEvenTypes);
    }

    [Fact]
    public async Task Internal_types_are_refused_with_clns_message_but_peer_storage_is_not()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        foreach (var (hex, type, name) in new[] { ("0012", 18, "WIRE_PING"), ("0010", 16, "WIRE_INIT"), ("0101cafe", 257, "WIRE_NODE_ANNOUNCEMENT"), ("0000", 0, "WIRE_PROTOCOL_BATCH_ELEMENT"), ("0089", 137, "WIRE_UPDATE_BLOCKHEIGHT") })
        {
            var e = await Assert.ThrowsAsync<InternalMessageTypeException>(() => alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString(hex)));
            Assert.Equal(-32600, e.Code);
            Assert.Equal((ushort)type, e.MessageType);
            Assert.Equal($"Cannot send messages of type {type} ({name}). It is not possible to send messages that have a type managed internally since that might cause issues with the internal state tracking.", e.ClnMessage);
        }

        await alice.Rpc.SendCustomMessageAsync(bob.Id, Convert.FromHexString("00070000"));
        Assert.Equal(7, (await bob.WaitForCustomMessageAsync()).Type);
    }

    [Fact]
    public async Task Malformed_hex_is_accepted_then_crashes_connectd_as_in_v26_06_6()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        // The SDK's client refuses malformed hex before sending it; a plugin of another SDK may not.
        var status = await RpcAnswers.ResultAsync(alice, "sendcustommsg", $$"""{"node_id":"{{bob.IdHex}}","msg":"8001a"}""");

        Assert.Equal("Message sent to connectd for delivery", status.GetProperty("status").GetString());
        var violation = await alice.WaitForViolationAsync();
        Assert.Equal(ViolationConsequence.ConnectdCrashes, violation.Consequence);
        Assert.Contains("FATAL SIGNAL 6", violation.LightningdMessage);
        await WaitUntil(() => bob.Peers.Count == 0);
        Assert.Empty(bob.ReceivedCustomMessages);
    }

    [Fact]
    public async Task A_hook_answered_with_an_error_is_fatal_and_fails_the_wait()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");
        var plugin = await bob.StartPluginAsync("rude", new RawJsonPlugin
        {
            OnRequest = (method, id, _) => method == "custommsg"
                ? $$$"""{"jsonrpc":"2.0","id":"{{{id}}}","error":{"code":-32700,"message":"bad"}}""" + "\n\n"
                : null,
        }.RunAsync);

        await bob.ReceiveCustomMessageAsync(ln.AddNode("peer").Id, new byte[] { 0x80, 0x01 });

        var e = await Assert.ThrowsAsync<PluginProtocolViolationException>(() => bob.WaitForCustomMessageAsync());
        Assert.Equal(ViolationConsequence.LightningdExits, e.Consequence);
        Assert.StartsWith("Plugin rude for custommsg returned non-result response {\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#", e.LightningdMessage);
        Assert.Same(e, await plugin.WaitForViolationAsync());
    }

    [Fact]
    public async Task A_hook_result_other_than_continue_is_fatal()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");
        var plugin = await bob.StartPluginAsync("odd", new RawJsonPlugin
        {
            OnRequest = (method, id, _) => method == "custommsg" ? RawJsonPlugin.Reply(id, """{"result":"stop"}""") : null,
        }.RunAsync);

        await bob.ReceiveCustomMessageAsync(ln.AddNode("peer").Id, new byte[] { 0x80, 0x01 });

        var violation = await plugin.WaitForViolationAsync();
        Assert.StartsWith("Plugin returned an invalid response to the custommsg hook: ", violation.LightningdMessage);
    }

    [Fact]
    public async Task Connect_and_disconnect_notifications_reach_subscribers_on_both_sides()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var a = new RawJsonPlugin();
        var b = new RawJsonPlugin();
        await alice.StartPluginAsync("a", a.RunAsync);
        await bob.StartPluginAsync("b", b.RunAsync);

        await ln.ConnectAsync(alice, bob);
        await ln.DisconnectAsync(alice, bob);

        await WaitUntil(() => a.ReceivedNotifications.Count >= 2 && b.ReceivedNotifications.Count >= 2);
        Assert.StartsWith($$$$"""connect {"connect":{"id":"{{{{bob.IdHex}}}}","direction":"out","address":{"type":"ipv4","address":"127.0.0.1","port":{{{{bob.Port}}}}}}""", a.ReceivedNotifications[0]);
        Assert.StartsWith($$$"""connect {"connect":{"id":"{{{alice.IdHex}}}","direction":"in",""", b.ReceivedNotifications[0]);
        Assert.Equal($$$"""disconnect {"disconnect":{"id":"{{{bob.IdHex}}}"}}""", a.ReceivedNotifications[1]);
        Assert.Equal($$$"""disconnect {"disconnect":{"id":"{{{alice.IdHex}}}"}}""", b.ReceivedNotifications[1]);
    }

    [Fact]
    public async Task A_peer_connected_hook_can_refuse_the_peer()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await bob.StartPluginAsync("bouncer", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"hooks":["peer_connected"]}""",
            OnRequest = (method, id, p) => method == "peer_connected"
                ? RawJsonPlugin.Reply(id, """{"result":"disconnect","error_message":"go away"}""")
                : null,
        }.RunAsync);

        var watcher = new RawJsonPlugin();
        await bob.StartPluginAsync("watcher", watcher.RunAsync);

        await ln.ConnectAsync(alice, bob);

        await bob.WaitForLogAsync("peer_connected hook rejects and says 'go away'");
        await WaitUntil(() => alice.Peers.Count == 0 && bob.Peers.Count == 0);
        await alice.WaitForLogAsync("Received WIRE_WARNING: WARNING: go away");
        Assert.DoesNotContain(watcher.ReceivedNotifications, n => n.StartsWith("connect ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_connect_notification_waits_for_the_peer_connected_hooks()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var plugin = await bob.StartPluginAsync("both", new RawJsonPlugin
        {
            Manifest = """{"options":[],"rpcmethods":[],"subscriptions":["connect"],"hooks":["peer_connected"]}""",
        }.RunAsync);

        await ln.ConnectAsync(alice, bob);

        var writes = plugin.Transcript.Where(t => t.Direction == TranscriptDirection.In).Select(t => t.Text).ToList();
        int hook = writes.FindIndex(w => w.Contains("\"method\":\"peer_connected\"", StringComparison.Ordinal));
        int notification = writes.FindIndex(w => w.Contains("\"method\":\"connect\"", StringComparison.Ordinal));
        Assert.True(hook >= 0 && notification > hook, "connect must follow the peer_connected hook");
        Assert.Matches($$$"""^\{"jsonrpc":"2.0","id":"cln:peer_connected#\d+","method":"peer_connected","params":\{"peer":\{"id":"{{{alice.IdHex}}}","direction":"in","addr":"127.0.0.1:\d+","features":"800898880a8a59a1"\}\}\}""" + "\n\n$", writes[hook]);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("Condition not met within 60 s.");
            await Task.Delay(10);
        }
    }
}
