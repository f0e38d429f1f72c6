using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// The test client calls methods as lightning-cli does (cli/lightning-cli.c v26.06): positional by
/// default, by name with <c>-k</c> or when the first argument has <c>=</c>, each argument a JSON
/// literal when it reads as one and a string otherwise.
/// </summary>
public class CliCallTests
{
    private static string Params(LightningClientExtensions.CliInput input, params string[] arguments) =>
        LightningClientExtensions.CliParameters(arguments, input).ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Theory]
    [InlineData("3", "3")]
    [InlineData("0", "0")]
    [InlineData("1.5", "1.5")]
    [InlineData("007", "\"007\"")]            // a leading zero: maybe hex, so a string
    [InlineData("02ab", "\"02ab\"")]
    [InlineData("-3", "\"-3\"")]              // '-' is not among lightning-cli's literal characters
    [InlineData("1e3", "\"1e3\"")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("True", "\"True\"")]
    [InlineData("[1,\"a\"]", "[1,\"a\"]")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("\"quoted\"", "\"quoted\"")]
    [InlineData("", "\"\"")]
    [InlineData("it's ⚡", "\"it's ⚡\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    public void Each_argument_is_typed_as_lightning_cli_types_it(string argument, string expected)
    {
        Assert.Equal($"[{expected}]", Params(LightningClientExtensions.CliInput.Ordered, argument));
        Assert.Equal($"{{\"k\":{expected}}}", Params(LightningClientExtensions.CliInput.Keywords, "k=" + argument));
    }

    [Fact]
    public void Arguments_are_named_when_the_first_has_an_equals_sign_as_lightning_cli_autodetects()
    {
        Assert.Equal("{\"peer\":\"02ab\",\"count\":3}", Params(LightningClientExtensions.CliInput.Default, "peer=02ab", "count=3"));
        Assert.Equal("[\"02ab\",\"count=3\"]", Params(LightningClientExtensions.CliInput.Default, "02ab", "count=3"));
        Assert.Equal("[\"label=a\"]", Params(LightningClientExtensions.CliInput.Ordered, "label=a"));
        Assert.Equal("{\"label\":\"a=b\"}", Params(LightningClientExtensions.CliInput.Keywords, "label=a=b"));
        Assert.Equal("[]", Params(LightningClientExtensions.CliInput.Default));
    }

    [Fact]
    public void Arguments_lightning_cli_refuses_are_refused()
    {
        var noEquals = Assert.Throws<ArgumentException>(() => LightningClientExtensions.CliParameters(["peer"], LightningClientExtensions.CliInput.Keywords));
        Assert.StartsWith("Expected key=value in 'peer'", noEquals.Message);
        var malformed = Assert.Throws<ArgumentException>(() => LightningClientExtensions.CliParameters(["1.2.3"], LightningClientExtensions.CliInput.Ordered));
        Assert.StartsWith("Some parameters are malformed", malformed.Message);
    }

    private static void Echo(ClnPluginBuilder b)
    {
        b.AddMethod("echo", (ctx, ct) => ValueTask.FromResult<JsonNode?>(new JsonObject
        {
            ["kind"] = ctx.Params.ValueKind.ToString(),
            ["params"] = JsonNode.Parse(ctx.Params.GetRawText()),
            ["text"] = "it's héllo ⚡ 😀",
        }), usage: "peer [count]");
        b.AddMethod("refuse", (ctx, ct) => throw new PluginMethodException(-32602, "count: should be an integer: invalid token '\"x\"'", new JsonObject { ["param"] = "count" }));
    }

    [Fact]
    public async Task A_plugin_method_gets_what_lightning_cli_sends_positionally_and_by_name()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        await node.StartPluginAsync("echo", Echo);
        const string Peer = "028d7a2a5a0ac6508953360bcbce404f9d3e12712a966dcaa7a08e3d929132189b";

        var positional = await node.Rpc.CallCliAsync("echo", Peer, "3");
        var byName = await node.Rpc.CallCliByNameAsync("echo", "peer=" + Peer, "count=3");
        var autodetected = await node.Rpc.CallCliAsync("echo", "peer=" + Peer, "count=007");

        Assert.Equal("Array", positional.GetProperty("kind").GetString());
        Assert.Equal($"[\"{Peer}\",3]", positional.GetProperty("params").GetRawText());
        Assert.Equal("Object", byName.GetProperty("kind").GetString());
        Assert.Equal($"{{\"peer\":\"{Peer}\",\"count\":3}}", byName.GetProperty("params").GetRawText());
        Assert.Equal($"{{\"peer\":\"{Peer}\",\"count\":\"007\"}}", autodetected.GetProperty("params").GetRawText());
        Assert.Equal("it's héllo ⚡ 😀", positional.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_plugin_methods_error_reaches_the_caller_with_code_message_and_data()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        await node.StartPluginAsync("echo", Echo);

        var error = await Assert.ThrowsAsync<ClnRpcException>(() => node.Rpc.CallCliAsync("refuse", "x"));

        Assert.Equal(-32602, error.Code);
        Assert.Equal("count: should be an integer: invalid token '\"x\"'", error.ClnMessage);
        Assert.Equal("count", JsonDocument.Parse(error.ErrorData!).RootElement.GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_result_with_non_ASCII_text_reaches_the_caller_byte_for_byte()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        await node.StartPluginAsync("echo", Echo);
        await using var socket = await RawSocket.ConnectAsync(node.RpcPath);

        await socket.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"cli:echo#1\",\"method\":\"echo\",\"params\":[\"h\\u00e9\"]}");
        var answer = Assert.Single(await socket.ReceiveAsync(1));

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":\"cli:echo#1\",\"result\":{\"kind\":\"Array\",\"params\":[\"hé\"],\"text\":\"it's héllo ⚡ 😀\"}}\n\n", answer);
    }
}
