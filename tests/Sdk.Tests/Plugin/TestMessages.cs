using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Plugin;

// Hand-written ICustomMessage<T> implementations: the runtime's tests stay independent of the source
// generator (tests/Generated.Tests and tests/Samples.Tests drive generated messages through the same
// runtime), and Byte8003 has an exact shape with no TLV extension, which generated messages always allow.

/// <summary>Type 0x8001 with an opaque body: decodes anything of the right type.</summary>
public sealed record Blob8001(byte[] Body) : ICustomMessage<Blob8001>
{
    public static ushort Type => 0x8001;

    public ushort MessageType => Type;

    public int GetEncodedLength() => 2 + Body.Length;

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Type);
        Body.CopyTo(destination[2..]);
        return 2 + Body.Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out Blob8001 value, out WireError error)
    {
        if (message.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(message) != Type)
        {
            value = null;
            error = new WireError(message.Length < 2 ? WireErrorKind.ShortRead : WireErrorKind.UnexpectedType, 0);
            return false;
        }

        value = new Blob8001(message[2..].ToArray());
        error = default;
        return true;
    }

    public static Blob8001 Read(ReadOnlySpan<byte> message) =>
        TryRead(message, out var value, out var error) ? value : throw error.ToException();
}

/// <summary>Type 0x8003 with exactly one u8 field: anything else fails to decode.</summary>
public sealed record Byte8003(byte Value) : ICustomMessage<Byte8003>
{
    public static ushort Type => 0x8003;

    public ushort MessageType => Type;

    public int GetEncodedLength() => 3;

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Type);
        destination[2] = Value;
        return 3;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out Byte8003 value, out WireError error)
    {
        value = null;
        if (message.Length < 3)
        {
            error = new WireError(WireErrorKind.ShortRead, message.Length, "value");
            return false;
        }

        if (message.Length > 3)
        {
            error = new WireError(WireErrorKind.TrailingBytes, 3);
            return false;
        }

        value = new Byte8003(message[2]);
        error = default;
        return true;
    }

    public static Byte8003 Read(ReadOnlySpan<byte> message) =>
        TryRead(message, out var value, out var error) ? value : throw error.ToException();
}

/// <summary>Even type 0x8000 (needs custommessages), opaque body.</summary>
public sealed record Even8000(byte[] Body) : ICustomMessage<Even8000>
{
    public static ushort Type => 0x8000;

    public ushort MessageType => Type;

    public int GetEncodedLength() => 2 + Body.Length;

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Type);
        Body.CopyTo(destination[2..]);
        return 2 + Body.Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out Even8000 value, out WireError error)
    {
        if (message.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(message) != Type)
        {
            value = null;
            error = new WireError(WireErrorKind.UnexpectedType, 0);
            return false;
        }

        value = new Even8000(message[2..].ToArray());
        error = default;
        return true;
    }

    public static Even8000 Read(ReadOnlySpan<byte> message) =>
        TryRead(message, out var value, out var error) ? value : throw error.ToException();
}
