using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>One descriptor per diagnostic ID; messages name the symbol involved.</summary>
internal static class Descriptors
{
    private const string Declaration = "Cln.ProtocolExtensions.Declaration";
    private const string Encoding = "Cln.ProtocolExtensions.Encoding";
    private const string Numbering = "Cln.ProtocolExtensions.MessageType";

    private static string HelpLink(string id) =>
        "https://github.com/cln-protocolextensions/Cln.ProtocolExtensions/blob/main/docs/diagnostics/" + id + ".md";

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, params string[] tags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id), customTags: tags);

    public static readonly DiagnosticDescriptor NotPartial = Create(
        DiagnosticIds.NotPartial, "Message type must be partial",
        "'{0}' must be declared partial so that its serializer can be generated", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor Generic = Create(
        DiagnosticIds.Generic, "Message type must not be generic",
        "'{0}' is generic or nested in a generic type; wire messages and subtypes must be non-generic", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotRecord = Create(
        DiagnosticIds.NotRecord, "Message type must be a record",
        "'{0}' must be a record or a record struct", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Create(
        DiagnosticIds.ContainingTypeNotPartial, "Containing type must be partial",
        "'{0}' contains the wire type '{1}' and must be declared partial", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DerivedRecord = Create(
        DiagnosticIds.DerivedRecord, "Message type must not derive from another record",
        "'{0}' derives from '{1}'; wire messages and subtypes cannot inherit fields", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MessageAndSubtype = Create(
        DiagnosticIds.MessageAndSubtype, "Type is both a message and a subtype",
        "'{0}' is marked both [CustomMessage] and [WireSubtype]; choose one", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ContractMismatch = Create(
        DiagnosticIds.ContractMismatch, "SDK and generator versions do not match",
        "'{0}' gets no generated code: the referenced Cln.ProtocolExtensions SDK has generated-code contract {1}, but its generator writes code for contract {2}; reference one version of the Cln.ProtocolExtensions package (the generator ships inside it) instead of mixing an SDK and a generator from different versions", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedMemberType = Create(
        DiagnosticIds.UnsupportedMemberType, "Member type has no wire encoding",
        "'{0}' has type '{1}', which has no wire encoding (use an integer, enum, byte[], string, a Wire value type, a [WireSubtype] record or an array of them)", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MissingLengthRule = Create(
        DiagnosticIds.MissingLengthRule, "Variable-length field needs a length rule",
        "'{0}' has a variable length; add [LengthPrefixed], [FixedLength(n)] or [RestOfMessage]", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MisplacedTruncated = Create(
        DiagnosticIds.MisplacedTruncated, "Truncated integer must be the last value of a TLV record",
        "'{0}' is a truncated integer, which BOLT #1 allows only as the last value of a TLV record", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DuplicateTlvType = Create(
        DiagnosticIds.DuplicateTlvType, "TLV type used twice",
        "TLV type {1} of '{0}' is already used by '{2}'", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor FieldAfterTlv = Create(
        DiagnosticIds.FieldAfterTlv, "Fixed field after the TLV extension",
        "'{0}' is a fixed field declared after the TLV record '{1}'; the TLV extension must come last", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor TlvNotNullable = Create(
        DiagnosticIds.TlvNotNullable, "TLV record must be nullable",
        "'{0}' is a TLV record and must have a nullable type (null means absent)", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MisplacedRestOfMessage = Create(
        DiagnosticIds.MisplacedRestOfMessage, "Rest-of-message value is not last",
        "'{0}' reads to the end of the message, so it must be the last field, with no TLV extension after it (or the value of a TLV record)", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidEncodingAttribute = Create(
        DiagnosticIds.InvalidEncodingAttribute, "Encoding attribute does not apply",
        "[{1}] does not apply to '{0}' of type '{2}'", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor TlvInSubtype = Create(
        DiagnosticIds.TlvInSubtype, "Subtypes have no TLV extension",
        "'{0}' is a TLV record, but only messages have a TLV extension", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ReservedMemberName = Create(
        DiagnosticIds.ReservedMemberName, "Member name is used by the generated code",
        "'{0}' declares '{1}', a name the generated serializer uses; rename the member", Declaration, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ArrayOfVariableSize = Create(
        DiagnosticIds.ArrayOfVariableSize, "Array elements have no length of their own",
        "'{0}' is an array of '{1}', whose elements have a variable length and no length of their own; declare a [WireSubtype] record with one [LengthPrefixed] '{1}' field and use an array of that record", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor FixedLengthTooSmall = Create(
        DiagnosticIds.FixedLengthTooSmall, "Fixed length must be at least 1",
        "[FixedLength({1})] on '{0}': a fixed length must be at least 1", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NullableNotTlv = Create(
        DiagnosticIds.NullableNotTlv, "Only a TLV record can be absent",
        "'{0}' has the nullable type '{1}', but only a TLV record can be absent; add [Tlv(n)] to make it an optional record of the TLV extension, or make the type non-nullable", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RecordNotSubtype = Create(
        DiagnosticIds.RecordNotSubtype, "Record is not a wire subtype",
        "'{0}' has type '{1}', a record without [WireSubtype]; mark '{1}' [WireSubtype] and partial to encode its fields inline", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor IgnoredWithWireAttribute = Create(
        DiagnosticIds.IgnoredWithWireAttribute, "Ignored member has a wire attribute",
        "'{0}' is [WireIgnore], so [{1}] has no effect; remove one of them", Encoding, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ReservedType = Create(
        DiagnosticIds.ReservedType, "Message type is taken by the Lightning protocol",
        "Message type {1} of '{0}' is '{2}', defined by {3}; Core Lightning handles it itself and never delivers it to plugins", Numbering, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor BlipRegisteredType = Create(
        DiagnosticIds.BlipRegisteredType, "Message type is registered in bLIP-0002",
        "Message type {1} of '{0}' is registered in bLIP-0002 as '{2}' ({3}); pick another type, or set ImplementsRegisteredProtocol = true if this message implements that protocol", Numbering, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor BelowCustomRange = Create(
        DiagnosticIds.BelowCustomRange, "Message type is below the custom range",
        "Message type {1} of '{0}' is below 32768; BOLT #1 reserves 0..32767 for the specification, custom messages use 32768..65535", Numbering, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor EvenType = Create(
        DiagnosticIds.EvenType, "Message type is even",
        "Message type {1} of '{0}' is even: a peer that does not know it disconnects (BOLT #1 'it's ok to be odd'); the plugin runtime registers it in custommessages so your node accepts it. Use an odd type, or set AllowEven = true", Numbering, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DuplicateMessageType = Create(
        DiagnosticIds.DuplicateMessageType, "Message type used twice",
        "Message type {1} of '{0}' is also used by '{2}'", Numbering, DiagnosticSeverity.Error, WellKnownDiagnosticTags.CompilationEnd);
}
