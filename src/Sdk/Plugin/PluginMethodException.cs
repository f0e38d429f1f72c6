using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// Thrown by an RPC method handler (or a <c>check</c> callback) to answer the caller with a specific
/// JSON-RPC error, logged at debug only: a refusal is not a fault. A
/// <see cref="Rpc.ClnRpcException"/> from lightningd passes through the same way, with lightningd's
/// code, message and data. A cancellation because the plugin stops becomes error -5; a timeout, another
/// cancellation or any other exception becomes error -32600 with the exception's message, logged as
/// one <c>unusual</c> line (its stack at debug), never <c>broken</c>. (Hook handlers never produce
/// errors: lightningd would abort; they fall back to the hook's safe result instead.)
/// </summary>
public sealed class PluginMethodException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The JSON-RPC error code for the caller.</param>
    /// <param name="message">The error message for the caller.</param>
    /// <param name="errorData">Optional <c>data</c> member of the error.</param>
    public PluginMethodException(int code, string message, JsonNode? errorData = null)
        : base(message)
    {
        Code = code;
        ErrorData = errorData;
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The error's <c>data</c> member, or <see langword="null"/>.</summary>
    public JsonNode? ErrorData { get; }
}
