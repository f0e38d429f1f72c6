namespace Cln.ProtocolExtensions;

/// <summary>
/// Declares a <c>partial record</c> (or <c>partial record struct</c>) as a wire subtype: a group of
/// fields without a message type, used as a field of a message, as an element of an array or as the
/// value of a TLV record. The source generator writes its reader and writer.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class WireSubtypeAttribute : Attribute
{
}
