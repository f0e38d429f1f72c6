using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// Sends custom messages to peers through lightningd's <c>sendcustommsg</c>, over the plugin's
/// persistent <c>lightning-rpc</c> connection. Injectable once the plugin is built; usable after
/// lightningd's <c>init</c>.
/// </summary>
public interface ICustomMessageSender
{
    /// <summary>Encodes <paramref name="message"/> and sends it to <paramref name="peerId"/>.</summary>
    /// <param name="peerId">The node id of a connected peer.</param>
    /// <param name="message">The message; its encoding (type included) must be 2 to 65,535 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for lightningd's answer.</param>
    /// <returns>Completes when lightningd has queued the message for the peer (delivery is best effort).</returns>
    /// <exception cref="ArgumentException">The encoded message is shorter than 2 or longer than 65,535 bytes.</exception>
    /// <exception cref="PeerNotFoundException">lightningd knows no such peer.</exception>
    /// <exception cref="PeerNotConnectedException">The peer is known but not connected.</exception>
    /// <exception cref="InternalMessageTypeException">The type is one lightningd manages itself.</exception>
    /// <exception cref="ClnRpcException">Any other refusal by lightningd.</exception>
    /// <exception cref="ClnRpcConnectionException">The lightning-rpc connection failed.</exception>
    Task SendAsync<TMessage>(PubKey peerId, TMessage message, CancellationToken cancellationToken = default)
        where TMessage : ICustomMessage;

    /// <summary>Sends a raw message: the 2-byte big-endian type followed by the body, as in CLN's <c>sendcustommsg.msg</c>.</summary>
    /// <param name="peerId">The node id of a connected peer.</param>
    /// <param name="message">The whole message, type included: 2 to 65,535 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for lightningd's answer.</param>
    /// <exception cref="ArgumentException">The message is shorter than 2 or longer than 65,535 bytes.</exception>
    /// <exception cref="ClnRpcException">lightningd refused it (see <see cref="SendAsync{TMessage}"/>).</exception>
    /// <exception cref="ClnRpcConnectionException">The lightning-rpc connection failed.</exception>
    Task SendRawAsync(PubKey peerId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Sends a raw message given as its type and body.</summary>
    /// <param name="peerId">The node id of a connected peer.</param>
    /// <param name="messageType">The BOLT #1 message type.</param>
    /// <param name="body">The body after the type: at most 65,533 bytes.</param>
    /// <param name="cancellationToken">Cancels the wait for lightningd's answer.</param>
    /// <exception cref="ArgumentException">The body is longer than 65,533 bytes.</exception>
    /// <exception cref="ClnRpcException">lightningd refused it (see <see cref="SendAsync{TMessage}"/>).</exception>
    /// <exception cref="ClnRpcConnectionException">The lightning-rpc connection failed.</exception>
    Task SendRawAsync(PubKey peerId, ushort messageType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);
}
