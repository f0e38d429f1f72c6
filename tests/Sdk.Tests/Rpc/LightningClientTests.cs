using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Rpc.Models;
using Cln.ProtocolExtensions.Tests.Plugin;
using Microsoft.Extensions.DependencyInjection;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Rpc;

public class LightningClientTests
{
    private static readonly PubKey Peer = new("0252b95ddba18d3a86a27890627e88355fc460b8547c4aa2e6dff4e0777918d4c6");

    private static async Task<(PluginHarness Harness, FakeLightningRpc Rpc)> StartAsync(Action<ClnPluginBuilder>? configure = null)
    {
        var rpc = new FakeLightningRpc();
        var h = new PluginHarness(b => configure?.Invoke(b));
        await h.HandshakeAsync(rpc.Directory);
        return (h, rpc);
    }

    private static string Response(string @case) =>
        Fixtures.Lines("sendcustommsg_results.jsonl").Single(l => l.GetProperty("case").GetString() == @case).GetProperty("response_raw").GetString()!;

    /// <summary>The body ("error":{...}) of a recorded lightningd answer.</summary>
    private static string RecordedBody(string @case)
    {
        using var doc = JsonDocument.Parse(Response(@case));
        var e = doc.RootElement.GetProperty("error");
        return "\"error\":" + e.GetRawText();
    }

    [Fact]
    public async Task SendAsync_encodes_and_calls_sendcustommsg_with_a_plugin_prefixed_id()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => FakeLightningRpc.SendCustomMessageOk;
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();
            await sender.SendAsync(Peer, new Blob8001([0xde, 0xad, 0xbe, 0xef])).WaitAsync(PluginHarness.Timeout);

