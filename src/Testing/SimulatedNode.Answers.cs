using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Testing.Internal;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>Answers a test supplies for lightningd commands the simulator does not simulate.</summary>
public sealed partial class SimulatedNode
{
    /// <summary>Runs a handler added with <c>MapRpcMethod</c>; a fault in it becomes an error answer, never a dropped request.</summary>
    private static async Task<byte[]> CallUserMethodAsync(
        string rawId, string method, Func<JsonElement, CancellationToken, Task<JsonNode?>> handler, JsonElement p, CancellationToken cancellationToken)
    {
        JsonNode? result;
        try
        {
            result = await handler(p.Clone(), cancellationToken).ConfigureAwait(false);
        }
        catch (ClnRpcException e)
        {
            return LightningdJson.Error(rawId, e.Code ?? Lightningd, e.ClnMessage ?? e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return LightningdJson.Error(rawId, LightningdSimulator.HandlerFailedErrorCode,
                $"The test's handler for '{method}' threw {e.GetType().Name}: {e.Message}");
        }

        return LightningdJson.Result(rawId, w =>
        {
            if (result is null)
                w.WriteNullValue();
            else
                result.WriteTo(w);
        });
    }

    private string NotSimulatedMessage(string method) =>
        $"'{method}' is a command of lightningd {LightningdNames.Version} that the simulator does not simulate; " +
        $"supply its answer in the test with {Name}.MapRpcMethod(\"{method}\", parameters => ...) before calling it.";
}
