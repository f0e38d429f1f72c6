using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace MyPlugin;

/// <summary>What the plugin does, in one place so that Program.cs and the tests configure it alike.</summary>
public static class Plugin
{
    /// <summary>Adds the message handler and the RPC method.</summary>
    public static ClnPluginBuilder AddMyPlugin(this ClnPluginBuilder builder)
    {
        // A peer sent us a Greeting: log it (the log goes to lightningd's log, never to stdout).
        builder.HandleMessage<Greeting>((context, cancellationToken) =>
        {
            context.Services.GetRequiredService<ILogger<Greeting>>()
                .LogInformation("greeting from {Peer}: {Text}", context.PeerId, context.Message.Text);
            return ValueTask.CompletedTask;
        });

        // lightning-cli myplugin-greet <peer> <text>
        builder.AddMethod("myplugin-greet", async (request, cancellationToken) =>
        {
            PubKey peer = new(Param(request.Params, 0, "peer").GetString() ?? throw new PluginMethodException(-32602, "peer is required"));
            string text = Param(request.Params, 1, "text").GetString() ?? "hello";
            var sender = request.Services.GetRequiredService<ICustomMessageSender>();
            await sender.SendAsync(peer, new Greeting(text), cancellationToken);
            return new JsonObject { ["peer"] = peer.ToHex(), ["sent"] = text };
        }, usage: "peer [text]", description: "Sends a greeting to a connected peer that runs myplugin");

        return builder;
    }

    // lightning-cli passes parameters by position, or by name with -k.
    private static JsonElement Param(JsonElement parameters, int position, string name) => parameters.ValueKind switch
    {
        JsonValueKind.Array when parameters.GetArrayLength() > position => parameters[position],
        JsonValueKind.Object when parameters.TryGetProperty(name, out JsonElement value) => value,
        _ => default,
    };
}
