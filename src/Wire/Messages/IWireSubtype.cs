using System.Diagnostics.CodeAnalysis;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions;

/// <summary>
/// A group of fields without a message type (a BOLT "subtype"), read and written as part of a message.
/// Implemented by the source generator for every type marked with <see cref="WireSubtypeAttribute"/>.
/// </summary>
/// <typeparam name="TSelf">The subtype itself.</typeparam>
public interface IWireSubtype<TSelf>
    where TSelf : IWireSubtype<TSelf>
{
    /// <summary>The number of bytes <see cref="WriteTo"/> writes.</summary>
    int GetWireLength();

    /// <summary>Writes the fields in wire order.</summary>
    /// <param name="writer">The writer, advanced past the fields.</param>
    void WriteTo(ref SpanWireWriter writer);

    /// <summary>Reads the fields in wire order. Never throws for malformed input.</summary>
    /// <param name="reader">The reader, advanced past the fields; on failure its <see cref="WireReader.Error"/> says why.</param>
    /// <param name="value">The value read when the method returns <see langword="true"/>.</param>
    static abstract bool TryReadFrom(ref WireReader reader, [MaybeNullWhen(false)] out TSelf value);
}
