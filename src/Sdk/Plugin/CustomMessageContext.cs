using Cln.ProtocolExtensions.Rpc;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// One decoded custom message from a peer, handed to a handler registered with
/// <see cref="ClnPluginBuilder.HandleMessage{TMessage}(Func{CustomMessageContext{TMessage}, CancellationToken, ValueTask})"/>.
/// </summary>
/// <typeparam name="TMessage">The generated message type.</typeparam>
public sealed class CustomMessageContext<TMessage>
    where TMessage : ICustomMessage<TMessage>
{
    private readonly ICustomMessageSender _sender;

    internal CustomMessageContext(TMessage message, PubKey peerId, ReadOnlyMemory<byte> rawMessage, IServiceProvider services, ICustomMessageSender sender)
    {
        Message = message;
        PeerId = peerId;
        RawMessage = rawMessage;
        Services = services;
        _sender = sender;
    }

    /// <summary>The decoded message.</summary>
    public TMessage Message { get; }

    /// <summary>The node id of the peer that sent the message.</summary>
    public PubKey PeerId { get; }

    /// <summary>The message exactly as received: the 2-byte type followed by the body.</summary>
    public ReadOnlyMemory<byte> RawMessage { get; }

    /// <summary>The services of the scope created for this message.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Sends <paramref name="reply"/> to the peer that sent this message (through <c>sendcustommsg</c>).</summary>
    /// <param name="reply">The message to send.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="ClnRpcException">lightningd refused the message (for example, the peer disconnected).</exception>
    /// <exception cref="ArgumentException">The encoded message is shorter than 2 or longer than 65,535 bytes.</exception>
    public Task ReplyAsync(ICustomMessage reply, CancellationToken cancellationToken = default) =>
        _sender.SendAsync(PeerId, reply, cancellationToken);
}

/// <summary>
/// A handler for one custom message type, resolved from dependency injection in a new scope for
/// every message. Register it with <see cref="ClnPluginBuilder.HandleMessage{TMessage, THandler}"/>.
/// </summary>
/// <typeparam name="TMessage">The generated message type.</typeparam>
public interface ICustomMessageHandler<TMessage>
    where TMessage : ICustomMessage<TMessage>
{
    /// <summary>Handles one message. Messages from one peer are handled one at a time, in order.</summary>
    /// <param name="context">The message, the peer and a way to reply.</param>
    /// <param name="cancellationToken">Cancelled when the plugin stops.</param>
    ValueTask HandleAsync(CustomMessageContext<TMessage> context, CancellationToken cancellationToken);
}
