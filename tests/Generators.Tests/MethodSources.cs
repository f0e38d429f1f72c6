namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>Sources with <c>[RpcMethods]</c> classes for the method generator's baseline and compile tests.</summary>
internal static class MethodSources
{
    public const string PingPong = """
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Cln.ProtocolExtensions.Plugin;
        using NBitcoin;

        namespace Demo;

        /// <summary>What pingpong-ping answers.</summary>
        public sealed record PingResult(string Peer, int Sent, int Received);

        /// <summary>The result types.</summary>
        [JsonSerializable(typeof(PingResult))]
        internal sealed partial class PingJson : JsonSerializerContext;

        /// <summary>The pingpong methods.</summary>
        [RpcMethods(typeof(PingJson))]
        public sealed partial class PingMethods
        {
            /// <summary>
            /// Sends <paramref name="count"/> pings to <see cref="PubKey">a peer</see> and waits for the pongs.
            /// </summary>
            [RpcMethod("pingpong-ping")]
            public async Task<PingResult> PingAsync(PubKey peer, int count = 1, CancellationToken cancellationToken = default)
            {
                await Task.Delay(0, cancellationToken);
                return new PingResult(peer.ToHex(), count, count);
            }
        }
        """;

    public const string AllShapes = """
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using System.Threading;
        using System.Threading.Tasks;
        using Cln.ProtocolExtensions;
        using Cln.ProtocolExtensions.Plugin;
        using Cln.ProtocolExtensions.Rpc;
        using Cln.ProtocolExtensions.Wire;
        using Microsoft.Extensions.Logging;
        using NBitcoin;

        /// <summary>A choice.</summary>
        public enum Mode
        {
            /// <summary>Fast.</summary>
            Fast,

            /// <summary>Very slow.</summary>
            VerySlow,
        }

        /// <summary>Every parameter and return shape, no serializer context needed.</summary>
        [RpcMethods]
        public partial class Shapes
        {
            [RpcMethod("shapes-all", Description = "Every bound type.", Deprecated = true)]
            public JsonNode All(string text, bool flag, sbyte a, byte b, short c, ushort d, int e, uint f, long g, ulong h,
                Mode mode, PubKey node, ShortChannelId scid, uint256 hash, byte[] data, AmountMsat amount, JsonElement any,
                int[] counts, Mode[] modes, [RpcParameter("max-fee")] AmountMsat? maxFee = null, Mode fallback = Mode.VerySlow,
                string note = "it's \"quoted\"", long big = -9223372036854775808) => new JsonObject();

            /// <summary>Injected only.</summary>
            [RpcMethod("shapes-injected")]
            public static ValueTask<JsonElement> InjectedAsync(PluginRequestContext request, ILogger<Shapes> logger, ILightningClient? client, [FromServices] Helper helper, CancellationToken cancellationToken) =>
                ValueTask.FromResult(request.Params);

            /// <summary>No value.</summary>
            [RpcMethod("shapes-void")]
            private void Nothing(int? maybe) { }

            /// <summary>A task without a value.</summary>
            [RpcMethod("shapes-task")]
            internal Task NothingAsync() => Task.CompletedTask;

            /// <summary>A value task without a value.</summary>
            [RpcMethod("shapes-valuetask")]
            public ValueTask NothingValueAsync() => default;
        }

        /// <summary>A class service.</summary>
        public sealed class Helper;
        """;
}
