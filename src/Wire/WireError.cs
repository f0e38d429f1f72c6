namespace Cln.ProtocolExtensions.Wire;

/// <summary>The closed set of reasons a BOLT #1 decode can fail.</summary>
public enum WireErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The input ended before the value did ("unexpected EOF").</summary>
    ShortRead,

    /// <summary>A value was not minimally encoded (bigsize, truncated integer, TLV type or length).</summary>
    NonCanonical,

    /// <summary>A length prefix or TLV length does not match what the value needs or what is left.</summary>
    BadLength,

    /// <summary>A TLV stream holds an even record type the reader does not know ("it's ok to be odd").</summary>
    UnknownEvenTlv,

    /// <summary>TLV record types are not strictly increasing (includes duplicates).</summary>
    UnorderedTlv,

    /// <summary>The bytes are well-framed but the value is invalid (point not on the curve, invalid UTF-8, ...).</summary>
    InvalidValue,

    /// <summary>The message or a value exceeds a size limit (65,535-byte message, array cap, ...).</summary>
    TooLarge,

    /// <summary>Bytes were left over where the encoding must end.</summary>
    TrailingBytes,

    /// <summary>The 2-byte message type is not the one the decoder reads.</summary>
    UnexpectedType,
}

/// <summary>A decode failure: what went wrong and at which byte offset of the input.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Offset">The byte offset in the decoded input where the problem was found.</param>
/// <param name="Detail">An optional human-readable detail (for example the field name).</param>
public readonly record struct WireError(WireErrorKind Kind, int Offset, string? Detail = null)
{
    /// <summary>No error.</summary>
    public static WireError None => default;

    /// <summary>Whether this value describes an error.</summary>
    public bool IsError => Kind != WireErrorKind.None;

    /// <summary>Creates the exception that <c>Read</c> forms throw for this error.</summary>
    public WireFormatException ToException() => new(Kind, Offset, Detail);

    /// <inheritdoc />
    public override string ToString() =>
        Detail is null ? $"{Kind} at offset {Offset}" : $"{Kind} at offset {Offset}: {Detail}";
}

/// <summary>The one exception the wire codec throws for malformed input.</summary>
public sealed class WireFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public WireFormatException(WireErrorKind kind, int offset, string? detail = null)
        : base(detail is null
            ? $"Invalid BOLT #1 encoding: {kind} at offset {offset}."
            : $"Invalid BOLT #1 encoding: {kind} at offset {offset} ({detail}).")
    {
        Kind = kind;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>The reason.</summary>
    public WireErrorKind Kind { get; }

    /// <summary>The byte offset in the input where the problem was found.</summary>
    public int Offset { get; }

    /// <summary>An optional detail, such as the field being read.</summary>
    public string? Detail { get; }

    /// <summary>The same information as a <see cref="WireError"/>.</summary>
    public WireError Error => new(Kind, Offset, Detail);
}
