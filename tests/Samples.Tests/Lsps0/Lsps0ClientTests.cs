using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lsps0.Protocol;

namespace Cln.ProtocolExtensions.Samples.Tests.Lsps0;

/// <summary>The client role, against the rules of bLIP-0050.</summary>
public class Lsps0ClientTests
{
    private const string Lsp = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string OtherLsp = "03bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(1);

    private readonly SentMessages _sent = new();
    private readonly ManualTimeProvider _time = new();

    private Lsps0Client NewClient() => new(_sent.Sender, s_timeout, _time);

    private static void Receive(Lsps0Client client, string json, string peer = Lsp) =>
        client.HandleMessage(peer, Encoding.UTF8.GetBytes(json));

    private string SentId(int index = 0) => JsonDocument.Parse(_sent.All[index].Payload).RootElement.GetProperty("id").GetString()!;

    [Fact]
    public async Task Sends_a_by_name_request_with_an_id_and_reads_the_spec_example_response()
    {
        Lsps0Client client = NewClient();
        Task<IReadOnlyList<int>> call = client.ListProtocolsAsync(Lsp);

        var (peer, json) = _sent.Single();
        Assert.Equal(Lsp, peer);
        string id = SentId();
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"lsps0.list_protocols\",\"params\":{},\"id\":\"" + id + "\"}", json);

        // The spec's example response, with a key clients MUST ignore.
        Receive(client, """
            {
              "jsonrpc": "2.0",
              "id": "ID",
              "result": {
                "protocols": [1, 3],
                "example-undefined-key-that-clients-should-ignore": true
              }
            }
            """.Replace("ID", id, StringComparison.Ordinal));

        Assert.Equal([1, 3], await call.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public void Request_ids_are_128_random_bits_never_a_counter()
    {
        // "a hex encoding of a random binary blob of at least 80 bits ... MUST NOT use just a simple
        // incrementing counter"
        var ids = Enumerable.Range(0, 2000).Select(_ => Lsps0Client.NewId()).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());

        // Consecutive ids share no structure a counter would have: they differ in many of their 128 bits.
        for (int i = 1; i < ids.Count; i++)
        {
            byte[] a = Convert.FromHexString(ids[i - 1]);
            byte[] b = Convert.FromHexString(ids[i]);
            int differing = a.Zip(b, (x, y) => System.Numerics.BitOperations.PopCount((uint)(x ^ y))).Sum();
            Assert.InRange(differing, 20, 108); // binomial(128, 1/2): far outside this is not random
        }
    }

