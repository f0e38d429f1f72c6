using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing;
using Lsps0;
using Lsps0.Protocol;

namespace Cln.ProtocolExtensions.Samples.Tests.Lsps0;

/// <summary>The lsps0 plugin, client and server, on in-memory nodes.</summary>
public class Lsps0PluginTests
{
    private static Task<SimulatedPlugin> StartClientAsync(SimulatedNode node) =>
        node.StartPluginAsync("lsps0", b => b.AddLsps0());

    private static Task<SimulatedPlugin> StartServerAsync(SimulatedNode node, string protocols = "1,2") =>
        node.StartPluginAsync("lsps0", b => b.AddLsps0(), new PluginStartOptions
        {
            Options = { [Lsps0Plugin.RoleOption] = "server", [Lsps0Plugin.ProtocolsOption] = protocols },
        });

    private static byte[] Message(string json) =>
        [(byte)(Lsps0Constants.MessageType >> 8), (byte)(Lsps0Constants.MessageType & 0xFF), .. Encoding.UTF8.GetBytes(json)];

    private static async Task<(LightningdSimulator Simulator, SimulatedNode Client, SimulatedNode Lsp)> ClientAndLspAsync()
    {
        var simulator = new LightningdSimulator();
        SimulatedNode client = simulator.AddNode("client");
        SimulatedNode lsp = simulator.AddNode("lsp");
        await StartClientAsync(client);
        await StartServerAsync(lsp);
        await simulator.ConnectAsync(client, lsp);
        return (simulator, client, lsp);
    }

    [Fact]
    public async Task The_methods_usage_comes_from_their_declarations_and_positional_calls_bind()
    {
        var (simulator, client, lsp) = await ClientAndLspAsync();
        await using var _ = simulator;

        JsonElement help = await client.Rpc.CallCliAsync("help");
        Assert.Equal(
            ["lsps0-call peer method [params]", "lsps0-listprotocols peer"],
            help.GetProperty("help").EnumerateArray().Select(c => c.GetProperty("command").GetString()));

        // lightning-cli lsps0-call <lsp> lsps0.list_protocols '{}': positional, params as a JSON object.
        JsonElement answer = await client.Rpc.CallCliAsync("lsps0-call", lsp.IdHex, "lsps0.list_protocols", "{}");
        Assert.Equal([1, 2], answer.GetProperty("result").GetProperty("protocols").EnumerateArray().Select(p => p.GetInt32()));

        var refused = await Assert.ThrowsAsync<ClnRpcException>(() => client.Rpc.CallCliAsync("lsps0-listprotocols", "02ab"));
        Assert.Equal(-32602, refused.Code);
        Assert.Equal("peer: should be a node id: invalid token '\"02ab\"'", refused.ClnMessage);
    }

