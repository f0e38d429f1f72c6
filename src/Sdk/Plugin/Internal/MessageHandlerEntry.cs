using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>A registered handler for one message type: decodes, builds the context, calls the user's code.</summary>
internal abstract class MessageHandlerEntry(ushort messageType, string messageName)
{
    public ushort MessageType { get; } = messageType;

    public string MessageName { get; } = messageName;

    /// <summary>Decodes and handles one message. Decode failures are logged and return; handler exceptions propagate.</summary>
    public abstract ValueTask InvokeAsync(IServiceProvider services, ICustomMessageSender sender, PubKey peer, byte[] payload, ILogger logger, CancellationToken cancellationToken);
}

internal sealed class MessageHandlerEntry<TMessage>(Func<IServiceProvider, CustomMessageContext<TMessage>, CancellationToken, ValueTask> handler, bool needsScope)
    : MessageHandlerEntry(TMessage.Type, typeof(TMessage).Name)
    where TMessage : ICustomMessage<TMessage>
{
    public override ValueTask InvokeAsync(IServiceProvider services, ICustomMessageSender sender, PubKey peer, byte[] payload, ILogger logger, CancellationToken cancellationToken)
    {
        if (!TMessage.TryRead(payload, out var message, out var error))
        {
            Log.DecodeFailed(logger, MessageName, MessageType, peer, payload.Length, error.ToString());
            return ValueTask.CompletedTask;
        }

        // Without a scope there is nothing to await here: hand back the handler's own ValueTask.
        return needsScope
            ? InvokeScopedAsync(services, sender, peer, payload, message, cancellationToken)
            : handler(services, new CustomMessageContext<TMessage>(message, peer, payload, services, sender), cancellationToken);
    }

    private async ValueTask InvokeScopedAsync(IServiceProvider services, ICustomMessageSender sender, PubKey peer, byte[] payload, TMessage message, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new CustomMessageContext<TMessage>(message, peer, payload, scope.ServiceProvider, sender);
            await handler(scope.ServiceProvider, context, cancellationToken).ConfigureAwait(false);
        }
    }
}
