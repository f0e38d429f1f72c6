using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions;
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

        builder.AddMethod("pingpong-ping", PingAsync, usage: "peer [count]",
            description: "Sends count (default 1) pings to a connected peer running pingpong and waits for each pong");
        return builder;
    }

    private static async ValueTask<JsonNode?> PingAsync(PluginRequestContext request, CancellationToken cancellationToken)
    {
        PubKey peer = ReadPeer(request.Params);
        int count = ReadCount(request.Params);

        var plugin = request.Services.GetRequiredService<ClnPluginContext>();
        var sender = request.Services.GetRequiredService<ICustomMessageSender>();
        var pending = request.Services.GetRequiredService<PendingReplies<Pong>>();
        var timeout = TimeSpan.FromMilliseconds(plugin.GetInt64(TimeoutOption) ?? 5000);

        var pongs = new JsonArray();
        int lost = 0;
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
                pongs.Add((JsonNode)new JsonObject
                {
                    ["id"] = pong.Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
                    ["text"] = pong.Text,
                    ["rtt_ms"] = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3),
                });
            }
            catch (TimeoutException)
            {
                lost++;
            }
            catch (ClnRpcException ex)
            {
                // lightningd refused to send (unknown or disconnected peer) or lightning-rpc failed: the caller learns why.
                throw new PluginMethodException(-1, $"cannot ping {peer}: {ex.Message}");
            }
        }

        return new JsonObject
        {
            ["peer"] = peer.ToHex(),
            ["sent"] = count,
            ["received"] = pongs.Count,
            ["lost"] = lost,
            ["pongs"] = pongs,
        };
    }

    // lightning-cli passes parameters by position (["02ab..", 3]) or by name (-k peer=02ab.. count=3).
    private static JsonElement Param(JsonElement parameters, int position, string name) => parameters.ValueKind switch
    {
        JsonValueKind.Array when parameters.GetArrayLength() > position => parameters[position],
        JsonValueKind.Object when parameters.TryGetProperty(name, out JsonElement value) => value,
        _ => default,
    };

    private static PubKey ReadPeer(JsonElement parameters)
    {
        JsonElement value = Param(parameters, 0, "peer");
        if (value.ValueKind != JsonValueKind.String || !PubKey.TryCreatePubKey(Convert.FromHexString(HexOrEmpty(value.GetString()!)), out PubKey? peer))
        {
            throw new PluginMethodException(-32602, "peer must be a node id: 66 hex characters");
        }

        return peer;
    }

    private static string HexOrEmpty(string text) =>
        text.Length == 66 && text.All(Uri.IsHexDigit) ? text : string.Empty;

    private static int ReadCount(JsonElement parameters)
    {
        JsonElement value = Param(parameters, 1, "count");
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return 1;
        }

        // lightning-cli sends numbers it can parse as numbers, and strings otherwise.
        if ((value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int count))
            || (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out count)))
        {
            if (count is >= 1 and <= 100)
            {
                return count;
            }
        }

        throw new PluginMethodException(-32602, "count must be an integer from 1 to 100");
    }
}
