using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Methods;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Lsps0.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace Lsps0;

/// <summary>
/// The lsps0 plugin: LSPS0 (bLIP-0050) over Core Lightning's custom messages, in the role set by the
/// <c>lsps0-role</c> option. As a <c>client</c> it adds the RPC methods <c>lsps0-listprotocols
/// &lt;peer&gt;</c> and <c>lsps0-call &lt;peer&gt; &lt;method&gt; [params]</c>; as a <c>server</c>
/// (an LSP) it answers <c>lsps0.list_protocols</c> with the numbers in <c>lsps0-protocols</c>.
/// </summary>
public static class Lsps0Plugin
{
    /// <summary>The option choosing the role: <c>client</c> (default) or <c>server</c>.</summary>
    public const string RoleOption = "lsps0-role";

    /// <summary>The server's LSPS numbers, comma-separated (e.g. <c>1,2</c>).</summary>
    public const string ProtocolsOption = "lsps0-protocols";

    /// <summary>The client's wait for a response, in seconds.</summary>
    public const string TimeoutOption = "lsps0-timeout";

    /// <summary>Adds the plugin's message handler, RPC methods and options to a plugin builder.</summary>
    public static ClnPluginBuilder AddLsps0(this ClnPluginBuilder builder)
    {
        builder.AddStringOption(RoleOption, "client: call LSPs (lsps0-listprotocols, lsps0-call); server: act as an LSP", "client");
        builder.AddStringOption(ProtocolsOption, "As a server: the LSPS numbers to list, comma-separated", "");
        builder.AddIntegerOption(TimeoutOption, "As a client: seconds to wait for an LSP's response (bLIP-0050: minutes)", 120);

        // Bad options disable the plugin at init, with the reason in lightningd's log.
        builder.OnInit((init, cancellationToken) =>
        {
            string role = init.Plugin.GetString(RoleOption) ?? "client";
            if (role is not ("client" or "server"))
            {
                init.Disable($"{RoleOption} must be 'client' or 'server', not '{role}'");
            }

            try
            {
                _ = ParseProtocols(init.Plugin.GetString(ProtocolsOption)).ToArray();
            }
            catch (ArgumentException ex)
            {
                init.Disable(ex.Message);
            }

            return ValueTask.CompletedTask;
        });

        // Options are known after lightningd's init, before any message or call arrives: the roles
        // are created on first use.
        builder.Services.AddSingleton(services => new Lsps0Client(
            SendVia(services),
            TimeSpan.FromSeconds(services.GetRequiredService<ClnPluginContext>().GetInt64(TimeoutOption) ?? 120),
            TimeProvider.System,
            services.GetRequiredService<ILogger<Lsps0Client>>()));
        builder.Services.AddSingleton(services => new Lsps0Server(
            SendVia(services),
            ParseProtocols(services.GetRequiredService<ClnPluginContext>().GetString(ProtocolsOption)),
            services.GetRequiredService<ILogger<Lsps0Server>>()));

        builder.HandleMessage<Lsps0Message>(async (context, cancellationToken) =>
        {
            string peer = context.PeerId.ToHex();
            if (IsServer(context.Services))
            {
                await context.Services.GetRequiredService<Lsps0Server>().HandleMessageAsync(peer, context.Message.Payload, cancellationToken);
            }
            else
            {
                context.Services.GetRequiredService<Lsps0Client>().HandleMessage(peer, context.Message.Payload);
            }
        });

        // "SHOULD re-attempt on reconnection": a disconnect ends the session's stop rule.
        builder.Subscribe("disconnect", (notification, _) =>
        {
            if (notification.Payload.ValueKind == JsonValueKind.Object
                && notification.Payload.TryGetProperty("id", out JsonElement id)
                && id.ValueKind == JsonValueKind.String)
            {
                notification.Services.GetRequiredService<Lsps0Client>().OnPeerDisconnected(id.GetString()!);
            }

            return ValueTask.CompletedTask;
        });

        builder.AddMethods<Lsps0Methods>();
        return builder;
    }

