using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lsps0.Protocol;

/// <summary>A JSON-RPC 2.0 error object received from an LSP.</summary>
/// <param name="Code">The error code.</param>
/// <param name="Message">The LSP's message, exactly as sent. Never display it as is: see <see cref="SafeMessage"/>.</param>
/// <param name="Data">The optional <c>data</c> member, or <see cref="JsonValueKind.Undefined"/>.</param>
public sealed record Lsps0Error(int Code, string Message, JsonElement Data)
{
    private const int MaxDisplayedLength = 200;

    /// <summary>
    /// The message with every character that could cause trouble in a terminal, a log line, HTML or C
    /// code (controls, NUL, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, line breaks, bidi controls) replaced
    /// by <c>?</c>, cut at 200 characters. bLIP-0050: clients MUST filter error messages.
    /// </summary>
    public string SafeMessage
    {
        get
        {
            var builder = new StringBuilder(Math.Min(Message.Length, MaxDisplayedLength));
            foreach (char c in Message.AsSpan(0, Math.Min(Message.Length, MaxDisplayedLength)))
            {
                UnicodeCategory category = char.GetUnicodeCategory(c);
                bool unsafeChar = c is '<' or '>' or '&'
                    || category is UnicodeCategory.Control or UnicodeCategory.Format
                        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
                builder.Append(unsafeChar ? '?' : c);
            }

            return builder.ToString();
        }
    }

    /// <summary>
    /// The unrecognized parameter names of a <c>-32602</c> error (<c>data.unrecognized</c>), or an
    /// empty list when the LSP did not send them.
    /// </summary>
    public IReadOnlyList<string> Unrecognized
    {
        get
        {
            if (Code != Lsps0ErrorCodes.InvalidParams
                || Data.ValueKind != JsonValueKind.Object
                || !Data.TryGetProperty("unrecognized"u8, out JsonElement list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var names = new List<string>();
            foreach (JsonElement name in list.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                {
                    names.Add(name.GetString()!);
                }
            }

            return names;
        }
    }

    /// <summary>
    /// What a client should show a user: a text of its own chosen by the code (bLIP-0050: clients
    /// SHOULD NOT display the LSP's message directly), with unknown codes reported as unrecognized.
    /// </summary>
    public string Describe() => Code switch
    {
        Lsps0ErrorCodes.ParseError => "the LSP could not parse our request",
        Lsps0ErrorCodes.InvalidRequest => "the LSP considers our request invalid",
        Lsps0ErrorCodes.MethodNotFound => "the LSP does not support this method",
        Lsps0ErrorCodes.InvalidParams when Unrecognized.Count > 0 =>
            "the LSP does not recognize the parameters: " + string.Join(", ", Unrecognized.Select(Sanitize)),
        Lsps0ErrorCodes.InvalidParams => "the LSP rejected the parameters",
        Lsps0ErrorCodes.InternalError => "the LSP had an internal error",
        // -32000..-32099: implementation-defined server errors, treated like -32603.
        <= -32000 and >= -32099 => "the LSP had an internal error",
        _ => $"unrecognized error {Code} from the LSP",
    };

    private static string Sanitize(string text) => new Lsps0Error(0, text, default).SafeMessage;
}

/// <summary>The LSP answered a request with a JSON-RPC 2.0 error.</summary>
public sealed class Lsps0RemoteErrorException : Exception
{
    /// <summary>Creates the exception for an error the LSP sent.</summary>
    public Lsps0RemoteErrorException(string method, Lsps0Error error)
        : base($"{method}: {error.Describe()} (code {error.Code})")
    {
        Method = method;
        Error = error;
    }

    /// <summary>The method that failed.</summary>
    public string Method { get; }

    /// <summary>The error object, with the LSP's raw message.</summary>
    public Lsps0Error Error { get; }
}

/// <summary>
/// The peer sent a malformed LSPS0 message in this connection session, so the client sends it
/// nothing more until it reconnects (bLIP-0050).
/// </summary>
public sealed class Lsps0PeerStoppedException : Exception
{
    /// <summary>Creates the exception for a peer.</summary>
    public Lsps0PeerStoppedException(string peerId)
        : base($"peer {peerId} sent a malformed LSPS0 message; no request is sent to it before it reconnects")
    {
        PeerId = peerId;
    }

    /// <summary>The peer's node id.</summary>
    public string PeerId { get; }
}

/// <summary>
/// Thrown by a server-side method handler to answer with a JSON-RPC 2.0 error instead of a result.
/// </summary>
public sealed class Lsps0ErrorException : Exception
{
    /// <summary>Creates an error response.</summary>
    /// <param name="code">The JSON-RPC error code (an LSPS uses its own range <c>n*100 .. n*100+99</c>).</param>
    /// <param name="message">A short human-readable message.</param>
    /// <param name="data">The optional <c>data</c> object.</param>
    public Lsps0ErrorException(int code, string message, JsonObject? data = null)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The <c>data</c> object, or <see langword="null"/>.</summary>
    public JsonObject? ErrorData { get; }

    /// <summary>
    /// A <c>-32602</c> "Invalid params" error with the <c>data.unrecognized</c> list bLIP-0050 requires
    /// (possibly empty, when a parameter is missing or has a bad value rather than being unknown).
    /// </summary>
    public static Lsps0ErrorException InvalidParams(IEnumerable<string> unrecognized, string message = "Invalid params")
    {
        var list = new JsonArray();
        foreach (string name in unrecognized)
        {
            list.Add((JsonNode)JsonValue.Create(name));
        }

        return new Lsps0ErrorException(Lsps0ErrorCodes.InvalidParams, message, new JsonObject { ["unrecognized"] = list });
    }
}
