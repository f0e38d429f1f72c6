using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lsps0.Protocol;

namespace Cln.ProtocolExtensions.Samples.Tests.Lsps0;

/// <summary>The LSP role, against the examples and rules of bLIP-0050.</summary>
public class Lsps0ServerTests
{
    private const string Client = "02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string OtherPeer = "03bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private readonly SentMessages _sent = new();

    private Task Receive(Lsps0Server server, string json, string peer = Client) =>
        server.HandleMessageAsync(peer, Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task Answers_the_list_protocols_example_of_the_spec()
    {
        var server = new Lsps0Server(_sent.Sender, [1, 3]);

        // The request of the spec's "concrete example", byte for byte.
        await Receive(server, """
            {
              "method": "lsps0.list_protocols",
              "jsonrpc": "2.0",
              "id": "example#3cad6a54d302edba4c9ade2f7ffac098",
              "params": {}
            }
            """);

        var (peer, json) = _sent.Single();
        Assert.Equal(Client, peer);
        Assert.Equal("""{"jsonrpc":"2.0","id":"example#3cad6a54d302edba4c9ade2f7ffac098","result":{"protocols":[1,3]}}""", json);
    }

    [Fact]
    public async Task Never_lists_lsps0_itself()
    {
        Assert.Throws<ArgumentException>(() => new Lsps0Server(_sent.Sender, [0, 1]));

        var server = new Lsps0Server(_sent.Sender, []);
        await Receive(server, """{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{},"id":"x"}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":"x","result":{"protocols":[]}}""", _sent.Single().Json);
    }

    [Fact]
    public async Task Invalid_params_lists_the_unrecognized_names_as_in_the_spec_example()
    {
        var server = new Lsps0Server(_sent.Sender, []);
        server.MapMethod("example.method_name", ["future_feature2_param"], (_, _) => ValueTask.FromResult(new JsonObject()));

        await Receive(server, """
            {
              "jsonrpc": "2.0",
              "method": "example.method_name",
              "params": {
                "future_feature1_param": "value1",
                "future_feature2_param": "value2"
              },
              "id": "42"
            }
            """);

        Assert.Equal(
            """{"jsonrpc":"2.0","id":"42","error":{"code":-32602,"message":"Invalid params","data":{"unrecognized":["future_feature1_param"]}}}""",
            _sent.Single().Json);
    }

    [Fact]
    public async Task List_protocols_takes_no_parameters()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        await Receive(server, """{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{"verbose":true},"id":"7"}""");

        JsonElement error = _sent.SingleJson().GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Equal(["verbose"], error.GetProperty("data").GetProperty("unrecognized").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Unknown_method_is_method_not_found_with_the_request_id()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        await Receive(server, """{"jsonrpc":"2.0","method":"lsps999.do_this","params":{},"id":"abc"}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":"abc","error":{"code":-32601,"message":"Method not found"}}""", _sent.Single().Json);
    }

    [Theory]
    // the payload checks
    [InlineData("{")]
    [InlineData(" [ ] ")]
    [InlineData(" { } { }")]
    [InlineData("not json")]
    // "If the LSP, the received payload MUST parse to a JSON object that is a JSON-RPC 2.0 request."
    [InlineData("{}")]
    [InlineData("""{"jsonrpc":"1.0","method":"lsps0.list_protocols","params":{},"id":"1"}""")]
    [InlineData("""{"method":"lsps0.list_protocols","params":{},"id":"1"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":42,"params":{},"id":"1"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":"x","id":"1"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{},"id":{"a":1}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{},"id":null}""")]
    // a client MUST NOT send notifications
    [InlineData("""{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{}}""")]
    // a response is not a request
    [InlineData("""{"jsonrpc":"2.0","id":"1","result":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"lsps0.list_protocols","id":"1","result":{}}""")]
    public async Task Bad_message_is_answered_with_parse_error_and_null_id(string payload)
    {
        var handled = 0;
        var server = new Lsps0Server(_sent.Sender, [1]);
        server.MapMethod("lsps0.list_protocols", [], (_, _) =>
        {
            handled++;
            return ValueTask.FromResult(new JsonObject());
        });

        await Receive(server, payload);

        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""", _sent.Single().Json);
        Assert.Equal(0, handled); // MUST ignore the message
    }

    [Fact]
    public async Task Bad_message_with_a_0_byte_is_answered_with_parse_error()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        byte[] payload = [.. """{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":{},"id":"1"}"""u8, 0];
        await server.HandleMessageAsync(Client, payload);

        Assert.Equal(-32700, _sent.SingleJson().GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, _sent.SingleJson().GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task By_position_parameters_are_invalid_params()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        await Receive(server, """{"jsonrpc":"2.0","method":"lsps0.list_protocols","params":[],"id":"p"}""");

        JsonElement response = _sent.SingleJson();
        Assert.Equal("p", response.GetProperty("id").GetString());
        Assert.Equal(-32602, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, response.GetProperty("error").GetProperty("data").GetProperty("unrecognized").GetArrayLength());
    }

    [Theory]
    [InlineData("\"string-id\"")]
    [InlineData("42")]
    [InlineData("-1.5e3")]
    public async Task Echoes_the_request_id_unchanged(string id)
    {
        var server = new Lsps0Server(_sent.Sender, [2]);
        await Receive(server, "{\"jsonrpc\":\"2.0\",\"method\":\"lsps0.list_protocols\",\"id\":" + id + "}");

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocols\":[2]}}", _sent.Single().Json);
    }

    [Fact]
    public async Task Handler_gets_the_named_parameters_and_its_result_is_sent()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        Lsps0Request? seen = null;
        server.MapMethod("lsps1.get_info", ["token"], (request, _) =>
        {
            seen = request;
            return ValueTask.FromResult(new JsonObject { ["min_channel_balance_sat"] = "100000" });
        });

        await Receive(server, """{"jsonrpc":"2.0","method":"lsps1.get_info","params":{"token":"t"},"id":"i"}""");

        Assert.NotNull(seen);
        Assert.Equal(Client, seen.PeerId);
        Assert.Equal("t", seen.Params.GetProperty("token").GetString());
        Assert.Equal("""{"jsonrpc":"2.0","id":"i","result":{"min_channel_balance_sat":"100000"}}""", _sent.Single().Json);
    }

