using Cln.ProtocolExtensions.Generators.Common;

namespace Cln.ProtocolExtensions.Generators.Messages;

// Equality contract: every model type is a record over strings, numbers, bools, enums,
// EquatableArray<T> and other model records, so that two parses of unchanged source compare equal
// and the incremental pipeline reports Cached/Unchanged. Never put an ISymbol, SyntaxNode,
// Location or Compilation in here.

/// <summary>The wire encoding of one value.</summary>
internal enum WireKind
{
    Byte,
    /// <summary>A <c>bool</c> as one byte, 0 or 1.</summary>
    Bool,
    S8,
    U16,
    S16,
    U32,
    S32,
    U64,
    S64,
    TU16,
    TU32,
    TU64,
    BigSize,
    Sha256,
    Point,
    ShortChannelId,
    ChannelId,
    Signature,
    Bip340Signature,
    SciddirOrPubKey,
    Bytes,
    Utf8,
    Subtype,
    Array,
}

/// <summary>How a variable-length value knows its length.</summary>
internal enum LengthKind
{
    /// <summary>The value has a length of its own (integers, hashes, subtypes...).</summary>
    None,
    Fixed,
    PrefixU8,
    PrefixU16,
    PrefixBigSize,
    /// <summary>Everything up to the end of the message or of the enclosing TLV value.</summary>
    Rest,
}

/// <summary>The encoding of a value.</summary>
/// <param name="Kind">The wire type.</param>
/// <param name="ClrType">The value's C# type, <c>global::</c>-qualified, without nullability.</param>
/// <param name="IsEnum">The C# type is an enum encoded as its underlying integer (<see cref="Kind"/>).</param>
/// <param name="Length">How a variable-length value (bytes, UTF-8, array) knows its length.</param>
/// <param name="FixedLength">The length for <see cref="LengthKind.Fixed"/>.</param>
/// <param name="Element">The element encoding of an array.</param>
/// <param name="FixedLayout">For a subtype whose fields all have a fixed size (integers, short_channel_id,
/// channel_id), the subtype's own model, so that arrays of it are sized, read and written in one piece.</param>
/// <param name="IsReference">The C# type is a reference type, so a value can be <see langword="null"/> although the
/// wire has no way to say so; writing checks it.</param>
internal sealed record WireTypeSpec(
    WireKind Kind,
    string ClrType,
    bool IsEnum,
    LengthKind Length,
    int FixedLength,
    WireTypeSpec? Element,
    MessageSpec? FixedLayout = null,
    bool IsReference = false);

/// <summary>A fixed (always present) field, in wire order.</summary>
/// <param name="Name">The C# property name.</param>
/// <param name="Type">Its encoding.</param>
/// <param name="IsParameter">The field is a positional parameter of the record's primary constructor.</param>
internal sealed record FieldSpec(string Name, WireTypeSpec Type, bool IsParameter);

/// <summary>An optional record of the TLV extension.</summary>
/// <param name="Name">The C# property name.</param>
/// <param name="TlvType">The record type.</param>
/// <param name="Value">The encoding of the record's value.</param>
/// <param name="IsParameter">The record is a positional parameter of the primary constructor.</param>
internal sealed record TlvSpec(string Name, ulong TlvType, WireTypeSpec Value, bool IsParameter);

/// <summary>How a generated <c>PrintMembers</c> prints a member.</summary>
internal enum PrintKind
{
    /// <summary>Its own <c>ToString</c>, as the compiler prints it.</summary>
    Value,
    /// <summary>A <c>byte[]</c>, as lowercase hex.</summary>
    Bytes,
    /// <summary>Another array, as its elements in brackets.</summary>
    Sequence,
}

/// <summary>A member printed by <c>ToString</c>.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Kind">How it is printed.</param>
internal sealed record PrintedMember(string Name, PrintKind Kind);

/// <summary>A type that contains the message type, outermost first.</summary>
/// <param name="Keyword">The declaration keywords, e.g. <c>record struct</c>.</param>
/// <param name="Name">The type's name.</param>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>A message or subtype the generator writes code for.</summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Name">The type's name.</param>
/// <param name="FullName">The <c>global::</c>-qualified name.</param>
/// <param name="Keyword">The declaration keywords: <c>record</c> or <c>record struct</c>.</param>
/// <param name="IsValueType">A record struct.</param>
/// <param name="IsSealed">A sealed record class.</param>
/// <param name="ContainingTypes">The containing types, outermost first.</param>
/// <param name="MessageType">The message type, or -1 for a subtype.</param>
/// <param name="Fields">Fixed fields in wire order.</param>
/// <param name="Tlvs">TLV records in increasing type order.</param>
/// <param name="HasTlvExtension">The message ends with a TLV stream (declared [Tlv] records and kept unknown odd ones):
/// every message, unless its last field reads to the end of the message.</param>
/// <param name="HasTypeMember">The type declares a member named <c>Type</c> (e.g. a field), so the static
/// <c>ICustomMessage&lt;T&gt;.Type</c> is implemented explicitly.</param>
/// <param name="HasUserEquality">The type declares its own <c>Equals(T)</c> or <c>GetHashCode()</c>, so none is generated.</param>
/// <param name="PrintedMembers">The members the record's <c>ToString</c> prints (public instance fields and readable
/// properties the user declared, in declaration order), or <see langword="null"/> when no <c>PrintMembers</c> is
/// generated (a user-declared <c>PrintMembers</c>, a record deriving from another record, or a subtype without
/// arrays, for which the compiler's is right).</param>
/// <param name="Parameters">The primary constructor's parameters in order: the names of wire members, or an
/// empty string for a <c>[WireIgnore]</c> parameter, which decoding passes as <c>default</c>.</param>
/// <param name="HasIgnoredMembers">The type has <c>[WireIgnore]</c> members, so equality is generated even where the
/// compiler's would do: it compares what goes on the wire.</param>
internal sealed record MessageSpec(
    string Namespace,
    string Name,
    string FullName,
    string Keyword,
    bool IsValueType,
    bool IsSealed,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    int MessageType,
    EquatableArray<FieldSpec> Fields,
    EquatableArray<TlvSpec> Tlvs,
    bool HasTlvExtension,
    bool HasTypeMember,
    bool HasUserEquality,
    EquatableArray<PrintedMember>? PrintedMembers,
    EquatableArray<string> Parameters,
    bool HasIgnoredMembers)
{
    public bool IsSubtype => MessageType < 0;
}
