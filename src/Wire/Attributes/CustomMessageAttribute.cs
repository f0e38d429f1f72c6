namespace Cln.ProtocolExtensions;

/// <summary>
/// Declares a <c>partial record</c> (or <c>partial record struct</c>) as a custom peer message with
/// the given BOLT #1 type number. The source generator writes its serializer, and the analyzer checks
/// the type number against the BOLTs, Core Lightning and bLIP-0002 at compile time.
/// </summary>
/// <remarks>
/// Fields are the record's positional parameters, then its settable instance properties, in
/// declaration order. Nullable properties marked with <see cref="TlvAttribute"/> form the optional
/// TLV extension after the fixed fields.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class CustomMessageAttribute : Attribute
{
    /// <summary>Declares the message type.</summary>
    /// <param name="type">The BOLT #1 message type, normally odd and in the custom range 32768..65535.</param>
    public CustomMessageAttribute(ushort type) => Type = type;

    /// <summary>The BOLT #1 message type.</summary>
    public ushort Type { get; }

    /// <summary>
    /// Confirms that an even type is intended. Peers that do not know an even message disconnect
    /// (BOLT #1 "it's ok to be odd"); the plugin runtime announces the type in the manifest's
    /// <c>custommessages</c> so that your own node accepts it. Setting this silences warning CLNX3004.
    /// </summary>
    public bool AllowEven { get; set; }

    /// <summary>
    /// Confirms that this message implements the protocol that registered its type in bLIP-0002
    /// (for example 37913 for LSPS0). Setting this silences warning CLNX3002.
    /// </summary>
    public bool ImplementsRegisteredProtocol { get; set; }
}