    [Fact]
    public async Task Missing_params_member_reaches_the_handler_as_an_empty_object()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        JsonValueKind kind = JsonValueKind.Undefined;
        server.MapMethod("lsps1.get_info", [], (request, _) =>
        {
            kind = request.Params.ValueKind;
            return ValueTask.FromResult(new JsonObject());
        });

        await Receive(server, """{"jsonrpc":"2.0","method":"lsps1.get_info","id":"i"}""");
        Assert.Equal(JsonValueKind.Object, kind);
        Assert.Contains("\"result\":{}", _sent.Single().Json);
    }

    [Fact]
    public async Task Handler_error_becomes_an_error_response()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        server.MapMethod("lsps1.create_order", [], (_, _) =>
            throw new Lsps0ErrorException(100, "Option mismatch", new JsonObject { ["property"] = "lsp_balance_sat" }));

        await Receive(server, """{"jsonrpc":"2.0","method":"lsps1.create_order","params":{},"id":"o"}""");

        Assert.Equal(
            """{"jsonrpc":"2.0","id":"o","error":{"code":100,"message":"Option mismatch","data":{"property":"lsp_balance_sat"}}}""",
            _sent.Single().Json);
    }

    [Fact]
    public async Task Handler_crash_is_an_internal_error_that_leaks_nothing()
    {
        var server = new Lsps0Server(_sent.Sender, [1]);
        server.MapMethod("lsps1.get_info", [], (_, _) => throw new InvalidOperationException("database password is hunter2"));

        await Receive(server, """{"jsonrpc":"2.0","method":"lsps1.get_info","params":{},"id":"c"}""");

        var (_, json) = _sent.Single();
        Assert.Equal("""{"jsonrpc":"2.0","id":"c","error":{"code":-32603,"message":"Internal error"}}""", json);
    }

    [Fact]
    public async Task A_failing_send_does_not_escape_is_logged_and_the_next_request_is_answered()
    {
        int attempts = 0;
        var logger = new WarningLog();
        var server = new Lsps0Server((peer, payload, ct) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
                throw new IOException("peer gone");
            return _sent.Sender(peer, payload, ct);
        }, [1], logger);

        var escaped = await Record.ExceptionAsync(() =>
            server.HandleMessageAsync(Client, """{"jsonrpc":"2.0","method":"lsps0.list_protocols","id":"1"}"""u8.ToArray()));
        Assert.Null(escaped);
        Assert.Equal(1, attempts); // the answer was tried
        Assert.IsType<IOException>(Assert.Single(logger.Warnings));

        await Receive(server, """{"jsonrpc":"2.0","method":"lsps0.list_protocols","id":"2"}""");
        Assert.Equal("""{"jsonrpc":"2.0","id":"2","result":{"protocols":[1]}}""", _sent.Single().Json);
    }

    /// <summary>Keeps the exceptions of the warnings logged.</summary>
    private sealed class WarningLog : Microsoft.Extensions.Logging.ILogger
    {
        public List<Exception?> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
                Warnings.Add(exception);
        }
    }

    [Fact]
    public async Task Notifications_go_only_to_peers_that_spoke_lsps0_first()
    {
        var server = new Lsps0Server(_sent.Sender, [5]);
        var parameters = new JsonObject { ["count"] = 1 };

        // "SHOULD NOT send BOLT8 message ID 37913 unless the peer had already sent a BOLT8 message ID 37913"
        Assert.False(await server.TrySendNotificationAsync(Client, "lsps5.webhook_registered", parameters));
        Assert.Empty(_sent.All);
        Assert.False(server.IsKnownClient(Client));

        await Receive(server, "{"); // even a bad message shows the peer speaks LSPS0
        _sent.Clear();

        Assert.True(server.IsKnownClient(Client));
        Assert.True(await server.TrySendNotificationAsync(Client, "lsps5.webhook_registered", parameters));
        Assert.Equal("""{"jsonrpc":"2.0","method":"lsps5.webhook_registered","params":{"count":1}}""", _sent.Single().Json);

        Assert.False(await server.TrySendNotificationAsync(OtherPeer, "lsps5.webhook_registered", parameters));
    }

    [Fact]
    public async Task Writes_characters_without_unnecessary_escapes()
    {
        // Common Schemas: characters that can be embedded without escapes MUST be encoded directly.
        var server = new Lsps0Server(_sent.Sender, []);
        server.MapMethod("x.echo", [], (_, _) => ValueTask.FromResult(new JsonObject { ["text"] = "A<b>&'caf\u00e9+" }));

        await Receive(server, """{"jsonrpc":"2.0","method":"x.echo","id":"\u0041"}""");

        // The id is the same JSON value, written without the needless escape.
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":\"A\",\"result\":{\"text\":\"A<b>&'caf\u00e9+\"}}", _sent.Single().Json);
    }
}
