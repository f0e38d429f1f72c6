namespace Lsps0.Protocol;

/// <summary>Numbers fixed by bLIP-0050 (LSPS0) and JSON-RPC 2.0.</summary>
public static class Lsps0Constants
{
    /// <summary>The BOLT #8 message type that carries every LSPS message (<c>lsps0_message_id</c>).</summary>
    public const ushort MessageType = 37913;

    /// <summary>
    /// The largest payload: a BOLT #8 message is at most 65535 bytes, 2 of which are the type.
    /// </summary>
    public const int MaxPayloadLength = 65533;

    /// <summary>The method every LSP answers: which LSPS specifications it supports.</summary>
    public const string ListProtocolsMethod = "lsps0.list_protocols";

    /// <summary>
    /// The client's default wait for a response. bLIP-0050 asks for "a reasonable timeout, on the
    /// scale of minutes".
    /// </summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMinutes(2);
}

/// <summary>The JSON-RPC 2.0 error codes LSPS0 uses.</summary>
public static class Lsps0ErrorCodes
{
    /// <summary>"Parse error": the LSP's answer to a bad message (sent with <c>"id": null</c>).</summary>
    public const int ParseError = -32700;

    /// <summary>"Invalid Request".</summary>
    public const int InvalidRequest = -32600;

    /// <summary>"Method not found": the LSP does not know the method.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>"Invalid params": the error's <c>data</c> must list the <c>unrecognized</c> parameter names.</summary>
    public const int InvalidParams = -32602;

    /// <summary>"Internal error".</summary>
    public const int InternalError = -32603;
}
