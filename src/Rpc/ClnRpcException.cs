namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// A <c>lightning-rpc</c> call failed: lightningd answered it with a JSON-RPC error (<see cref="Code"/> and
/// <see cref="ClnMessage"/> say which), or, as <see cref="ClnRpcConnectionException"/>, the connection
/// failed before an answer came (both are then <see langword="null"/>). One <c>catch (ClnRpcException)</c>
/// handles every failure of a call.
/// </summary>
public class ClnRpcException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The RPC method that failed.</param>
    /// <param name="code">lightningd's error code (for example -32600, -32602).</param>
    /// <param name="message">lightningd's error message, verbatim.</param>
    /// <param name="errorData">The raw JSON of the error's <c>data</c> member, if any.</param>
    public ClnRpcException(string method, int code, string message, string? errorData = null)
        : base($"lightningd refused '{method}' ({code}): {message}")
    {
        Method = method;
        Code = code;
        ClnMessage = message;
        ErrorData = errorData;
    }

    /// <summary>Creates the exception for a call that got no answer from lightningd.</summary>
    /// <param name="method">The RPC method that failed.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The transport's exception.</param>
    private protected ClnRpcException(string method, string message, Exception? innerException)
        : base(message, innerException)
    {
        Method = method;
    }

    /// <summary>The RPC method that failed.</summary>
    public string Method { get; }

    /// <summary>lightningd's JSON-RPC error code; <see langword="null"/> when lightningd did not answer.</summary>
    public int? Code { get; }

    /// <summary>lightningd's error message, verbatim; <see langword="null"/> when lightningd did not answer.</summary>
    public string? ClnMessage { get; }

    /// <summary>The raw JSON of the error's <c>data</c> member, or <see langword="null"/>.</summary>
    public string? ErrorData { get; }
}

/// <summary><c>sendcustommsg</c> (or another call) named a peer lightningd does not know: "No such peer: &lt;id&gt;".</summary>
public sealed class PeerNotFoundException : ClnRpcException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The RPC method that failed.</param>
    /// <param name="code">lightningd's error code.</param>
    /// <param name="message">lightningd's error message, verbatim.</param>
    public PeerNotFoundException(string method, int code, string message)
        : base(method, code, message)
    {
    }
}

/// <summary>The peer is known to lightningd but not connected: "Peer is not connected".</summary>
public sealed class PeerNotConnectedException : ClnRpcException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The RPC method that failed.</param>
    /// <param name="code">lightningd's error code.</param>
    /// <param name="message">lightningd's error message, verbatim.</param>
    public PeerNotConnectedException(string method, int code, string message)
        : base(method, code, message)
    {
    }
}

/// <summary>
/// The message type is one lightningd manages itself and refuses to send ("Cannot send messages of
/// type 18 (WIRE_PING)...").
/// </summary>
public sealed class InternalMessageTypeException : ClnRpcException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The RPC method that failed.</param>
    /// <param name="code">lightningd's error code.</param>
    /// <param name="message">lightningd's error message, verbatim.</param>
    /// <param name="messageType">The refused message type, when known.</param>
    public InternalMessageTypeException(string method, int code, string message, ushort? messageType)
        : base(method, code, message)
    {
        MessageType = messageType;
    }

    /// <summary>The refused message type, when known.</summary>
    public ushort? MessageType { get; }
}

/// <summary>
/// The connected lightningd has no such command: it is older than the command, or the plugin that
/// provides it is not loaded. <see cref="ClnRpcException.Code"/> is lightningd's -32601 and
/// <see cref="ClnRpcException.ClnMessage"/> its "Unknown command '...'".
/// </summary>
public sealed class UnknownCommandException : ClnRpcException
{
    /// <summary>JSON-RPC's "method not found", which lightningd answers for a command it lacks.</summary>
    public const int MethodNotFoundCode = -32601;

    /// <summary>Creates the exception.</summary>
    /// <param name="method">The command the node lacks.</param>
    /// <param name="code">lightningd's error code.</param>
    /// <param name="message">lightningd's error message, verbatim.</param>
    public UnknownCommandException(string method, int code, string message)
        : base(method, code, message)
    {
    }
}

/// <summary>
/// lightningd's answer to a typed call does not fit its model (a field of the wrong type, a
/// required field missing); <see cref="Exception.InnerException"/> says where.
/// </summary>
public sealed class ClnRpcResponseException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The command whose answer did not fit.</param>
    /// <param name="innerException">The deserializer's error.</param>
    public ClnRpcResponseException(string method, Exception innerException)
        : base($"lightningd's answer to '{method}' does not fit the typed model: {innerException.Message}", innerException)
    {
        Method = method;
    }

    /// <summary>The command whose answer did not fit.</summary>
    public string Method { get; }
}

/// <summary>
/// The <c>lightning-rpc</c> connection could not be opened, or closed before the answer came: lightningd
/// did not answer, so <see cref="ClnRpcException.Code"/> and <see cref="ClnRpcException.ClnMessage"/> are
/// <see langword="null"/>.
/// </summary>
public sealed class ClnRpcConnectionException : ClnRpcException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The RPC method whose call failed.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The transport's exception.</param>
    public ClnRpcConnectionException(string method, string message, Exception? innerException = null)
        : base(method, message, innerException)
    {
    }
}
