namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>The IDs of the diagnostics about custom messages (1xxx shape, 2xxx members, 3xxx type numbers).</summary>
public static class DiagnosticIds
{
    /// <summary>A message or subtype is not declared <c>partial</c>.</summary>
    public const string NotPartial = "CLNX1001";

    /// <summary>A message or subtype is generic or nested in a generic type.</summary>
    public const string Generic = "CLNX1002";

    /// <summary>A message or subtype is not a record or record struct.</summary>
    public const string NotRecord = "CLNX1003";

    /// <summary>A containing type of a message or subtype is not <c>partial</c>.</summary>
    public const string ContainingTypeNotPartial = "CLNX1004";

    /// <summary>A message or subtype derives from another record.</summary>
    public const string DerivedRecord = "CLNX1005";

    /// <summary>A type is marked both as a message and as a subtype.</summary>
    public const string MessageAndSubtype = "CLNX1006";

    /// <summary>The referenced SDK's generated-code contract is not the one this generator writes code for.</summary>
    public const string ContractMismatch = "CLNX1007";

    /// <summary>A member's C# type has no wire encoding.</summary>
    public const string UnsupportedMemberType = "CLNX2001";

    /// <summary>A variable-length field has no length rule.</summary>
    public const string MissingLengthRule = "CLNX2002";

    /// <summary>A truncated integer is not the last value of a TLV record.</summary>
    public const string MisplacedTruncated = "CLNX2003";

    /// <summary>Two TLV records of one message have the same type.</summary>
    public const string DuplicateTlvType = "CLNX2004";

    /// <summary>A fixed field is declared after a TLV record.</summary>
    public const string FieldAfterTlv = "CLNX2005";

    /// <summary>A TLV record's C# type is not nullable.</summary>
    public const string TlvNotNullable = "CLNX2006";

    /// <summary>A rest-of-message value is not last, or is followed by a TLV extension.</summary>
    public const string MisplacedRestOfMessage = "CLNX2007";

    /// <summary>An encoding attribute does not apply to the member's C# type, or conflicts with another.</summary>
    public const string InvalidEncodingAttribute = "CLNX2008";

    /// <summary>A subtype declares a TLV record.</summary>
    public const string TlvInSubtype = "CLNX2009";

    /// <summary>A member's name is taken by a generated member.</summary>
    public const string ReservedMemberName = "CLNX2010";

    /// <summary>An array's elements are variable-size values (strings, byte arrays, arrays) with no length of their own.</summary>
    public const string ArrayOfVariableSize = "CLNX2011";

    /// <summary>A <c>[FixedLength(n)]</c> length is below 1.</summary>
    public const string FixedLengthTooSmall = "CLNX2012";

    /// <summary>A nullable member is not a TLV record.</summary>
    public const string NullableNotTlv = "CLNX2013";

    /// <summary>A member's type is a record that is not marked <c>[WireSubtype]</c>.</summary>
    public const string RecordNotSubtype = "CLNX2014";

    /// <summary>A <c>[WireIgnore]</c> member also carries a wire attribute.</summary>
    public const string IgnoredWithWireAttribute = "CLNX2015";

    /// <summary>The message type is defined by the BOLTs or by a released Core Lightning version.</summary>
    public const string ReservedType = "CLNX3001";

    /// <summary>The message type is registered in bLIP-0002 by another protocol.</summary>
    public const string BlipRegisteredType = "CLNX3002";

    /// <summary>The message type is below the custom range 32768..65535.</summary>
    public const string BelowCustomRange = "CLNX3003";

    /// <summary>The message type is even.</summary>
    public const string EvenType = "CLNX3004";

    /// <summary>Two messages in one compilation have the same type.</summary>
    public const string DuplicateMessageType = "CLNX3005";
}