    [Fact]
    public async Task Each_request_gets_its_own_id_and_responses_may_come_in_any_order()
    {
        Lsps0Client client = NewClient();
        Task<JsonElement> first = client.CallAsync(Lsp, "lsps1.get_info", null);
        Task<JsonElement> second = client.CallAsync(Lsp, "lsps2.get_info", new JsonObject { ["token"] = "t" });
        Assert.NotEqual(SentId(0), SentId(1));

        // "MAY send responses in an order different from the order in which the client sent the requests"
        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + SentId(1) + "\",\"result\":{\"n\":2}}");
        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + SentId(0) + "\",\"result\":{\"n\":1}}");

        Assert.Equal(1, (await first).GetProperty("n").GetInt32());
        Assert.Equal(2, (await second).GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Error_response_surfaces_code_data_and_a_filtered_message()
    {
        Lsps0Client client = NewClient();
        Task<JsonElement> call = client.CallAsync(Lsp, "example.method_name", new JsonObject { ["future_feature1_param"] = "value1" });

        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + SentId() + "\",\"error\":{\"code\":-32602,\"message\":\"Invalid <b>params</b>\\n\\u0000x\",\"data\":{\"unrecognized\":[\"future_feature1_param\"]}}}");

        var ex = await Assert.ThrowsAsync<Lsps0RemoteErrorException>(() => call);
        Assert.Equal(-32602, ex.Error.Code);
        Assert.Equal(["future_feature1_param"], ex.Error.Unrecognized);
        Assert.Equal("Invalid <b>params</b>\n\0x", ex.Error.Message);
        // "Clients MUST carefully filter error messages of ... NUL characters, <, newlines, or ASCII control characters"
        Assert.Equal("Invalid ?b?params?/b???x", ex.Error.SafeMessage);
        // and show their own text rather than the LSP's
        Assert.DoesNotContain("<b>", ex.Message, StringComparison.Ordinal);
        Assert.Contains("future_feature1_param", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-32601, "does not support this method")]
    [InlineData(-32603, "internal error")]
    [InlineData(-32050, "internal error")] // -32000..-32099 treated like -32603
    [InlineData(12345, "unrecognized error 12345")]
    public void Describes_errors_by_code(int code, string expected)
    {
        Assert.Contains(expected, new Lsps0Error(code, "whatever the LSP says", default).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Times_out_and_forgets_the_id()
    {
        Lsps0Client client = NewClient();
        Task<JsonElement> call = client.CallAsync(Lsp, "lsps1.get_info", null);
        string id = SentId();
        Assert.Equal(1, client.PendingCount);

        _time.Advance(s_timeout - TimeSpan.FromSeconds(1));
        Assert.False(call.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(0, client.PendingCount);

        // A late response is for an id the client no longer remembers: ignored, and not a bad message.
        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{}}");
        Assert.False(client.IsStopped(Lsp));
    }

    [Fact]
    public async Task Ignores_responses_with_unknown_ids_or_from_another_peer()
    {
        Lsps0Client client = NewClient();
        Task<JsonElement> call = client.CallAsync(Lsp, "lsps1.get_info", null);
        string id = SentId();

        Receive(client, """{"jsonrpc":"2.0","id":"not-ours","result":{"n":0}}""");
        Receive(client, """{"jsonrpc":"2.0","id":17,"result":{"n":0}}""");
        // the LSP's parse-error reply carries id null: nothing to match
        Receive(client, """{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""");
        // the right id from the wrong peer
        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"n\":0}}", OtherLsp);
        Assert.False(call.IsCompleted);
        Assert.False(client.IsStopped(Lsp));
        Assert.False(client.IsStopped(OtherLsp));

        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"n\":1}}");
        Assert.Equal(1, (await call).GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("{")]
    [InlineData(" { } { }")]
    [InlineData(" [ ] ")]
    [InlineData("{}")]
    [InlineData("""{"jsonrpc":"2.0","id":"x"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"x","result":{},"error":{"code":1,"message":"m"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"x","error":{"code":"1","message":"m"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"x","error":"bad"}""")]
    // "If the client, the received payload MUST parse to a JSON object that is a JSON-RPC 2.0 response or notification"
    [InlineData("""{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{},"id":"x"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"lsps5.event","params":[1]}""")]
    [InlineData("""{"jsonrpc":"1.0","id":"x","result":{}}""")]
    public async Task Bad_message_stops_requests_to_that_peer_until_it_reconnects(string payload)
    {
        Lsps0Client client = NewClient();
        Task<JsonElement> pending = client.CallAsync(Lsp, "lsps1.get_info", null);
        _sent.Clear();

        Receive(client, payload);

        // MUST ignore the message: the pending request is untouched.
        Assert.False(pending.IsCompleted);
        Assert.True(client.IsStopped(Lsp));
        // SHOULD NOT send further messages with ID 37913 to the peer on this connection session.
        await Assert.ThrowsAsync<Lsps0PeerStoppedException>(() => client.ListProtocolsAsync(Lsp));
        Assert.Empty(_sent.All);

        // Other peers are unaffected.
        _ = client.ListProtocolsAsync(OtherLsp);
        Assert.Equal(OtherLsp, _sent.Single().Peer);
        _sent.Clear();

        // SHOULD re-attempt on reconnection; the pending request could not be answered any more.
        client.OnPeerDisconnected(Lsp);
        await Assert.ThrowsAsync<IOException>(() => pending);
        Assert.False(client.IsStopped(Lsp));
        _ = client.ListProtocolsAsync(Lsp);
        Assert.Equal(Lsp, _sent.Single().Peer);
    }

    [Fact]
    public void Notifications_are_delivered_with_their_named_parameters()
    {
        Lsps0Client client = NewClient();
        var seen = new List<Lsps0Notification>();
        client.NotificationReceived += seen.Add;

        Receive(client, """{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":{"amount_msat":"1000"}}""");

        Lsps0Notification notification = Assert.Single(seen);
        Assert.Equal(Lsp, notification.PeerId);
        Assert.Equal("lsps5.payment_incoming", notification.Method);
        Assert.Equal("1000", notification.Params.GetProperty("amount_msat").GetString());
        Assert.False(client.IsStopped(Lsp));
    }

    [Fact]
    public async Task Cancelling_forgets_the_id()
    {
        Lsps0Client client = NewClient();
        using var cts = new CancellationTokenSource();
        Task<JsonElement> call = client.CallAsync(Lsp, "lsps1.get_info", null, cts.Token);
        Assert.Equal(1, client.PendingCount);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task A_failed_send_forgets_the_id_and_reports_the_failure()
    {
        var client = new Lsps0Client((_, _, _) => throw new IOException("not connected"), s_timeout, _time);
        await Assert.ThrowsAsync<IOException>(() => client.CallAsync(Lsp, "lsps1.get_info", null));
        Assert.Equal(0, client.PendingCount);
    }

    [Theory]
    [InlineData("""{"protocols":"1,3"}""")]
    [InlineData("""{"protocols":[1.5]}""")]
    [InlineData("""{"other":[]}""")]
    public async Task List_protocols_refuses_a_result_of_the_wrong_shape(string result)
    {
        Lsps0Client client = NewClient();
        Task<IReadOnlyList<int>> call = client.ListProtocolsAsync(Lsp);
        Receive(client, "{\"jsonrpc\":\"2.0\",\"id\":\"" + SentId() + "\",\"result\":" + result + "}");
        await Assert.ThrowsAsync<InvalidDataException>(() => call);
    }

    [Fact]
    public async Task Client_and_server_talk_to_each_other()
    {
        const string clientNode = "03cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
        Lsps0Client? client = null;
        var server = new Lsps0Server((peer, payload, _) =>
        {
            Assert.Equal(clientNode, peer);
            client!.HandleMessage(Lsp, payload);
            return Task.CompletedTask;
        }, [1, 2]);
        client = new Lsps0Client((peer, payload, ct) =>
        {
            Assert.Equal(Lsp, peer);
            return server.HandleMessageAsync(clientNode, payload, ct);
        }, s_timeout, _time);

        Assert.Equal([1, 2], await client.ListProtocolsAsync(Lsp));

        var ex = await Assert.ThrowsAsync<Lsps0RemoteErrorException>(() => client.CallAsync(Lsp, "lsps0.list_protocols", new JsonObject { ["x"] = 1 }));
        Assert.Equal(["x"], ex.Error.Unrecognized);

        var missing = await Assert.ThrowsAsync<Lsps0RemoteErrorException>(() => client.CallAsync(Lsp, "lsps7.nothing", null));
        Assert.Equal(Lsps0ErrorCodes.MethodNotFound, missing.Error.Code);
        Assert.Equal(0, client.PendingCount);
    }
}
