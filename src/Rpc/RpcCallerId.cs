namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// The id of the lightningd request whose handler is running, flowing with the handler's async
/// calls: lightning-rpc calls made meanwhile are prefixed with it
/// (<c>cli:mycmd#12/cln:mycmd#34/myplugin:getinfo#7</c>, PROTOCOL.md §1.2), as pyln does with
/// <c>cmdprefix</c>, so lightningd's logs tie a nested call to the command that caused it.
/// </summary>
internal static class RpcCallerId
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The running request's id, or <see langword="null"/> outside a method or hook handler.</summary>
    public static string? Value => Current.Value;

    /// <summary>Sets the id for the rest of the calling async flow (the handler about to run).</summary>
    public static void Set(string? requestId) => Current.Value = requestId;
}
