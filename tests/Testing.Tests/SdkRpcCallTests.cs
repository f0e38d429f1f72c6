using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using static Cln.ProtocolExtensions.Testing.Tests.RpcAnswers;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>An SDK plugin calling the simulated commands through the SDK's own lightning-rpc client.</summary>
public class SdkRpcCallTests
{
    private sealed record Outcome(string Zbase, JsonElement Stored, ClnRpcException NotSimulated);

    [Fact]
    public async Task A_plugin_signs_stores_and_sees_not_simulated_commands_as_typed_errors()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        var outcome = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);

        await bob.StartPluginAsync("signer", b => b.OnInit(async (init, ct) =>
        {
            try
            {
                var rpc = init.Services.GetRequiredService<ILightningClient>();
                var signed = await rpc.CallAsync("signmessage", new JsonObject { ["message"] = "signed by bob-s plugin" }, ct);
                var stored = await rpc.CallAsync("datastore",
                    new JsonObject { ["key"] = new JsonArray("signer", "last"), ["string"] = "kept", ["mode"] = "create-or-replace" }, ct);
                var notSimulated = await Assert.ThrowsAsync<ClnRpcException>(() => rpc.CallAsync("listfunds", null, ct));
                outcome.SetResult(new Outcome(signed.GetProperty("zbase").GetString()!, stored.Clone(), notSimulated));
            }
            catch (Exception e)
            {
                outcome.SetException(e);
            }
        }));
        var result = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var check = await ResultAsync(alice, "checkmessage", $$"""["signed by bob-s plugin","{{result.Zbase}}","{{bob.IdHex}}"]""");
        Assert.True(check.GetProperty("verified").GetBoolean());
        Assert.Equal("kept", result.Stored.GetProperty("string").GetString());
        Assert.Equal("kept", (await ResultAsync(bob, "listdatastore", """[["signer","last"]]""")).GetProperty("datastore")[0].GetProperty("string").GetString());
        Assert.Equal(LightningdSimulator.NotSimulatedErrorCode, result.NotSimulated.Code);
    }
}