    [Fact]
    public async Task Client_lists_the_protocols_of_the_lsp()
    {
        var (simulator, client, lsp) = await ClientAndLspAsync();
        await using var _ = simulator;

        JsonElement result = await client.Rpc.CallAsync("lsps0-listprotocols", new JsonObject { ["peer"] = lsp.IdHex });

        Assert.Equal([1, 2], result.GetProperty("protocols").EnumerateArray().Select(p => p.GetInt32()));
        // One request on type 37913, one response.
        ReceivedCustomMessage request = Assert.Single(lsp.ReceivedCustomMessages, m => m.Type == Lsps0Constants.MessageType);
        using JsonDocument json = JsonDocument.Parse(request.Payload[2..]);
        Assert.Equal("lsps0.list_protocols", json.RootElement.GetProperty("method").GetString());
        Assert.Matches("^[0-9a-f]{32}$", json.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Unknown_method_and_unknown_parameter_come_back_as_errors()
    {
        var (simulator, client, lsp) = await ClientAndLspAsync();
        await using var _ = simulator;

        var missing = await Assert.ThrowsAsync<ClnRpcException>(() => client.Rpc.CallAsync("lsps0-call",
            new JsonObject { ["peer"] = lsp.IdHex, ["method"] = "lsps1.get_info" }));
        Assert.Contains("does not support this method", missing.ClnMessage, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<ClnRpcException>(() => client.Rpc.CallAsync("lsps0-call",
            new JsonObject { ["peer"] = lsp.IdHex, ["method"] = "lsps0.list_protocols", ["params"] = new JsonObject { ["verbose"] = true } }));
        Assert.Contains("verbose", unknown.ClnMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lsp_answers_a_bad_message_with_a_parse_error_and_null_id()
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode peer = simulator.AddNode("peer");
        SimulatedNode lsp = simulator.AddNode("lsp");
        await StartServerAsync(lsp);
        await simulator.ConnectAsync(peer, lsp);

        await peer.Rpc.SendCustomMessageAsync(lsp.Id, Message(" { } { }"));

        ReceivedCustomMessage answer = await peer.WaitForCustomMessageAsync(Lsps0Constants.MessageType);
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""",
            Encoding.UTF8.GetString(answer.Payload.Span[2..]));
    }

    [Fact]
    public async Task Client_stops_talking_to_an_lsp_that_sent_a_bad_message_until_it_reconnects()
    {
        var (simulator, client, lsp) = await ClientAndLspAsync();
        await using var _ = simulator;

        // A buggy LSP: a payload that is not a single JSON object.
        await lsp.Rpc.SendCustomMessageAsync(client.Id, Message("{\"jsonrpc\":\"2.0\""));
        // The hook is answered at once and the message handled after: wait for the plugin's log line.
        await client.WaitForLogAsync("Bad LSPS0 message");

        var stopped = await Assert.ThrowsAsync<ClnRpcException>(() =>
            client.Rpc.CallAsync("lsps0-listprotocols", new JsonObject { ["peer"] = lsp.IdHex }));
        Assert.Contains("malformed", stopped.ClnMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(lsp.ReceivedCustomMessages, m => m.Type == Lsps0Constants.MessageType);

        // "SHOULD re-attempt this on reconnection"
        await simulator.DisconnectAsync(client, lsp);
        await client.WaitForLogAsync("LSPS0 requests to it are allowed again");
        await simulator.ConnectAsync(client, lsp);

        JsonElement result = await client.Rpc.CallAsync("lsps0-listprotocols", new JsonObject { ["peer"] = lsp.IdHex });
        Assert.Equal(2, result.GetProperty("protocols").GetArrayLength());
    }

    [Fact]
    public async Task Client_calls_are_refused_on_an_lsp()
    {
        var (simulator, client, lsp) = await ClientAndLspAsync();
        await using var _ = simulator;

        var error = await Assert.ThrowsAsync<ClnRpcException>(() =>
            lsp.Rpc.CallAsync("lsps0-listprotocols", new JsonObject { ["peer"] = client.IdHex }));
        Assert.Contains("client calls are off", error.ClnMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_executables_talk_lsps0_as_child_processes()
    {
        // Child processes JIT their first messages: a wider margin than the 5 s default for every step.
        await using var simulator = new LightningdSimulator(new LightningdSimulatorOptions { Timeout = TimeSpan.FromSeconds(60) });
        SimulatedNode client = simulator.AddNode("client");
        SimulatedNode lsp = simulator.AddNode("lsp");
        string path = SamplePlugins.ExecutablePath("lsps0");
        await client.StartPluginProcessAsync(path);
        await lsp.StartPluginProcessAsync(path, new PluginStartOptions
        {
            Options = { [Lsps0Plugin.RoleOption] = "server", [Lsps0Plugin.ProtocolsOption] = "2,1,5" },
        });
        await simulator.ConnectAsync(client, lsp);

        JsonElement result = await client.Rpc.CallAsync("lsps0-listprotocols", new JsonObject { ["peer"] = lsp.IdHex });

        Assert.Equal([1, 2, 5], result.GetProperty("protocols").EnumerateArray().Select(p => p.GetInt32()));
    }

    [Theory]
    [InlineData("lsp", "1")]
    [InlineData("server", "1,zero")]
    public async Task Bad_options_disable_the_plugin_at_init(string role, string protocols)
    {
        await using var simulator = new LightningdSimulator();
        SimulatedNode node = simulator.AddNode("node");

        SimulatedPlugin plugin = await node.StartPluginAsync("lsps0", b => b.AddLsps0(), new PluginStartOptions
        {
            Options = { [Lsps0Plugin.RoleOption] = role, [Lsps0Plugin.ProtocolsOption] = protocols },
        });

        Assert.Equal(PluginState.Disabled, plugin.State);
        Assert.Contains(role == "lsp" ? Lsps0Plugin.RoleOption : Lsps0Plugin.ProtocolsOption, plugin.DisabledReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", new int[0])]
    [InlineData("1,2", new[] { 1, 2 })]
    [InlineData(" 5 , 1 ", new[] { 5, 1 })]
    public void Protocols_option_parses_comma_separated_numbers(string text, int[] expected)
    {
        Assert.Equal(expected, Lsps0Plugin.ParseProtocols(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1,x")]
    [InlineData("-1")]
    public void Protocols_option_refuses_anything_else(string text)
    {
        Assert.Throws<ArgumentException>(() => Lsps0Plugin.ParseProtocols(text).ToList());
    }
}
