using System.Diagnostics.CodeAnalysis;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions;

/// <summary>
/// A peer-to-peer message of a custom protocol, as a BOLT #1 message: a 2-byte big-endian type
/// followed by its body. Implemented by the source generator for every type marked with
/// <see cref="CustomMessageAttribute"/>; you do not implement it by hand.
/// </summary>
public interface ICustomMessage
{
    /// <summary>The message's BOLT #1 type number.</summary>
    ushort MessageType { get; }

    /// <summary>The exact number of bytes <see cref="WriteTo(Span{byte})"/> writes, the 2-byte type included.</summary>
    int GetEncodedLength();

    /// <summary>Writes the whole message (type prefix, fields, TLV extension) into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written, always <see cref="GetEncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetEncodedLength"/>.</exception>
    int WriteTo(Span<byte> destination);
}

/// <summary>
/// The static side of a generated custom message: its type constant and decoders. Lets the runtime
/// dispatch to typed handlers without reflection.
/// </summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
public interface ICustomMessage<TSelf> : ICustomMessage
    where TSelf : ICustomMessage<TSelf>
{
    /// <summary>The message's BOLT #1 type number.</summary>
    static abstract ushort Type { get; }

    /// <summary>
    /// Decodes a whole message (2-byte type prefix included, as in CLN's <c>custommsg</c> payload).
    /// Never throws for malformed input.
    /// </summary>
    /// <param name="message">The message bytes, type prefix included.</param>
    /// <param name="value">The decoded message when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why decoding failed, with the byte offset, when it returns <see langword="false"/>.</param>
    static abstract bool TryRead(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out TSelf value, out WireError error);

    /// <summary>Decodes a whole message (2-byte type prefix included).</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid encoding of this message.</exception>
    static abstract TSelf Read(ReadOnlySpan<byte> message);
}
