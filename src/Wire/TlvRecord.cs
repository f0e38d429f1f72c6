namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// One TLV record kept as raw bytes, typically an unknown odd record that a decoder skipped but must
/// write back unchanged so that decoding then encoding gives the same bytes. Equality compares the
/// type and the value's content.
/// </summary>
public readonly struct TlvRecord : IEquatable<TlvRecord>
{
    /// <summary>Creates a record.</summary>
    /// <param name="type">The record type.</param>
    /// <param name="value">The record value (not copied).</param>
    public TlvRecord(ulong type, ReadOnlyMemory<byte> value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The record type.</summary>
    public ulong Type { get; }

    /// <summary>The record value, without its type and length.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Whether the record type is odd, that is, safe for a reader to ignore ("it's ok to be odd").</summary>
    public bool IsOdd => (Type & 1) != 0;

    /// <summary>The number of bytes the record takes on the wire: type, length and value.</summary>
    public int EncodedLength => WireSize.Tlv(Type, Value.Length);

    /// <inheritdoc />
    public bool Equals(TlvRecord other) => Type == other.Type && Value.Span.SequenceEqual(other.Value.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TlvRecord other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Type);
        hash.AddBytes(Value.Span);
        return hash.ToHashCode();
    }

    /// <summary>The type and the value in hex, for example <c>tlv 3: 2a</c>.</summary>
    public override string ToString() => $"tlv {Type}: {Convert.ToHexStringLower(Value.Span)}";

    /// <summary>Whether two records have the same type and value bytes.</summary>
    public static bool operator ==(TlvRecord left, TlvRecord right) => left.Equals(right);

    /// <summary>Whether two records differ in type or value bytes.</summary>
    public static bool operator !=(TlvRecord left, TlvRecord right) => !left.Equals(right);
}
