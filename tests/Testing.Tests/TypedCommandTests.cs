using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Rpc.Models;
using Cln.ProtocolExtensions.Testing.Internal;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// Every simulated command through the SDK's typed client (<see cref="SimulatedNode.Rpc"/>), both
/// directions: the request model as the client writes it is what the simulator accepts, and the
/// simulator's answer reads into the response model (a required field it left out would fail the
/// call with <see cref="ClnRpcResponseException"/>).
/// </summary>
public sealed class TypedCommandTests : IAsyncLifetime
{
    private readonly LightningdSimulator _ln = new();
    private SimulatedNode _alice = null!;
    private SimulatedNode _bob = null!;

    public Task InitializeAsync()
    {
        _alice = _ln.AddNode("alice");
        _bob = _ln.AddNode("bob");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ln.DisposeAsync();

    [Fact]
    public async Task Getinfo_reads_into_its_model_with_and_without_a_request()
    {
        await _ln.ConnectAsync(_alice, _bob);

        var info = await _alice.Rpc.GetInfoAsync();
        var again = await _alice.Rpc.GetInfoAsync(new GetinfoRequest());

        Assert.Equal(_alice.Id, info.Id);
        Assert.Equal("alice", info.Alias);
        Assert.Equal(_alice.Id.ToBytes()[..3], info.Color);
        Assert.Equal(1u, info.NumPeers);
        Assert.Equal(0u, info.NumActiveChannels);
        Assert.Equal("v26.06.6", info.Version);
        Assert.Equal(_ln.Options.BlockHeight, (int)info.Blockheight);
        Assert.Equal("regtest", info.Network);
        Assert.Equal(_alice.LightningDir, info.LightningDir);
        Assert.Equal(AmountMsat.Zero, info.FeesCollectedMsat);
        Assert.Empty(info.Address);
        var binding = Assert.Single(info.Binding!);
        Assert.Equal(GetinfoBindingType.Ipv4, binding.Type);
        Assert.Equal((ushort)_alice.Port, binding.Port);
        // The feature bits lightningd v26.06.6 sent in init (recorded), by place.
        Assert.Equal(Convert.FromHexString("800898880a8a59a1"), info.OurFeatures!.Init);
        Assert.Equal(Convert.FromHexString("808898880a8a59a1"), info.OurFeatures.Node);
        Assert.Empty(info.OurFeatures.Channel);
        Assert.Equal(Convert.FromHexString("02000002024100"), info.OurFeatures.Invoice);
        Assert.Equal(info.Id, again.Id);
        Assert.Equal(LightningdVersion.Parse("v26.06.6"), await _alice.Rpc.GetLightningdVersionAsync());
    }

    [Fact]
    public async Task Connect_listpeers_and_disconnect_take_their_requests_and_read_into_their_models()
    {
        var connected = await _alice.Rpc.ConnectAsync(new ConnectRequest { Id = _bob.IdHex, Host = "127.0.0.1", Port = (ushort)_bob.Port });

        Assert.Equal(_bob.Id, connected.Id);
        Assert.Equal(ConnectDirection.Out, connected.Direction);
        Assert.Equal(ConnectAddressType.Ipv4, connected.Address.Type);
        Assert.Equal(Convert.FromHexString("800898880a8a59a1"), connected.Features);

        var again = await _alice.Rpc.ConnectAsync(new ConnectRequest { Id = $"{_bob.IdHex}@127.0.0.1:{_bob.Port}" });
        Assert.Equal(_bob.Id, again.Id);

        var all = await _bob.Rpc.ListPeersAsync();
        var peer = Assert.Single(all.Peers);
        Assert.Equal(_alice.Id, peer.Id);
        Assert.True(peer.Connected);
        Assert.Equal(0u, peer.NumChannels);
        Assert.Null(peer.Log);
        Assert.Equal(Convert.FromHexString("800898880a8a59a1"), peer.Features);

        var filtered = await _bob.Rpc.ListPeersAsync(new ListpeersRequest { Id = _alice.Id, Level = ListpeersRequestLevel.Debug });
        Assert.Empty(Assert.Single(filtered.Peers).Log!);
        Assert.Empty((await _bob.Rpc.ListPeersAsync(new ListpeersRequest { Id = new Key().PubKey })).Peers);

        await _alice.Rpc.DisconnectAsync(new DisconnectRequest { Id = _bob.Id, Force = true });
        Assert.Empty(_alice.Peers);
        Assert.Empty((await _bob.Rpc.ListPeersAsync()).Peers);
        var gone = await Assert.ThrowsAsync<ClnRpcException>(() => _alice.Rpc.DisconnectAsync(new DisconnectRequest { Id = _bob.Id }));
        Assert.Equal(-32602, gone.Code);
        Assert.Equal($"Unknown peer '{_bob.IdHex}'", gone.ClnMessage);
    }

    [Fact]
    public async Task Listpeerchannels_takes_each_filter_and_refuses_two()
    {
        await _ln.ConnectAsync(_alice, _bob);

        Assert.Empty((await _alice.Rpc.ListPeerChannelsAsync()).Channels);
        Assert.Empty((await _alice.Rpc.ListPeerChannelsAsync(new ListpeerchannelsRequest { Id = _bob.Id })).Channels);
        Assert.Empty((await _alice.Rpc.ListPeerChannelsAsync(new ListpeerchannelsRequest { ShortChannelId = ShortChannelId.Parse("103x1x0") })).Channels);
        Assert.Empty((await _alice.Rpc.ListPeerChannelsAsync(new ListpeerchannelsRequest { ChannelId = uint256.One })).Channels);

        var two = await Assert.ThrowsAsync<ClnRpcException>(() =>
            _alice.Rpc.ListPeerChannelsAsync(new ListpeerchannelsRequest { Id = _bob.Id, ShortChannelId = ShortChannelId.Parse("103x1x0") }));
        Assert.Equal(-32602, two.Code);
        Assert.Equal("Must not specify more than one of short_channel_id, channel_id or id", two.ClnMessage);
    }

    [Fact]
    public async Task Sendcustommsg_takes_its_request_and_reads_its_status()
    {
        await _ln.ConnectAsync(_alice, _bob);

        var sent = await _alice.Rpc.SendCustomMessageAsync(new SendcustommsgRequest { NodeId = _bob.Id, Msg = [0x80, 0x01, 0xca, 0xfe] });

        Assert.Equal("Message sent to connectd for delivery", sent.Status);
        Assert.Equal("8001cafe", (await _bob.WaitForCustomMessageAsync(0x8001)).Hex);
        var stranger = new Key().PubKey;
        var refused = await Assert.ThrowsAsync<PeerNotFoundException>(() =>
            _alice.Rpc.SendCustomMessageAsync(new SendcustommsgRequest { NodeId = stranger, Msg = [0x80, 0x01] }));
        Assert.Equal($"No such peer: {stranger.ToHex()}", refused.ClnMessage);
    }

    [Fact]
    public async Task A_message_signed_on_one_node_checks_on_the_other_through_the_models()
    {
        var signed = await _alice.Rpc.SignMessageAsync(new SignmessageRequest { Message = "it's héllo ⚡" });

        Assert.Equal(64, signed.Signature.Length);
        Assert.Equal(31 + signed.Recid.Single(), ZBase32.TryDecode(signed.Zbase)![0]);
        Assert.Equal(signed.Signature, ZBase32.TryDecode(signed.Zbase)![1..]);

        var withKey = await _bob.Rpc.CheckMessageAsync(new CheckmessageRequest { Message = "it's héllo ⚡", Zbase = signed.Zbase, Pubkey = _alice.Id });
        Assert.True(withKey.Verified);
        Assert.Equal(_alice.Id, withKey.Pubkey);

        var fromGraph = await _bob.Rpc.CheckMessageAsync(new CheckmessageRequest { Message = "it's héllo ⚡", Zbase = signed.Zbase });
        Assert.True(fromGraph.Verified);
        Assert.Equal(_alice.Id, fromGraph.Pubkey);

        var otherKey = await _bob.Rpc.CheckMessageAsync(new CheckmessageRequest { Message = "it's héllo ⚡", Zbase = signed.Zbase, Pubkey = _bob.Id });
        Assert.False(otherKey.Verified);
        Assert.Equal(_alice.Id, otherKey.Pubkey);

        var otherMessage = await _bob.Rpc.CheckMessageAsync(new CheckmessageRequest { Message = "its hello", Zbase = signed.Zbase, Pubkey = _alice.Id });
        Assert.False(otherMessage.Verified);
        Assert.NotEqual(_alice.Id, otherMessage.Pubkey);

        var notZbase = await Assert.ThrowsAsync<ClnRpcException>(() => _bob.Rpc.CheckMessageAsync(new CheckmessageRequest { Message = "x", Zbase = "not zbase!" }));
        Assert.Equal(-32602, notZbase.Code);
        Assert.Equal("zbase is not valid zbase32", notZbase.ClnMessage);
    }

    [Fact]
    public async Task Checkmessage_that_recovers_no_key_reads_as_not_verified_without_a_key()
    {
        // r = 5 is no point's x coordinate: recovery fails and lightningd (lightningd/signmessage.c) answers
        // {"verified":false} without the "pubkey" its schema calls required; the model takes that answer.
        var sig = new byte[65];
        sig[0] = 31;
        sig[32] = 5;
        sig[64] = 1;

        var check = await _bob.Rpc.CheckMessageAsync(new CheckmessageRequest { Message = "x", Zbase = ZBase32.Encode(sig), Pubkey = _bob.Id });

        Assert.False(check.Verified);
        Assert.Null(check.Pubkey);
    }

    [Fact]
    public async Task Makesecret_takes_hex_or_a_string_and_reads_the_secret()
    {
        var fromHex = await _alice.Rpc.MakeSecretAsync(new MakesecretRequest { Hex = Encoding.UTF8.GetBytes("scope") });
        var fromString = await _alice.Rpc.MakeSecretAsync(new MakesecretRequest { String = "scope" });
        var raw = await _alice.Rpc.CallAsync("makesecret", new JsonObject { ["string"] = "scope" });

        // The same bytes by either parameter, the same secret as the untyped answer, another per node.
        Assert.Equal(fromHex.Secret, fromString.Secret);
        Assert.Equal(uint256.Parse(raw.GetProperty("secret").GetString()!), fromString.Secret);
        Assert.NotEqual(fromString.Secret, (await _bob.Rpc.MakeSecretAsync(new MakesecretRequest { String = "scope" })).Secret);
        Assert.NotEqual(fromString.Secret, (await _alice.Rpc.MakeSecretAsync(new MakesecretRequest { String = "other" })).Secret);
    }

    [Fact]
    public async Task Datastore_listdatastore_and_deldatastore_take_their_requests_and_read_into_their_models()
    {
        var created = await _alice.Rpc.DatastoreAsync(new DatastoreRequest
        {
            Key = new JsonArray("typed", "text"),
            String = "it's héllo ⚡",
            Mode = DatastoreRequestMode.MustCreate,
        });
        Assert.Equal(["typed", "text"], created.Key);
        Assert.Equal(0UL, created.Generation);
        Assert.Equal("it's héllo ⚡", created.String);
        Assert.Equal(Encoding.UTF8.GetBytes("it's héllo ⚡"), created.Hex);

        var binary = await _alice.Rpc.DatastoreAsync(new DatastoreRequest { Key = "typed-bytes", Hex = [0x00, 0xff] });
        Assert.Equal(["typed-bytes"], binary.Key);
        Assert.Equal(new byte[] { 0x00, 0xff }, binary.Hex);
        Assert.Null(binary.String);

        var replaced = await _alice.Rpc.DatastoreAsync(new DatastoreRequest
        {
            Key = new JsonArray("typed", "text"),
            String = "again",
            Mode = DatastoreRequestMode.MustReplace,
            Generation = 0,
        });
        Assert.Equal(1UL, replaced.Generation);

        var exists = await Assert.ThrowsAsync<ClnRpcException>(() => _alice.Rpc.DatastoreAsync(new DatastoreRequest
        {
            Key = new JsonArray("typed", "text"),
            String = "x",
            Mode = DatastoreRequestMode.MustCreate,
        }));
        Assert.Equal(1202, exists.Code);
        Assert.Equal("Key already exists", exists.ClnMessage);

        var listed = await _alice.Rpc.ListDatastoreAsync(new ListdatastoreRequest { Key = new JsonArray("typed") });
        var entry = Assert.Single(listed.Datastore);
        Assert.Equal(["typed", "text"], entry.Key);
        Assert.Equal("again", entry.String);
        Assert.Equal(1UL, entry.Generation);
        Assert.Equal(2, (await _alice.Rpc.ListDatastoreAsync()).Datastore.Count);

        var deleted = await _alice.Rpc.DelDatastoreAsync(new DeldatastoreRequest { Key = new JsonArray("typed", "text"), Generation = 1 });
        Assert.Equal(["typed", "text"], deleted.Key);
        Assert.Equal("again", deleted.String);
        Assert.Empty((await _alice.Rpc.ListDatastoreAsync(new ListdatastoreRequest { Key = new JsonArray("typed") })).Datastore);
    }

    [Fact]
    public async Task A_test_supplied_answer_is_read_typed_and_gets_the_typed_request()
    {
        // The real node's answer: doc/schemas/listfunds.json, examples[0].
        using var schema = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Schemas", "listfunds.json")));
        var example = schema.RootElement.GetProperty("examples")[0].GetProperty("response");
        string? asked = null;
        _alice.MapRpcMethod("listfunds", p =>
        {
            asked = p.GetRawText();
            return JsonNode.Parse(example.GetRawText());
        });

        var funds = await _alice.Rpc.ListFundsAsync(new ListfundsRequest { Spent = true });

        Assert.Equal("""{"spent":true}""", asked);
        Assert.Equal(example.GetProperty("outputs").GetArrayLength(), funds.Outputs.Count);
        Assert.Equal(example.GetProperty("channels").GetArrayLength(), funds.Channels.Count);
        var first = example.GetProperty("outputs")[0];
        Assert.Equal(uint256.Parse(first.GetProperty("txid").GetString()!), funds.Outputs[0].Txid);
        Assert.Equal(first.GetProperty("amount_msat").GetUInt64(), funds.Outputs[0].AmountMsat.Millisatoshis);
        Assert.Equal(first.GetProperty("status").GetString(), funds.Outputs[0].Status.Value);
        Assert.Equal(new PubKey(example.GetProperty("channels")[0].GetProperty("peer_id").GetString()!), funds.Channels[0].PeerId);
    }

    [Fact]
    public async Task A_test_supplied_error_and_a_command_that_is_not_simulated_are_typed_errors()
    {
        _alice.MapRpcMethod("newaddr", (_, _) => throw new ClnRpcException("newaddr", -1, "Could not derive a new address"));

        var refused = await Assert.ThrowsAsync<ClnRpcException>(() => _alice.Rpc.NewAddrAsync());
        Assert.Equal(-1, refused.Code);
        Assert.Equal("Could not derive a new address", refused.ClnMessage);

        var notSimulated = await Assert.ThrowsAsync<ClnRpcException>(() => _alice.Rpc.ListFundsAsync());
        Assert.Equal(LightningdSimulator.NotSimulatedErrorCode, notSimulated.Code);
        Assert.Equal("listfunds", notSimulated.Method);
        Assert.Contains("alice.MapRpcMethod(\"listfunds\"", notSimulated.ClnMessage, StringComparison.Ordinal);

        // A name lightningd does not know at all is lightningd's own "unknown command".
        var unknown = await Assert.ThrowsAsync<UnknownCommandException>(() => _alice.Rpc.CallAsync("listfundz"));
        Assert.Equal(UnknownCommandException.MethodNotFoundCode, unknown.Code);
        Assert.Equal("Unknown command 'listfundz'", unknown.ClnMessage);
    }

    [Fact]
    public async Task Positional_calls_bind_in_the_commands_order()
    {
        await _ln.ConnectAsync(_alice, _bob);

        var peers = await _bob.Rpc.CallPositionalAsync("listpeers", [_alice.IdHex]);
        Assert.Equal(_alice.IdHex, Assert.Single(peers.GetProperty("peers").EnumerateArray()).GetProperty("id").GetString());
        var sent = await _alice.Rpc.CallPositionalAsync("sendcustommsg", [_bob.IdHex, "8003beef"]);
        Assert.Equal("Message sent to connectd for delivery", sent.GetProperty("status").GetString());
        Assert.Equal("8003beef", (await _bob.WaitForCustomMessageAsync(0x8003)).Hex);

        var tooMany = await Assert.ThrowsAsync<ClnRpcException>(() => _alice.Rpc.CallPositionalAsync("getinfo", [1]));
        Assert.Equal(-32602, tooMany.Code);
        Assert.Equal("too many parameters: got 1, expected 0", tooMany.ClnMessage);
        // As by name, the client refuses a sendcustommsg lightningd v26.06.6 would crash on.
        await Assert.ThrowsAsync<ArgumentException>(() => _alice.Rpc.CallPositionalAsync("sendcustommsg", [_bob.IdHex, "8001a"]));
    }
}
