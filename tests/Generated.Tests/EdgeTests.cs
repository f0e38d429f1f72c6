using Cln.ProtocolExtensions.Generated.Tests.Edge;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Generated.Tests;

public class EdgeTests
{
    private static ushort TypeOf<T>()
        where T : ICustomMessage<T> => T.Type;

    [Fact]
    public void A_field_named_Type_keeps_its_name_and_the_message_type_stays_reachable()
    {
        var typed = new Typed(7, 9);
        Assert.Equal(7, typed.Type);
        Assert.Equal((ushort)0x8031, typed.MessageType);
        Assert.Equal((ushort)0x8031, TypeOf<Typed>());
        Assert.Equal("8031" + "07" + "0009", Convert.ToHexStringLower(RoundTripTests.AssertRoundTrip(typed)));
    }

    [Fact]
    public void Record_struct_with_tlv_extension_keeps_unknown_records()
    {
        byte[] input = Convert.FromHexString("8033" + "0001" + "010400000002" + "03020161" + "0500");
        StructWithTlv message = StructWithTlv.Read(input);
        Assert.Equal(2u, message.Extra);
        Assert.Equal("a", message.Label);
        Assert.Equal([new TlvRecord(5, ReadOnlyMemory<byte>.Empty)], message.UnknownTlvs);
        Assert.Equal(input, message.ToArray());
        RoundTripTests.AssertRoundTrip(message);
        RoundTripTests.AssertRoundTrip(default(StructWithTlv));
        Assert.Empty(default(StructWithTlv).UnknownTlvs);
    }

    [Fact]
    public void A_tlv_value_with_a_length_prefix_must_fill_the_record()
    {
        // Label's u8 prefix says 1 byte but the record holds 2 after it: the value is longer than its encoding.
        Assert.False(StructWithTlv.TryRead(Convert.FromHexString("8033" + "0001" + "0303016162"), out _, out WireError error));
        Assert.Equal(WireErrorKind.BadLength, error.Kind);
    }

    [Fact]
    public void A_user_declared_equality_is_kept()
    {
        Assert.Equal(new OwnEquality(1, [1]), new OwnEquality(1, [2]));
        Assert.NotEqual(new OwnEquality(1, [1]), new OwnEquality(2, [1]));
        var message = new OwnEquality(3, [4, 5]);
        Assert.Equal(message.ToArray(), OwnEquality.Read(message.ToArray()).ToArray());
    }
}
