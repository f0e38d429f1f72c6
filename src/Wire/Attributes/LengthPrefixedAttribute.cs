namespace Cln.ProtocolExtensions;

/// <summary>The integer that precedes a variable-length field and counts its bytes or elements.</summary>
public enum LengthPrefix
{
    /// <summary>A 2-byte big-endian <c>u16</c> (the BOLT default, as in <c>[u16:len][len*byte:data]</c>).</summary>
    U16 = 0,

    /// <summary>A single byte (<c>u8</c>).</summary>
    U8 = 1,

    /// <summary>A <c>bigsize</c>.</summary>
    BigSize = 2,
}

/// <summary>
/// Encodes a <c>byte[]</c>, <c>string</c> (UTF-8) or array field after a length prefix: the number of
/// bytes for <c>byte[]</c> and <c>string</c>, the number of elements for other arrays.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class LengthPrefixedAttribute : Attribute
{
    /// <summary>Uses a <c>u16</c> length prefix.</summary>
    public LengthPrefixedAttribute() : this(LengthPrefix.U16) { }

    /// <summary>Uses the given length prefix.</summary>
    /// <param name="prefix">The integer encoding of the length.</param>
    public LengthPrefixedAttribute(LengthPrefix prefix) => Prefix = prefix;

    /// <summary>The integer encoding of the length.</summary>
    public LengthPrefix Prefix { get; }
}

/// <summary>
/// Encodes a <c>byte[]</c>, <c>string</c> (UTF-8) or array field with a fixed number of bytes or
/// elements and no prefix. Writing a value of another length throws.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class FixedLengthAttribute : Attribute
{
    /// <summary>Declares the length.</summary>
    /// <param name="length">The number of bytes (<c>byte[]</c>, <c>string</c>) or elements (other arrays).</param>
    public FixedLengthAttribute(int length) => Length = length;

    /// <summary>The number of bytes or elements.</summary>
    public int Length { get; }
}

/// <summary>
/// Encodes a <c>byte[]</c>, <c>string</c> (UTF-8) or array field as everything up to the end of the
/// message (or of the enclosing TLV value), without a prefix. Only valid on the last field of a
/// message without a TLV extension, or on the last field of a subtype used as a TLV value.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class RestOfMessageAttribute : Attribute
{
}

/// <summary>
/// Encodes a <c>ushort</c>, <c>uint</c> or <c>ulong</c> as a truncated integer (<c>tu16</c>,
/// <c>tu32</c>, <c>tu64</c>: big-endian without leading zero bytes). BOLT #1 allows it only as the
/// last value of a TLV record.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class TruncatedAttribute : Attribute
{
}

/// <summary>Encodes a <c>ulong</c> as a <c>bigsize</c> (1, 3, 5 or 9 bytes, minimal).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class BigSizeAttribute : Attribute
{
}