    // LSPS0 failures become RPC errors with the client's own wording (never the LSP's raw text).
    internal static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Lsps0RemoteErrorException ex)
        {
            var data = new JsonObject { ["lsps_code"] = ex.Error.Code, ["lsps_message"] = ex.Error.SafeMessage };
            if (ex.Error.Unrecognized.Count > 0)
            {
                var names = new JsonArray();
                foreach (string name in ex.Error.Unrecognized)
                {
                    names.Add((JsonNode)JsonValue.Create(new Lsps0Error(0, name, default).SafeMessage));
                }

                data["unrecognized"] = names;
            }

            throw new PluginMethodException(-1, ex.Message, data);
        }
        catch (Exception ex) when (ex is TimeoutException or Lsps0PeerStoppedException or InvalidDataException or IOException or ClnRpcException)
        {
            throw new PluginMethodException(-1, ex.Message);
        }
    }

    internal static bool IsServer(IServiceProvider services) =>
        services.GetRequiredService<ClnPluginContext>().GetString(RoleOption) == "server";

    private static Lsps0Sender SendVia(IServiceProvider services)
    {
        var sender = services.GetRequiredService<ICustomMessageSender>();
        return (peer, payload, cancellationToken) =>
            sender.SendRawAsync(new PubKey(peer), Lsps0Constants.MessageType, payload, cancellationToken);
    }

    internal static IEnumerable<int> ParseProtocols(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n
                : throw new ArgumentException($"{ProtocolsOption}: '{p}' is not an LSPS number"))
            .ToArray();
    }
}

/// <summary>The client's RPC methods; the source generator binds their parameters and writes their usage.</summary>
/// <param name="services">The call's services (the client is created only in the client role).</param>
[RpcMethods]
public sealed partial class Lsps0Methods(IServiceProvider services)
{
    /// <summary>Asks an LSP which LSPS specifications it supports (lsps0.list_protocols).</summary>
    /// <param name="peer">The LSP's node id.</param>
    /// <param name="cancellationToken">Cancelled when the plugin stops.</param>
    [RpcMethod("lsps0-listprotocols")]
    public async Task<JsonNode> ListProtocolsAsync(PubKey peer, CancellationToken cancellationToken)
    {
        IReadOnlyList<int> protocols = await Lsps0Plugin.Guard(() => Client().ListProtocolsAsync(peer.ToHex(), cancellationToken));
        return new JsonObject { ["peer"] = peer.ToHex(), ["protocols"] = new JsonArray([.. protocols.Select(p => (JsonNode)p)]) };
    }

    /// <summary>Calls any LSPS method on an LSP with by-name params (a JSON object).</summary>
    /// <param name="peer">The LSP's node id.</param>
    /// <param name="method">The LSPS method, for example <c>lsps1.get_info</c>.</param>
    /// <param name="params">Its by-name params: a JSON object, or a string holding one (as lightning-cli may pass it).</param>
    /// <param name="cancellationToken">Cancelled when the plugin stops.</param>
    [RpcMethod("lsps0-call")]
    public async Task<JsonNode> CallAsync(PubKey peer, string method, JsonElement? @params = null, CancellationToken cancellationToken = default)
    {
        JsonObject? byName = @params switch
        {
            null => null,
            { ValueKind: JsonValueKind.Object } o => JsonObject.Create(o),
            { ValueKind: JsonValueKind.String } s => JsonNode.Parse(s.GetString()!) as JsonObject
                ?? throw new PluginMethodException(RpcRefusals.InvalidParams, "params must be a JSON object"),
            _ => throw new PluginMethodException(RpcRefusals.InvalidParams, "params must be a JSON object (LSPS0 uses by-name parameters)"),
        };

        JsonElement result = await Lsps0Plugin.Guard(() => Client().CallAsync(peer.ToHex(), method, byName, cancellationToken));
        return new JsonObject { ["peer"] = peer.ToHex(), ["result"] = JsonNode.Parse(result.GetRawText()) };
    }

    private Lsps0Client Client() => Lsps0Plugin.IsServer(services)
        ? throw new PluginMethodException(-1, $"this node is an LSP ({Lsps0Plugin.RoleOption}=server); client calls are off")
        : services.GetRequiredService<Lsps0Client>();
}