            var request = Assert.Single(rpc.Requests);
            Assert.Equal("2.0", request.GetProperty("jsonrpc").GetString());
            Assert.Equal("sendcustommsg", request.GetProperty("method").GetString());
            Assert.StartsWith("testplugin:sendcustommsg#", request.GetProperty("id").GetString());
            Assert.Equal(Peer.ToHex(), request.GetProperty("params").GetProperty("node_id").GetString());
            Assert.Equal("8001deadbeef", request.GetProperty("params").GetProperty("msg").GetString());
        }
    }

    [Fact]
    public async Task Many_concurrent_sends_share_one_pipelined_connection()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => FakeLightningRpc.SendCustomMessageOk;
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();
            var sends = Enumerable.Range(0, 500).Select(i => sender.SendRawAsync(Peer, 0x8001, new byte[] { (byte)i })).ToArray();
            await Task.WhenAll(sends).WaitAsync(PluginHarness.Timeout);

            Assert.Equal(500, rpc.Requests.Count);
            Assert.Equal(1, rpc.Connections);
            Assert.Equal(500, rpc.Requests.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("unknown peer", typeof(PeerNotFoundException))]
    [InlineData("reserved type ping 0x0012", typeof(InternalMessageTypeException))]
    [InlineData("reserved type node_announcement 0x0101", typeof(InternalMessageTypeException))]
    public async Task Recorded_lightningd_refusals_become_typed_exceptions(string @case, Type expected)
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            var body = RecordedBody(@case);
            rpc.Respond = _ => body;
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();
            var ex = await Assert.ThrowsAnyAsync<ClnRpcException>(() => sender.SendRawAsync(Peer, Convert.FromHexString("00120001000100")).WaitAsync(PluginHarness.Timeout));

            Assert.IsType(expected, ex);
            Assert.Equal(-32600, ex.Code);
            using var doc = JsonDocument.Parse(Response(@case));
            Assert.Equal(doc.RootElement.GetProperty("error").GetProperty("message").GetString(), ex.ClnMessage);
            if (ex is InternalMessageTypeException internalType)
            {
                Assert.Equal(@case.Contains("ping") ? (ushort)18 : (ushort)257, internalType.MessageType);
            }
        }
    }

    [Fact]
    public async Task Peer_not_connected_is_typed()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => FakeLightningRpc.Error(-32600, "Peer is not connected");
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();
            var ex = await Assert.ThrowsAsync<PeerNotConnectedException>(() => sender.SendRawAsync(Peer, 0x8001, Array.Empty<byte>()).WaitAsync(PluginHarness.Timeout));
            Assert.Equal(-32600, ex.Code);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65536)]
    public async Task Invalid_sizes_never_leave_the_sdk(int length)
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
            await Assert.ThrowsAsync<ArgumentException>(() => sender.SendRawAsync(Peer, new byte[length]));
            if (length > 2)
            {
                // A typed message whose encoding is too long.
                await Assert.ThrowsAsync<ArgumentException>(() => sender.SendAsync(Peer, new Blob8001(new byte[length - 2])));
                await Assert.ThrowsAsync<ArgumentException>(() => sender.SendRawAsync(Peer, 0x8001, new byte[length - 2]));
            }

            await Assert.ThrowsAsync<ArgumentException>(() => client.SendCustomMessageAsync(Peer, new byte[length]));
            Assert.Empty(rpc.Requests);
        }
    }

    [Fact]
    public async Task Largest_message_is_sent()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => FakeLightningRpc.SendCustomMessageOk;
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();
            await sender.SendAsync(Peer, new Blob8001(new byte[65533])).WaitAsync(PluginHarness.Timeout);
            Assert.Equal(65535 * 2, Assert.Single(rpc.Requests).GetProperty("params").GetProperty("msg").GetString()!.Length);
        }
    }

    [Fact]
    public async Task A_positional_call_sends_its_params_as_an_array_in_order_and_reads_the_result()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => "\"result\":{\"answer\":\"h\u00e9\"}";
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();

            var result = await client.CallPositionalAsync("myplugin-greet", [Peer.ToHex(), 3, null, "héllo"]).WaitAsync(PluginHarness.Timeout);

            var request = Assert.Single(rpc.Requests);
            Assert.Equal("myplugin-greet", request.GetProperty("method").GetString());
            Assert.StartsWith("testplugin:myplugin-greet#", request.GetProperty("id").GetString());
            Assert.Equal($"[\"{Peer.ToHex()}\",3,null,\"héllo\"]", request.GetProperty("params").GetRawText());
            Assert.Equal("hé", result.GetProperty("answer").GetString());
        }
    }

    [Theory]
    [InlineData("8001a")]
    [InlineData("")]
    public async Task A_positional_sendcustommsg_is_checked_as_a_named_one(string msg)
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
            await Assert.ThrowsAsync<ArgumentException>(() => client.CallPositionalAsync("sendcustommsg", [Peer.ToHex(), msg]));
            await Assert.ThrowsAsync<ArgumentException>(() => client.CallPositionalAsync("sendcustommsg", ["02zz", "8001aa"]));
            await Assert.ThrowsAsync<ArgumentException>(() => client.CallPositionalAsync("sendcustommsg", [Peer.ToHex()]));
            Assert.Empty(rpc.Requests);
        }
    }

    [Theory]
    [InlineData("8001a")]
    [InlineData("8001zz")]
    [InlineData("")]
    [InlineData("80")]
    public async Task Generic_call_refuses_malformed_sendcustommsg_that_crashes_lightningd(string msg)
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
            await Assert.ThrowsAsync<ArgumentException>(() => client.CallAsync("sendcustommsg", new JsonObject { ["node_id"] = Peer.ToHex(), ["msg"] = msg }));
            await Assert.ThrowsAsync<ArgumentException>(() => client.CallAsync("sendcustommsg", new JsonObject { ["node_id"] = "02zz", ["msg"] = "8001aa" }));
            Assert.Empty(rpc.Requests);
        }
    }

    [Fact]
    public async Task Socket_closing_mid_call_throws_connection_exception_and_the_next_call_reconnects()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            int calls = 0;
            rpc.Respond = _ => Interlocked.Increment(ref calls) == 1 ? null : FakeLightningRpc.SendCustomMessageOk;
            var sender = h.Plugin.Services.GetRequiredService<ICustomMessageSender>();

            var lost = await Assert.ThrowsAsync<ClnRpcConnectionException>(() => sender.SendRawAsync(Peer, 0x8001, new byte[] { 1 }).WaitAsync(PluginHarness.Timeout));
            Assert.Equal("sendcustommsg", lost.Method);
            await sender.SendRawAsync(Peer, 0x8001, new byte[] { 2 }).WaitAsync(PluginHarness.Timeout);

            Assert.Equal(2, rpc.Connections);
            Assert.Equal(2, rpc.Requests.Count);
        }
    }

    [Fact]
    public async Task Typed_calls_send_their_parameters_and_read_the_schemas_example_answers()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            // lightningd's own example answers (doc/schemas, kept in src/RpcCodegen/schemas/lightningd).
            rpc.Respond = r => r.GetProperty("method").GetString() switch
            {
                "getinfo" => "\"result\":" + SchemaExample("getinfo", 0),
                "listpeers" => "\"result\":" + SchemaExample("listpeers", 0),
                // CLN's example prints u64 max through a double (18446744073709552000); lightningd writes 18446744073709551615.
                "listpeerchannels" => "\"result\":" + SchemaExample("listpeerchannels", 0).Replace("18446744073709552000", "18446744073709551615", StringComparison.Ordinal),
                "connect" => "\"result\":" + SchemaExample("connect", 0),
                _ => FakeLightningRpc.Error(-32601, "Unknown command 'nosuch'"),
            };
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();

            var info = await client.GetInfoAsync().WaitAsync(PluginHarness.Timeout);
            using (var expected = JsonDocument.Parse(SchemaExample("getinfo", 0)))
            {
                Assert.Equal(expected.RootElement.GetProperty("id").GetString(), info.Id.ToHex());
                Assert.Equal(expected.RootElement.GetProperty("blockheight").GetUInt32(), info.Blockheight);
                Assert.Equal(expected.RootElement.GetProperty("version").GetString(), info.Version);
            }

            var peers = await client.ListPeersAsync(new ListpeersRequest { Id = Peer }).WaitAsync(PluginHarness.Timeout);
            using (var expected = JsonDocument.Parse(SchemaExample("listpeers", 0)))
            {
                var first = expected.RootElement.GetProperty("peers")[0];
                var peer = Assert.Single(peers.Peers);
                Assert.Equal(first.GetProperty("id").GetString(), peer.Id.ToHex());
                Assert.Equal(first.GetProperty("connected").GetBoolean(), peer.Connected);
            }

            var channels = await client.ListPeerChannelsAsync().WaitAsync(PluginHarness.Timeout);
            using (var expected = JsonDocument.Parse(SchemaExample("listpeerchannels", 0).Replace("18446744073709552000", "18446744073709551615", StringComparison.Ordinal)))
            {
                var first = expected.RootElement.GetProperty("channels")[0];
                Assert.Equal(first.GetProperty("short_channel_id").GetString(), channels.Channels[0].ShortChannelId.ToString());
                Assert.Equal(first.GetProperty("to_us_msat").GetUInt64(), channels.Channels[0].ToUsMsat!.Value.Millisatoshis);
                Assert.Equal(first.GetProperty("state").GetString(), channels.Channels[0].State.Value);
                Assert.Equal(ulong.MaxValue, channels.Channels[0].OurMaxHtlcValueInFlightMsat!.Value.Millisatoshis);
            }

            var connect = await client.ConnectAsync(new ConnectRequest { Id = Peer.ToHex(), Host = "127.0.0.1", Port = 9735 }).WaitAsync(PluginHarness.Timeout);
            using (var expected = JsonDocument.Parse(SchemaExample("connect", 0)))
            {
                Assert.Equal(expected.RootElement.GetProperty("direction").GetString(), connect.Direction.Value);
            }

            var connectRequest = rpc.Requests.Single(r => r.GetProperty("method").GetString() == "connect").GetProperty("params");
            Assert.Equal(9735, connectRequest.GetProperty("port").GetInt32());
            Assert.Equal("127.0.0.1", connectRequest.GetProperty("host").GetString());
            var listPeersRequest = rpc.Requests.Single(r => r.GetProperty("method").GetString() == "listpeers").GetProperty("params");
            Assert.Equal(Peer.ToHex(), listPeersRequest.GetProperty("id").GetString());
            Assert.Single(listPeersRequest.EnumerateObject());
            var listPeerChannelsRequest = rpc.Requests.Single(r => r.GetProperty("method").GetString() == "listpeerchannels").GetProperty("params");
            Assert.Empty(listPeerChannelsRequest.EnumerateObject());

            var ex = await Assert.ThrowsAsync<UnknownCommandException>(() => client.CallAsync("nosuch").WaitAsync(PluginHarness.Timeout));
            Assert.Equal(-32601, ex.Code);
            Assert.Equal("Unknown command 'nosuch'", ex.ClnMessage);
        }
    }

    [Fact]
    public async Task A_typed_call_to_a_command_the_node_lacks_throws_UnknownCommandException_with_lightningds_code_and_message()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            // What lightningd answers for a command it does not have (lightningd/jsonrpc.c, JSONRPC2_METHOD_NOT_FOUND).
            rpc.Respond = r => FakeLightningRpc.Error(-32601, $"Unknown command '{r.GetProperty("method").GetString()}'");
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();

            var ex = await Assert.ThrowsAsync<UnknownCommandException>(
                () => client.AskreneAgeAsync(new AskreneAgeRequest { Layer = "l", Cutoff = 1 }).WaitAsync(PluginHarness.Timeout));
            Assert.Equal("askrene-age", ex.Method);
            Assert.Equal(-32601, ex.Code);
            Assert.Equal("Unknown command 'askrene-age'", ex.ClnMessage);
        }
    }

    [Fact]
    public async Task An_answer_that_does_not_fit_the_model_throws_ClnRpcResponseException()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => "\"result\":{\"id\":\"not a key\"}";
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();

            var ex = await Assert.ThrowsAsync<ClnRpcResponseException>(() => client.GetInfoAsync().WaitAsync(PluginHarness.Timeout));
            Assert.Equal("getinfo", ex.Method);
            Assert.IsType<JsonException>(ex.InnerException);
        }
    }

    [Fact]
    public async Task A_typed_sendcustommsg_is_checked_before_it_reaches_lightningd()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
            await Assert.ThrowsAsync<ArgumentException>(() => client.SendCustomMessageAsync(new SendcustommsgRequest { NodeId = Peer, Msg = [0x80] }));
            await Assert.ThrowsAsync<ArgumentException>(() => client.SendCustomMessageAsync(new SendcustommsgRequest { NodeId = Peer, Msg = new byte[65536] }));
            Assert.Empty(rpc.Requests);

            rpc.Respond = _ => FakeLightningRpc.SendCustomMessageOk;
            var sent = await client.SendCustomMessageAsync(new SendcustommsgRequest { NodeId = Peer, Msg = [0x80, 0x01, 0xaa] }).WaitAsync(PluginHarness.Timeout);
            Assert.Equal("Message sent to connectd for delivery", sent.Status);
            Assert.Equal("8001aa", Assert.Single(rpc.Requests).GetProperty("params").GetProperty("msg").GetString());
        }
    }

    [Fact]
    public async Task The_node_version_comes_from_getinfo_when_LIGHTNINGD_VERSION_is_not_set()
    {
        Assert.Null(Environment.GetEnvironmentVariable("LIGHTNINGD_VERSION"));
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            rpc.Respond = _ => "\"result\":" + SchemaExample("getinfo", 0);
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();

            var version = await client.GetLightningdVersionAsync().AsTask().WaitAsync(PluginHarness.Timeout);
            Assert.Equal(LightningdVersion.Parse("v25.05"), version);
            Assert.True(version < LightningdVersion.Parse("v26.06.6"));
            await client.GetLightningdVersionAsync();
            Assert.Single(rpc.Requests);
        }
    }

    /// <summary>The <paramref name="index"/>th example answer of <paramref name="command"/> in src/RpcCodegen/schemas/lightningd.</summary>
    private static string SchemaExample(string command, int index)
    {
        var root = new DirectoryInfo(Fixtures.Directory).Parent!.Parent!.Parent!.FullName;
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "src", "RpcCodegen", "schemas", "lightningd", "rpc", command + ".json")))!;
        return schema["examples"]![index]!["response"]!.ToJsonString();
    }

    [Fact]
    public async Task Handler_replies_to_the_sender_over_sendcustommsg()
    {
        var rpc = new FakeLightningRpc();
        var sent = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        rpc.Respond = r =>
        {
            sent.TrySetResult(r);
            return FakeLightningRpc.SendCustomMessageOk;
        };
        await using (rpc)
        await using (var h = new PluginHarness(b => b.HandleMessage<Blob8001>(async (ctx, ct) => await ctx.ReplyAsync(new Byte8003(ctx.Message.Body[0]), ct))))
        {
            await h.HandshakeAsync(rpc.Directory);
            await h.SendAsync(PluginHarness.Hook("cln:custommsg#9", Peer.ToHex(), "80017f"));
            Assert.Equal("continue", (await h.ReadAsync()).GetProperty("result").GetProperty("result").GetString());

            var request = await sent.Task.WaitAsync(PluginHarness.Timeout);
            Assert.Equal(Peer.ToHex(), request.GetProperty("params").GetProperty("node_id").GetString());
            Assert.Equal("80037f", request.GetProperty("params").GetProperty("msg").GetString());
        }
    }
    [Fact]
    public async Task A_cancelled_call_throws_and_the_connection_stays_usable_with_only_real_requests()
    {
        var (h, rpc) = await StartAsync();
        await using (h)
        await using (rpc)
        {
            using var stall = new ManualResetEventSlim(false);
            rpc.Respond = r =>
            {
                if (r.TryGetProperty("method", out var m) && m.GetString() == "waitblockheight")
                {
                    stall.Wait(PluginHarness.Timeout);
                }

                return "\"result\":{}";
            };
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
            using var cts = new CancellationTokenSource();
            var call = client.CallAsync("waitblockheight", new JsonObject { ["blockheight"] = 1_000_000 }, cts.Token);
            await FaultTests.WaitForAsync(() => rpc.Requests.Count == 1);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(PluginHarness.Timeout));
            stall.Set();

            // The connection still works, and lightningd saw only real requests.
            await client.CallAsync("getinfo").WaitAsync(PluginHarness.Timeout);
            Assert.Equal(["waitblockheight", "getinfo"], rpc.Requests.Select(r => r.GetProperty("method").GetString()));
            Assert.Equal(1, rpc.Connections);
        }
    }

    [Fact]
    public async Task Calls_after_the_plugin_stopped_fail_with_a_connection_exception_that_is_a_ClnRpcException()
    {
        var (h, rpc) = await StartAsync();
        await using (rpc)
        {
            var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
            await h.CloseInputAsync();
            await h.AssertExitsAsync();

            // One catch clause handles refusals and transport failures alike; lightningd never answered.
            ClnRpcException ex = await Assert.ThrowsAnyAsync<ClnRpcException>(() => client.GetInfoAsync());
            Assert.IsType<ClnRpcConnectionException>(ex);
            Assert.Equal("getinfo", ex.Method);
            Assert.Null(ex.Code);
            Assert.Null(ex.ClnMessage);
            await h.DisposeAsync();
        }
    }
}
