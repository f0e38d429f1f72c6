using System.Diagnostics.CodeAnalysis;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions;

/// <summary>Decodes a whole message (type prefix included) without knowing its C# type at compile time.</summary>
/// <param name="message">The message bytes, type prefix included.</param>
/// <param name="value">The decoded message when the delegate returns <see langword="true"/>.</param>
/// <param name="error">Why decoding failed, when it returns <see langword="false"/>.</param>
/// <returns>Whether the bytes are a valid message.</returns>
public delegate bool CustomMessageDecoder(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out ICustomMessage value, out WireError error);

/// <summary>
/// Describes one generated custom message: its type number, C# type and a decoder that needs no type
/// argument. For code that handles messages whose C# type it does not know at compile time (a log of
/// every message a plugin understands, a tool that decodes recorded traffic): build the list it needs
/// with <see cref="Create{TMessage}"/>. A plugin's handlers do not need it: <c>HandleMessage&lt;T&gt;</c>
/// dispatches on <c>T.Type</c>.
/// </summary>
public sealed class CustomMessageDescriptor
{
    private CustomMessageDescriptor(ushort type, Type clrType, string name, CustomMessageDecoder decoder)
    {
        Type = type;
        ClrType = clrType;
        Name = name;
        Decoder = decoder;
    }

    /// <summary>The BOLT #1 message type.</summary>
    public ushort Type { get; }

    /// <summary>The C# type of the message.</summary>
    public Type ClrType { get; }

    /// <summary>The message's full C# name, without <c>global::</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the type is even: peers that do not know it disconnect, so the runtime announces it in <c>custommessages</c>.</summary>
    public bool IsEven => (Type & 1) == 0;

    /// <summary>Decodes a message of this type (type prefix included). Never throws for malformed input.</summary>
    public CustomMessageDecoder Decoder { get; }

    /// <summary>Decodes a message of this type (type prefix included). Never throws for malformed input.</summary>
    /// <param name="message">The message bytes, type prefix included.</param>
    /// <param name="value">The decoded message when the method returns <see langword="true"/>.</param>
    /// <param name="error">Why decoding failed, when it returns <see langword="false"/>.</param>
    public bool TryDecode(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out ICustomMessage value, out WireError error) =>
        Decoder(message, out value, out error);

    /// <summary>Describes a generated message type.</summary>
    /// <typeparam name="TMessage">The message type.</typeparam>
    /// <param name="name">The message's full C# name.</param>
    public static CustomMessageDescriptor Create<TMessage>(string name)
        where TMessage : ICustomMessage<TMessage>
    {
        ArgumentNullException.ThrowIfNull(name);
        return new CustomMessageDescriptor(TMessage.Type, typeof(TMessage), name, Decode<TMessage>);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Type})";

    private static bool Decode<TMessage>(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out ICustomMessage value, out WireError error)
        where TMessage : ICustomMessage<TMessage>
    {
        if (TMessage.TryRead(message, out TMessage? decoded, out error))
        {
            value = decoded;
            return true;
        }

        value = null;
        return false;
    }
}
