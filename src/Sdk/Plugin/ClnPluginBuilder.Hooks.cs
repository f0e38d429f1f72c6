using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin.Internal;

namespace Cln.ProtocolExtensions.Plugin;

// Typed registrations of the hooks plugins use most. Each is AddHook with a generated payload record
// (IPluginHook) and a typed result:
// the same always-answer rule (a handler that throws or times out, or a payload that does not read,
// answers {"result":"continue"}, logged as one unusual line).
public sealed partial class ClnPluginBuilder
{
    /// <summary>
    /// Handles <c>peer_connected</c>: decide whether a newly connected peer may stay. A handler that
    /// throws or times out, or a payload that does not read, answers <see cref="PeerConnectedResult.Continue"/>.
    /// </summary>
    /// <param name="handler">Decides; <see cref="PeerConnectedResult.Disconnect"/> drops the peer.</param>
    /// <param name="before">Plugins (short names) this one must run before.</param>
    /// <param name="after">Plugins (short names) this one must run after.</param>
    /// <param name="timeout">If the handler has not answered by then, lightningd gets <c>continue</c> and its token is cancelled.</param>
    public ClnPluginBuilder AddPeerConnectedHook(Func<PeerConnectedHook, PluginRequestContext, CancellationToken, ValueTask<PeerConnectedResult>> handler, IEnumerable<string>? before = null, IEnumerable<string>? after = null, TimeSpan? timeout = null) =>
        AddTypedHook(handler, static r => r.ToJson(), fallback: null, before, after, filters: null, timeout);

    /// <summary>
    /// Handles <c>htlc_accepted</c>: forward, fail or resolve an incoming HTLC. A handler that throws or
    /// times out, or a payload that does not read, answers <see cref="HtlcAcceptedResult.Continue"/>
    /// (lightningd then handles the HTLC as it would without the plugin).
    /// </summary>
    /// <param name="handler">Decides what happens to the HTLC.</param>
    /// <param name="before">Plugins (short names) this one must run before.</param>
    /// <param name="after">Plugins (short names) this one must run after.</param>
    /// <param name="timeout">
    /// If the handler has not answered by then, lightningd gets <c>continue</c> and its token is
    /// cancelled; <see langword="null"/> (the default) waits as long as the handler takes, as holding
    /// an HTLC may need.
    /// </param>
    public ClnPluginBuilder AddHtlcAcceptedHook(Func<HtlcAcceptedHook, PluginRequestContext, CancellationToken, ValueTask<HtlcAcceptedResult>> handler, IEnumerable<string>? before = null, IEnumerable<string>? after = null, TimeSpan? timeout = null) =>
        AddTypedHook(handler, static r => r.ToJson(), fallback: null, before, after, filters: null, timeout);

    /// <summary>
    /// Handles <c>rpc_command</c>: let a command run, replace it or answer it. A handler that throws or
    /// times out, or a payload that does not read, answers <see cref="RpcCommandResult.Continue"/>.
    /// </summary>
    /// <param name="handler">Decides what happens to the command.</param>
    /// <param name="commands">Only these commands reach the hook (lightningd v25.12+; older versions send every command, so the runtime answers <c>continue</c> for the others without calling the handler).</param>
    /// <param name="before">Plugins (short names) this one must run before.</param>
    /// <param name="after">Plugins (short names) this one must run after.</param>
    /// <param name="timeout">If the handler has not answered by then, lightningd gets <c>continue</c> and its token is cancelled.</param>
    public ClnPluginBuilder AddRpcCommandHook(Func<RpcCommandHook, PluginRequestContext, CancellationToken, ValueTask<RpcCommandResult>> handler, IEnumerable<string>? commands = null, IEnumerable<string>? before = null, IEnumerable<string>? after = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var only = commands?.ToHashSet(StringComparer.Ordinal);
        Func<RpcCommandHook, PluginRequestContext, CancellationToken, ValueTask<RpcCommandResult>> filtered = only is null
            ? handler
            : (command, context, ct) => only.Contains(command.Method) ? handler(command, context, ct) : ValueTask.FromResult(RpcCommandResult.Continue);
        return AddTypedHook(filtered, static r => r.ToJson(), fallback: null, before, after, only?.Order(StringComparer.Ordinal).ToArray(), timeout);
    }

    /// <summary>
    /// Handles <c>onion_message_recv</c>: an onion message addressed to this node. A handler that throws
    /// or times out, or a payload that does not read, answers <see cref="OnionMessageResult.Continue"/>.
    /// </summary>
    /// <param name="handler">Handles the message; <see cref="OnionMessageResult.Stop"/> keeps later plugins from seeing it.</param>
    /// <param name="before">Plugins (short names) this one must run before.</param>
    /// <param name="after">Plugins (short names) this one must run after.</param>
    /// <param name="timeout">If the handler has not answered by then, lightningd gets <c>continue</c> and its token is cancelled.</param>
    public ClnPluginBuilder AddOnionMessageHook(Func<OnionMessageHook, PluginRequestContext, CancellationToken, ValueTask<OnionMessageResult>> handler, IEnumerable<string>? before = null, IEnumerable<string>? after = null, TimeSpan? timeout = null) =>
        AddTypedHook(handler, static r => r.ToJson(), fallback: null, before, after, filters: null, timeout);

    /// <summary>
    /// Handles any hook of lightningd's with its generated payload record (<see cref="OpenchannelHook"/>,
    /// <see cref="InvoicePaymentHook"/>, <see cref="CommitmentRevocationHook"/>, ...) and an untyped
    /// result. A handler that throws or times out, or a payload that does not read, answers
    /// <paramref name="fallback"/>.
    /// </summary>
    /// <typeparam name="THook">The hook's payload record; its <c>HookName</c> is the hook registered.</typeparam>
    /// <param name="handler">Returns the hook's result, for example <c>{"result":"continue"}</c>.</param>
    /// <param name="fallback">The answer when the handler fails or the payload does not read; default <c>{"result":"continue"}</c>.</param>
    /// <param name="before">Plugins (short names) this one must run before.</param>
    /// <param name="after">Plugins (short names) this one must run after.</param>
    /// <param name="timeout">If the handler has not answered by then, lightningd gets <paramref name="fallback"/> and its token is cancelled.</param>
    /// <exception cref="ArgumentException">The hook is <c>custommsg</c> (the runtime owns it) or is registered already.</exception>
    public ClnPluginBuilder AddHook<THook>(Func<THook, PluginRequestContext, CancellationToken, ValueTask<JsonNode>> handler, JsonNode? fallback = null, IEnumerable<string>? before = null, IEnumerable<string>? after = null, TimeSpan? timeout = null)
        where THook : IPluginHook<THook> =>
        AddTypedHook(handler, static r => r, fallback, before, after, filters: null, timeout);

    private ClnPluginBuilder AddTypedHook<THook, TResult>(
        Func<THook, PluginRequestContext, CancellationToken, ValueTask<TResult>> handler,
        Func<TResult, JsonNode> write,
        JsonNode? fallback,
        IEnumerable<string>? before,
        IEnumerable<string>? after,
        IEnumerable<object>? filters,
        TimeSpan? timeout)
        where THook : IPluginHook<THook>
        where TResult : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHook(
            THook.HookName,
            async (context, ct) =>
            {
                var payload = PayloadUnreadableException.Read(context.Params, THook.FromJson);
                var result = await handler(payload, context, ct).ConfigureAwait(false);

                // A null result (despite the signature) answers the safe default, as AddHook's handler does.
                return result is null ? null! : write(result);
            },
            fallback,
            before,
            after,
            filters,
            timeout);
    }
}
