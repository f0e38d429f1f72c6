using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>
/// A custom message implemented by hand the way the generator does it: fixed fields, then a TLV
/// extension with one known record and kept unknown odd records.
/// </summary>
internal sealed class HandWrittenMessage : ICustomMessage<HandWrittenMessage>
{
    public const ushort TypeNumber = 0x8003;

    public static ushort Type => TypeNumber;

    public ushort MessageType => TypeNumber;

    public ulong Id { get; init; }

    public byte[] Data { get; init; } = [];

    public ulong? Amount { get; init; }

    public List<TlvRecord> Unknown { get; init; } = [];

    public int GetEncodedLength() =>
        WireMessage.TypeLength + WireSize.U64 + WireSize.U16 + Data.Length
        + (Amount is { } a ? WireSize.Tlv(1, WireSize.TU64(a)) : 0) + WireSize.Tlv(Unknown);

    public int WriteTo(Span<byte> destination)
    {
        var w = new SpanWireWriter(destination);
        w.WriteU16(TypeNumber);
        w.WriteU64(Id);
        w.WriteU16PrefixedBytes(Data);
        int next = 0;
        w.WriteTlvRecordsBefore(Unknown, ref next, 1);
        if (Amount is { } a)
        {
            w.WriteTlvHeader(1, WireSize.TU64(a));
            w.WriteTU64(a);
        }

        w.WriteRemainingTlvRecords(Unknown, ref next);
        return w.Written;
    }

    public static bool TryRead(ReadOnlySpan<byte> message, [MaybeNullWhen(false)] out HandWrittenMessage value, out WireError error)
    {
        value = null;
        if (!WireMessage.TryReadHeader(message, TypeNumber, out WireReader r, out error))
        {
            return false;
        }

        if (!r.TryReadU64(out ulong id) || !r.TryReadU16PrefixedBytes(out ReadOnlySpan<byte> data))
        {
            error = r.Error;
            return false;
        }

        ulong? amount = null;
        var unknown = new List<TlvRecord>();
        var tlv = new TlvReader(r);
        while (tlv.TryReadNext(out ulong type, out WireReader v))
        {
            if (type == 1)
            {
                if (!v.TryReadTU64(out ulong a) || !v.TryEnsureEnd())
                {
                    error = v.Error;
                    return false;
                }

                amount = a;
            }
            else if (tlv.TryReadUnknown(type, v, out TlvRecord kept))
            {
                unknown.Add(kept);
            }
            else
            {
                break;
            }
        }

        if (tlv.Error.IsError)
        {
            error = tlv.Error;
            return false;
        }

        value = new HandWrittenMessage { Id = id, Data = data.ToArray(), Amount = amount, Unknown = unknown };
        return true;
    }

    public static HandWrittenMessage Read(ReadOnlySpan<byte> message) =>
        TryRead(message, out HandWrittenMessage? value, out WireError error) ? value : throw error.ToException();
}

public class WireMessageTests
{
    [Fact]
    public void MessagesRoundTripWithTheirExtension()
    {
        var message = new HandWrittenMessage { Id = 7, Data = [1, 2, 3], Amount = 1000, Unknown = [new TlvRecord(0x10001, new byte[] { 9 })] };
        byte[] bytes = WireMessage.ToArray(message);
        Assert.Equal("8003" + "0000000000000007" + "0003010203" + "010203e8" + "fe000100010109", Convert.ToHexStringLower(bytes));
        Assert.True(WireMessage.TryPeekType(bytes, out ushort type));
        Assert.Equal(HandWrittenMessage.TypeNumber, type);

        HandWrittenMessage read = HandWrittenMessage.Read(bytes);
        Assert.Equal(message.Id, read.Id);
        Assert.Equal(message.Data, read.Data);
        Assert.Equal(message.Amount, read.Amount);
        Assert.Equal(message.Unknown, read.Unknown);

        var buffer = new ArrayBufferWriter<byte>();
        Assert.Equal(bytes.Length, WireMessage.Write(read, buffer));
        Assert.Equal(bytes, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void TooLargeMessagesAreNotEncoded()
    {
        var message = new HandWrittenMessage { Data = new byte[WireMessage.MaxLength - 12] };
        Assert.Equal(WireMessage.MaxLength, message.GetEncodedLength());
        Assert.Equal(WireMessage.MaxLength, WireMessage.ToArray(message).Length);

        var tooLarge = new HandWrittenMessage { Data = new byte[WireMessage.MaxLength - 11] };
        Assert.Throws<InvalidOperationException>(() => WireMessage.ToArray(tooLarge));
        Assert.Throws<InvalidOperationException>(() => WireMessage.Write(tooLarge, new ArrayBufferWriter<byte>()));
        Assert.False(WireMessage.IsWithinLimit(WireMessage.MaxLength + 1));
    }

    [Fact]
    public void ReadErrorsCarryKindAndAbsoluteOffset()
    {
        // Data length 5 but only 3 bytes follow: short read at offset 12, where the data starts.
        byte[] bytes = Convert.FromHexString("8003" + "0000000000000007" + "0005010203");
        Assert.False(HandWrittenMessage.TryRead(bytes, out _, out WireError error));
        Assert.Equal(WireErrorKind.ShortRead, error.Kind);
        Assert.Equal(12, error.Offset);
        var ex = Assert.Throws<WireFormatException>(() => HandWrittenMessage.Read(bytes));
        Assert.Equal(error, ex.Error);

        Assert.False(WireMessage.TryPeekType([0x80], out _));
        Assert.True(WireMessage.IsOdd(0x8003));
        Assert.False(WireMessage.IsOdd(0x8002));
    }
}
