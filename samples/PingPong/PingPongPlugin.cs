using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Methods;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace PingPong;

/// <summary>
/// The pingpong plugin: answers every <see cref="Ping"/> with a <see cref="Pong"/>, and adds the RPC
/// method <c>pingpong-ping &lt;peer&gt; [count]</c> that pings a peer and waits for the pongs.
/// </summary>
public static class PingPongPlugin
{
    /// <summary>The option that sets how long <c>pingpong-ping</c> waits for each pong.</summary>
    public const string TimeoutOption = "pingpong-timeout-ms";

    /// <summary>Adds the plugin's handlers, RPC method and option to a plugin builder.</summary>
    public static ClnPluginBuilder AddPingPong(this ClnPluginBuilder builder)
    {
        builder.Services.AddSingleton(_ => new PendingReplies<Pong>());
        builder.AddIntegerOption(TimeoutOption, "How long pingpong-ping waits for each pong, in milliseconds", 5000);

        // A peer pings us: answer on the same connection, with the same id.
        builder.HandleMessage<Ping>(async (context, cancellationToken) =>
        {
            var logger = context.Services.GetRequiredService<ILogger<Ping>>();
            logger.LogInformation("ping {Id:x16} from {Peer}: {Text}", context.Message.Id, context.PeerId, context.Message.Text);
            await context.ReplyAsync(new Pong(context.Message.Id, "pong: " + context.Message.Text), cancellationToken);
        });

        // A pong arrives: hand it to the pingpong-ping call waiting for that id.
        builder.HandleMessage<Pong>((context, _) =>
        {
            var pending = context.Services.GetRequiredService<PendingReplies<Pong>>();
            if (!pending.TryComplete(context.PeerId, context.Message.Id, context.Message))
            {
                context.Services.GetRequiredService<ILogger<Pong>>()
                    .LogInformation("unexpected pong {Id:x16} from {Peer} (late, or not ours)", context.Message.Id, context.PeerId);
            }

            return ValueTask.CompletedTask;
        });

        builder.AddMethods<PingPongMethods>();
        return builder;
    }
}

/// <summary>What <c>pingpong-ping</c> answers.</summary>
/// <param name="Peer">The peer pinged (its node id in hex).</param>
/// <param name="Sent">Pings sent.</param>
/// <param name="Received">Pongs received.</param>
/// <param name="Lost">Pings without a pong in time.</param>
/// <param name="Pongs">The pongs, in order.</param>
public sealed record PingResult(string Peer, int Sent, int Received, int Lost, IReadOnlyList<PongResult> Pongs);

/// <summary>One pong.</summary>
/// <param name="Id">The ping's id, as 16 hex digits.</param>
/// <param name="Text">The pong's text.</param>
/// <param name="RttMs">The round trip in milliseconds.</param>
public sealed record PongResult(string Id, string Text, double RttMs);

/// <summary>The results' serializers, in lightningd's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PingResult))]
internal sealed partial class PingPongJson : JsonSerializerContext;

/// <summary>The plugin's RPC methods; the source generator binds their parameters and writes their usage.</summary>
/// <param name="plugin">The plugin's options.</param>
/// <param name="sender">Sends custom messages through lightningd.</param>
/// <param name="pending">The pings waiting for their pongs.</param>
[RpcMethods(typeof(PingPongJson))]
public sealed partial class PingPongMethods(ClnPluginContext plugin, ICustomMessageSender sender, PendingReplies<Pong> pending)
{
    /// <summary>Sends count (default 1) pings to a connected peer running pingpong and waits for each pong.</summary>
    /// <param name="peer">The peer's node id.</param>
    /// <param name="count">How many pings, 1 to 100.</param>
    /// <param name="cancellationToken">Cancelled when the plugin stops.</param>
    [RpcMethod("pingpong-ping")]
    public async Task<PingResult> PingAsync(PubKey peer, int count = 1, CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > 100)
        {
            throw new PluginMethodException(RpcRefusals.InvalidParams, "count must be an integer from 1 to 100");
        }

        var timeout = TimeSpan.FromMilliseconds(plugin.GetInt64(PingPongPlugin.TimeoutOption) ?? 5000);
        var pongs = new List<PongResult>();
        for (int i = 1; i <= count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                Pong pong = await pending.SendAsync(
                    peer,
                    (id, ct) => sender.SendAsync(peer, new Ping(id, $"ping {i} of {count}"), ct),
                    timeout,
                    cancellationToken);
                pongs.Add(new PongResult(pong.Id.ToString("x16", CultureInfo.InvariantCulture), pong.Text, Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3)));
            }
            catch (TimeoutException)
            {
                // counted below as lost
            }
            catch (ClnRpcException ex)
            {
                // lightningd refused to send (unknown or disconnected peer) or lightning-rpc failed: the caller learns why.
                throw new PluginMethodException(-1, $"cannot ping {peer}: {ex.Message}");
            }
        }

        return new PingResult(peer.ToHex(), count, pongs.Count, count - pongs.Count, pongs);
    }
}
