namespace Cln.ProtocolExtensions;

/// <summary>
/// Makes a nullable property (or positional parameter) an optional record of the message's TLV
/// extension. <see langword="null"/> means the record is absent. Records are written in increasing
/// type order; unknown odd records read from the network are kept and written back unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class TlvAttribute : Attribute
{
    /// <summary>Declares the TLV record type.</summary>
    /// <param name="type">The record type, unique within the message. Odd types may be ignored by readers
    /// that do not know them; even types make such readers reject the message.</param>
    public TlvAttribute(ulong type) => Type = type;

    /// <summary>The TLV record type.</summary>
    public ulong Type { get; }
}
