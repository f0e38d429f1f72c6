using System.Text.Json.Nodes;
using static Cln.ProtocolExtensions.Testing.Tests.RpcAnswers;
using Cln.ProtocolExtensions.Rpc;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>Commands the simulator does not simulate, and answers a test supplies for them.</summary>
public class NotSimulatedTests
{
    [Fact]
    public async Task A_lightningd_command_that_is_not_simulated_fails_with_its_own_code_and_says_how_to_answer_it()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");

        var error = await ErrorAsync(alice, "listfunds", "{}");

        Assert.Equal(LightningdSimulator.NotSimulatedErrorCode, error.GetProperty("code").GetInt32());
        string message = error.GetProperty("message").GetString()!;
        Assert.Contains("'listfunds'", message);
        Assert.Contains("not simulate", message);
        Assert.Contains("alice.MapRpcMethod(\"listfunds\"", message);
    }

    [Fact]
    public async Task The_not_simulated_code_is_none_of_lightningds_and_an_unknown_name_stays_unknown()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");

        // common/jsonrpc_errors.h: lightningd's codes are -32600..-32602, -1..-5 and positive ones.
        Assert.InRange(LightningdSimulator.NotSimulatedErrorCode, -32099, -32000);
        Assert.InRange(LightningdSimulator.HandlerFailedErrorCode, -32099, -32000);
        Assert.NotEqual(LightningdSimulator.NotSimulatedErrorCode, LightningdSimulator.HandlerFailedErrorCode);
        // A name lightningd does not know at all gets lightningd's own answer (lightningd/jsonrpc.c).
        await AssertErrorAsync(alice, "listfundz", "{}", -32601, "Unknown command 'listfundz'");
    }

    [Fact]
    public async Task A_test_supplies_an_answer_and_an_error_for_a_command()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        alice.MapRpcMethod("listfunds", p => new JsonObject { ["outputs"] = new JsonArray(), ["channels"] = new JsonArray(), ["asked"] = p.GetRawText() });
        alice.MapRpcMethod("getroute", (_, _) => throw new ClnRpcException("getroute", 205, "Could not find a route"));

        AssertJson("""{"outputs":[],"channels":[],"asked":"[true]"}""", await ResultAsync(alice, "listfunds", "[true]"));
        await AssertErrorAsync(alice, "getroute", "{}", 205, "Could not find a route");
    }

    [Fact]
    public async Task A_handler_that_throws_gets_an_error_answer_naming_it()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        alice.MapRpcMethod("listfunds", _ => throw new InvalidOperationException("test bug"));

        var error = await ErrorAsync(alice, "listfunds", "{}");

        Assert.Equal(LightningdSimulator.HandlerFailedErrorCode, error.GetProperty("code").GetInt32());
        Assert.Equal("The test's handler for 'listfunds' threw InvalidOperationException: test bug", error.GetProperty("message").GetString());
        // The connection still answers.
        Assert.Equal(alice.IdHex, (await ResultAsync(alice, "getinfo", "{}")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_simulated_command_cannot_be_replaced()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");

        foreach (var simulated in new[] { "signmessage", "checkmessage", "makesecret", "datastore", "listdatastore", "deldatastore" })
            Assert.Throws<InvalidOperationException>(() => alice.MapRpcMethod(simulated, _ => null));
    }
}
