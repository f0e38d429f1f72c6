using Cln.ProtocolExtensions.Generated.Tests.Rules;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary><c>bool</c> as a byte that is exactly 0 or 1, and <c>[WireIgnore]</c> members.</summary>
public class BoolAndIgnoredTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Bools_are_one_byte_each_wherever_they_are()
    {
        var flags = new Flags(true, default, [true, false, true]) { Verbose = false };

        // type 8051, enabled 01, u8 count 03 + 01 00 01, TLV 1 of length 1: 00
        Assert.Equal("8051" + "01" + "03010001" + "010100", Convert.ToHexStringLower(flags.ToArray()));
        Assert.Equal(flags, Flags.Read(flags.ToArray()));
        Assert.Equal(flags.GetEncodedLength(), flags.ToArray().Length);
    }

    [Theory]
    [InlineData("8051" + "02" + "00", 2)]
    [InlineData("8051" + "ff" + "00", 2)]
    [InlineData("8051" + "00" + "02" + "0105", 5)]
    [InlineData("8051" + "00" + "00" + "010102", 6)]
    public void A_bool_byte_other_than_0_or_1_is_an_invalid_value_at_its_offset(string hex, int offset)
    {
        Assert.False(Flags.TryRead(Convert.FromHexString(hex), out _, out WireError error));
        Assert.Equal(WireErrorKind.InvalidValue, error.Kind);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void A_bool_tlv_value_must_be_exactly_one_byte()
    {
        Assert.False(Flags.TryRead(Convert.FromHexString("8051" + "00" + "00" + "0100"), out _, out WireError empty));
        Assert.Equal(WireErrorKind.BadLength, empty.Kind);
        Assert.False(Flags.TryRead(Convert.FromHexString("8051" + "00" + "00" + "01020100"), out _, out WireError longer));
        Assert.Equal(WireErrorKind.BadLength, longer.Kind);
    }

    [Fact]
    public void Ignored_members_are_not_written()
    {
        var plain = new Flags(false, default, []);
        var stamped = new Flags(false, Noon, []) { ReceivedAt = Noon };

        Assert.Equal(plain.ToArray(), stamped.ToArray());
        Assert.Equal(plain.GetEncodedLength(), stamped.GetEncodedLength());
    }

    [Fact]
    public void Decoding_leaves_ignored_members_at_their_defaults()
    {
        Flags decoded = Flags.Read(new Flags(true, Noon, [true]) { ReceivedAt = Noon }.ToArray());

        Assert.Equal(default, decoded.Seen);
        Assert.Equal(default, decoded.ReceivedAt);
        Assert.True(decoded.Enabled);
    }

    [Fact]
    public void Equality_compares_what_is_on_the_wire_so_a_decoded_message_equals_the_sent_one()
    {
        var sent = new Flags(true, Noon, [true, false]) { ReceivedAt = Noon };
        Flags received = Flags.Read(sent.ToArray()) with { ReceivedAt = Noon.AddSeconds(1) };

        Assert.Equal(sent, received);
        Assert.Equal(sent.GetHashCode(), received.GetHashCode());
        Assert.NotEqual(sent, received with { Bits = [true, true] });
    }
}
