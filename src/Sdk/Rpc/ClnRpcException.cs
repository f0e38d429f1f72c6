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
