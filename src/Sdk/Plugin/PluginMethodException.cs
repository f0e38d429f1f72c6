using System.Text.Json.Nodes;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// Thrown by an RPC method handler to answer the caller with a specific JSON-RPC error. Any other
/// exception becomes error -32600 with the exception's message. (Hook handlers never produce errors:
/// lightningd would abort; they fall back to the hook's safe result instead.)
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
