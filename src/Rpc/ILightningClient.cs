using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using NBitcoin;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// lightningd's JSON-RPC (<c>lightning-rpc</c> unix socket) over one persistent, pipelined
/// connection, opened on first use after <c>init</c> and reopened after a failure. Injectable in
/// any plugin built with <c>ClnPlugin.CreateBuilder</c>. Calls made before <c>init</c> wait for it.
/// </summary>
/// <remarks>
/// Every command in lightningd's schemas has a typed method (<c>ListPeerChannelsAsync</c>,
/// <c>SignMessageAsync</c>, ...) taking a request record and returning a response record from
/// <c>Cln.ProtocolExtensions.Rpc.Models</c>, generated from the schemas (docs/rpc-client.md). A field lightningd added after
/// v23.11 is optional in the models, a deprecated one is <see cref="ObsoleteAttribute">[Obsolete]</see>,
/// a field the models do not know is ignored, and a command the node lacks fails with
/// <see cref="UnknownCommandException"/>. <see cref="CallAsync(string, JsonObject?, CancellationToken)"/>
/// reaches anything else.
/// </remarks>
public partial interface ILightningClient
{
    /// <summary>
    /// Calls <paramref name="method"/> with a typed request and reads the typed answer, both through
    /// source-generated metadata. The generated command methods call this; use it for a command of
    /// your own models.
    /// </summary>
    /// <typeparam name="TRequest">The request model: a JSON object of named parameters.</typeparam>
    /// <typeparam name="TResponse">The response model.</typeparam>
    /// <param name="method">The command name.</param>
    /// <param name="request">The parameters.</param>
    /// <param name="requestTypeInfo">The request's metadata (from a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>).</param>
    /// <param name="responseTypeInfo">The response's metadata.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>lightningd's <c>result</c>, deserialized.</returns>
    /// <exception cref="ArgumentException">The request does not serialize to a JSON object, or is an invalid <c>sendcustommsg</c>.</exception>
    /// <exception cref="UnknownCommandException">The node has no such command.</exception>
    /// <exception cref="ClnRpcException">lightningd answered with an error.</exception>
    /// <exception cref="ClnRpcResponseException">The answer does not fit <typeparamref name="TResponse"/>.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<TResponse> CallAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        JsonTypeInfo<TRequest> requestTypeInfo,
        JsonTypeInfo<TResponse> responseTypeInfo,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The connected lightningd's release: from <c>LIGHTNINGD_VERSION</c>, which lightningd sets for
    /// every plugin it starts, else from <c>getinfo</c>. Read once, then cached.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for <c>getinfo</c>'s answer.</param>
    /// <exception cref="FormatException">lightningd's version text is not vYY.MM[.P].</exception>
    /// <exception cref="ClnRpcException">lightningd refused <c>getinfo</c>.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    async ValueTask<LightningdVersion> GetLightningdVersionAsync(CancellationToken cancellationToken = default) =>
        LightningdVersion.Parse((await GetInfoAsync(cancellationToken).ConfigureAwait(false)).Version);

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
    /// through here is validated like <see cref="SendCustomMessageAsync(PubKey, ReadOnlyMemory{byte}, CancellationToken)"/> (lightningd v26.06.6
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

    /// <summary>
    /// Calls any method with positional parameters (a JSON array, as <c>lightning-cli METHOD ARG...</c>
    /// and pyln's <c>call(method, [...])</c> send them) and returns its <c>result</c>. lightningd binds
    /// them in the order of the command's usage; a <see langword="null"/> element leaves that parameter
    /// out. A <c>sendcustommsg</c> through here is validated like
    /// <see cref="SendCustomMessageAsync(PubKey, ReadOnlyMemory{byte}, CancellationToken)"/>.
    /// </summary>
    /// <param name="method">The method name.</param>
    /// <param name="parameters">The parameters, in the command's order.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns>The <c>result</c> member of lightningd's answer.</returns>
    /// <exception cref="ArgumentException">A <c>sendcustommsg</c> with an invalid <c>node_id</c> or <c>msg</c>.</exception>
    /// <exception cref="ClnRpcException">lightningd answered with an error.</exception>
    /// <exception cref="ClnRpcConnectionException">The connection failed.</exception>
    Task<JsonElement> CallPositionalAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default);
}
