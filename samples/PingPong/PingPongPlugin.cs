using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Cln.ProtocolExtensions;
using Cln.ProtocolExtensions.Methods;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Rpc.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace PingPong;

/// <summary>
/// The pingpong plugin: answers every <see cref="Ping"/> with a <see cref="Pong"/> signed by its node
/// (lightningd's <c>signmessage</c>), and adds the RPC method <c>pingpong-ping &lt;peer&gt; [count]</c>
/// that pings a peer, waits for the pongs and accepts only those the peer's node id signed
/// (lightningd's <c>checkmessage</c>).
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

        // A peer pings us: answer on the same connection, with the same id, signed with our node key.
        builder.HandleMessage<Ping>(async (context, cancellationToken) =>
        {
            var logger = context.Services.GetRequiredService<ILogger<Ping>>();
            logger.LogInformation("ping {Id:x16} from {Peer}: {Text}", context.Message.Id, context.PeerId, context.Message.Text);
            string text = "pong: " + context.Message.Text;
            var signed = await context.Services.GetRequiredService<ILightningClient>().SignMessageAsync(
                new SignmessageRequest { Message = Pong.SignedText(context.Message.Id, text) },
                cancellationToken);
            await context.ReplyAsync(new Pong(context.Message.Id, text) { Signature = Encoding.ASCII.GetBytes(signed.Zbase) }, cancellationToken);
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
/// <param name="Received">Pongs received and signed by the peer.</param>
/// <param name="Lost">Pings without a pong in time.</param>
/// <param name="Rejected">Pongs whose signature is missing or not the peer's.</param>
/// <param name="Pongs">The accepted pongs, in order.</param>
public sealed record PingResult(string Peer, int Sent, int Received, int Lost, int Rejected, IReadOnlyList<PongResult> Pongs);

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
/// <param name="lightningd">lightningd's commands; here <c>checkmessage</c>.</param>
/// <param name="pending">The pings waiting for their pongs.</param>
/// <param name="logger">Says why a pong was rejected.</param>
[RpcMethods(typeof(PingPongJson))]
public sealed partial class PingPongMethods(
    ClnPluginContext plugin, ICustomMessageSender sender, ILightningClient lightningd, PendingReplies<Pong> pending, ILogger<PingPongMethods> logger)
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
        int rejected = 0;
        for (int i = 1; i <= count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Pong pong;
            try
            {
                // lightningd's refusal to send (no such peer, ...) is not caught: it reaches the caller
                // with lightningd's own code and message.
                pong = await pending.SendAsync(
                    peer,
                    (id, ct) => sender.SendAsync(peer, new Ping(id, $"ping {i} of {count}"), ct),
                    timeout,
                    cancellationToken);
            }
            catch (TimeoutException)
            {
                continue; // counted below as lost
            }

            double rtt = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3);
            if (await IsSignedByAsync(peer, pong, cancellationToken))
            {
                pongs.Add(new PongResult(pong.Id.ToString("x16", CultureInfo.InvariantCulture), pong.Text, rtt));
            }
            else
            {
                rejected++;
                logger.LogInformation("pong {Id:x16} from {Peer} rejected: its signature is not the peer's", pong.Id, peer);
            }
        }

        return new PingResult(peer.ToHex(), count, pongs.Count, count - pongs.Count - rejected, rejected, pongs);
    }

    /// <summary>Asks lightningd whether <paramref name="peer"/>'s node key signed the pong.</summary>
    private async Task<bool> IsSignedByAsync(PubKey peer, Pong pong, CancellationToken cancellationToken)
    {
        if (pong.Signature is null)
        {
            return false;
        }

        try
        {
            var check = await lightningd.CheckMessageAsync(
                new CheckmessageRequest { Message = Pong.SignedText(pong.Id, pong.Text), Zbase = Encoding.ASCII.GetString(pong.Signature), Pubkey = peer },
                cancellationToken);
            return check.Verified;
        }
        catch (ClnRpcException ex) when (ex.Code == RpcRefusals.InvalidParams)
        {
            return false; // not a signature at all ("zbase is not valid zbase32", "zbase is too short", ...)
        }
    }
}
