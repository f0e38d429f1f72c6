namespace Cln.ProtocolExtensions;

/// <summary>
/// Declares a <c>partial record</c> (or <c>partial record struct</c>) as a custom peer message with
/// the given BOLT #1 type number. The source generator writes its serializer, and the analyzer checks
/// the type number against the BOLTs, Core Lightning and bLIP-0002 at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class CustomMessageAttribute : Attribute
{
    /// <summary>Declares the message type.</summary>
    /// <param name="type">The BOLT #1 message type, normally odd and in the custom range 32768..65535.</param>
    public CustomMessageAttribute(ushort type) => Type = type;

    /// <summary>The BOLT #1 message type.</summary>
    public ushort Type { get; }
}
