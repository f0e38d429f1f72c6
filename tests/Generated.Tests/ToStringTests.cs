using Cln.ProtocolExtensions.Generated.Tests.Printing;
using Cln.ProtocolExtensions.Generated.Tests.Rules;
using Cln.ProtocolExtensions.Wire;
using Deep.Name.Space.Levels;
using NBitcoin;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>The generated PrintMembers: the user's members, no MessageType, kept TLV records only when there are some.</summary>
public class ToStringTests
{
    [Fact]
    public void A_message_prints_its_fields_and_tlvs_in_declaration_order_without_MessageType_or_empty_UnknownTlvs()
    {
        var ping = new Ping(3, [1, 2]) { Nonce = 42 };

        Assert.Equal("Ping { NumPongBytes = 3, Ignored = 0102, Nonce = 42 }", ping.ToString());
    }

    [Fact]
    public void Kept_unknown_tlv_records_are_printed_with_their_type_and_hex_value()
    {
        var ping = new Ping(3, []) { UnknownTlvs = [new TlvRecord(3, new byte[] { 0x2a }), new TlvRecord(5, new byte[] { 0xbe, 0xef })] };

        Assert.Equal("Ping { NumPongBytes = 3, Ignored = , Nonce = , UnknownTlvs = [tlv 3: 2a, tlv 5: beef] }", ping.ToString());
    }

    [Fact]
    public void A_message_without_members_prints_empty_braces_or_only_its_kept_records()
    {
        Assert.Equal("Empty { }", new Empty().ToString());
        Assert.Equal("Empty { UnknownTlvs = [tlv 1: 00] }", new Empty { UnknownTlvs = [new TlvRecord(1, new byte[] { 0 })] }.ToString());
    }

    [Fact]
    public void Public_properties_that_are_not_on_the_wire_are_printed_like_the_compiler_would()
    {
        Assert.Equal("BodyOnly { Value = 7, Computed = v7 }", new BodyOnly { Value = 7 }.ToString());
    }

    [Fact]
    public void A_record_struct_message_prints_the_same_way()
    {
        var nested = new Outer.Inner.Nested(5, [9]);

        Assert.Equal("Nested { Value = 5, Rest = 09 }", nested.ToString());
    }

    [Fact]
    public void Arrays_print_their_contents_as_Equals_compares_them()
    {
        var value = new Collections(
            Status.Ok,
            new Payment(1, 2, Color.Red),
            [new Route("r", [new Payment(3, 4, Color.Green)])],
            [7, 8],
            [0xde, 0xad, 0xbe, 0xef],
            "note",
            [uint256.One]);

        Assert.Equal(
            "Collections { Status = Ok, Main = Payment { AmountMsat = 1, CltvExpiry = 2, Color = Red }, "
            + "Routes = [Route { Label = r, Hops = [Payment { AmountMsat = 3, CltvExpiry = 4, Color = Green }] }], Pair = [7, 8], Magic = deadbeef, Note = note, "
            + "Tail = [0000000000000000000000000000000000000000000000000000000000000001] }",
            value.ToString());
    }

    [Fact]
    public void Bool_arrays_print_their_elements_and_ignored_members_are_printed()
    {
        var flags = new Flags(true, default, [true, false]) { Verbose = false };

        Assert.Equal(
            "Flags { Enabled = True, Seen = " + default(DateTimeOffset) + ", Bits = [True, False], Verbose = False, ReceivedAt = " + default(DateTimeOffset) + " }",
            flags.ToString());
    }

    [Fact]
    public void A_user_declared_PrintMembers_wins()
    {
        Assert.Equal("OwnPrint { Secret = *** }", new OwnPrint(1234).ToString());
    }
}
