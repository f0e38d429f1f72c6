using System.Text.Json;
using System.Text.Json.Nodes;
using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// lightningd's JSON-RPC (<c>lightning-rpc</c> unix socket) over one persistent, pipelined
/// connection, opened on first use after <c>init</c> and reopened after a failure. Injectable in
/// any plugin built with <c>ClnPlugin.CreateBuilder</c>. Calls made before <c>init</c> wait for it.
/// </summary>
public interface ILightningClient
{
    /// <summary>Calls <c>getinfo</c>.</summary>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <exception cref="ClnRpcException">lightningd answered with an error.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<GetInfoResponse> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>Calls <c>listpeers</c>, optionally for one peer.</summary>
    /// <param name="peerId">Only this peer, or every peer when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <exception cref="ClnRpcException">lightningd answered with an error.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<IReadOnlyList<PeerInfo>> ListPeersAsync(PubKey? peerId = null, CancellationToken cancellationToken = default);

    /// <summary>Calls <c>listpeerchannels</c>, optionally for one peer.</summary>
    /// <param name="peerId">Only this peer's channels, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <exception cref="ClnRpcException">lightningd answered with an error.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<IReadOnlyList<PeerChannel>> ListPeerChannelsAsync(PubKey? peerId = null, CancellationToken cancellationToken = default);

    /// <summary>Calls <c>connect</c>.</summary>
    /// <param name="peerId">The node to connect to.</param>
    /// <param name="host">Its host, or <see langword="null"/> to let lightningd look it up.</param>
    /// <param name="port">Its port, or <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <exception cref="ClnRpcException">lightningd answered with an error (for example, the connection failed).</exception>
    /// <exception cref="ClnRpcConnectionException">The lightning-rpc connection failed.</exception>
    Task<ConnectResponse> ConnectAsync(PubKey peerId, string? host = null, int? port = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <c>sendcustommsg</c> with a raw message (2-byte type + body). Validated first: 2 to
    /// 65,535 bytes. Prefer <see cref="ICustomMessageSender"/> for generated message types.
    /// </summary>
    /// <param name="peerId">The connected peer.</param>
    /// <param name="message">The message, type included.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>lightningd's status text.</returns>
    /// <exception cref="ArgumentException">The message is shorter than 2 or longer than 65,535 bytes.</exception>
    /// <exception cref="PeerNotFoundException">No such peer.</exception>
    /// <exception cref="PeerNotConnectedException">The peer is not connected.</exception>
    /// <exception cref="InternalMessageTypeException">lightningd manages that type itself.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<string> SendCustomMessageAsync(PubKey peerId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls any method with named parameters and returns its <c>result</c>. A <c>sendcustommsg</c>
    /// through here is validated like <see cref="SendCustomMessageAsync"/> (lightningd v26.06.6
    /// crashes on malformed hex).
    /// </summary>
    /// <param name="method">The method name.</param>
    /// <param name="parameters">The named parameters, or <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>The <c>result</c> member of lightningd's answer.</returns>
    /// <exception cref="ArgumentException">A <c>sendcustommsg</c> with an invalid <c>msg</c> or <c>node_id</c>.</exception>
    /// <exception cref="ClnRpcException">lightningd answered with an error.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, CancellationToken cancellationToken = default);
}
