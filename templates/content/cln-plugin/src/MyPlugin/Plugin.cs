using System.Text.Json.Serialization;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace MyPlugin;

/// <summary>What the plugin does, in one place so that Program.cs and the tests configure it alike.</summary>
public static class Plugin
{
    /// <summary>Adds the message handler and the RPC methods.</summary>
    public static ClnPluginBuilder AddMyPlugin(this ClnPluginBuilder builder)
    {
        // A peer sent us a Greeting: log it (the log goes to lightningd's log, never to stdout).
        builder.HandleMessage<Greeting>((context, cancellationToken) =>
        {
            context.Services.GetRequiredService<ILogger<Greeting>>()
                .LogInformation("greeting from {Peer}: {Text}", context.PeerId, context.Message.Text);
            return ValueTask.CompletedTask;
        });

        builder.AddMethods<MyPluginMethods>();
        return builder;
    }
}

/// <summary>The plugin's RPC methods: the source generator binds their parameters (by position or by name), writes their usage and refuses bad input in lightningd's words.</summary>
/// <param name="sender">Sends custom messages to peers (constructor parameters come from dependency injection).</param>
[RpcMethods(typeof(MyPluginJson))]
public sealed partial class MyPluginMethods(ICustomMessageSender sender)
{
    /// <summary>Sends a greeting to a connected peer that runs myplugin.</summary>
    /// <param name="peer">The peer's node id.</param>
    /// <param name="text">What to say.</param>
    /// <param name="cancellationToken">Cancelled when the plugin stops.</param>
    [RpcMethod("myplugin-greet")] // lightning-cli myplugin-greet <peer> [text]
    public async Task<GreetResult> GreetAsync(PubKey peer, string text = "hello", CancellationToken cancellationToken = default)
    {
        await sender.SendAsync(peer, new Greeting(text), cancellationToken);
        return new GreetResult(peer.ToHex(), text);
    }
}

/// <summary>What <c>myplugin-greet</c> answers.</summary>
/// <param name="Peer">The peer greeted.</param>
/// <param name="Sent">The text sent.</param>
public sealed record GreetResult(string Peer, string Sent);

/// <summary>Serializes the methods' results (list each result type here), in lightningd's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GreetResult))]
internal sealed partial class MyPluginJson : JsonSerializerContext;
