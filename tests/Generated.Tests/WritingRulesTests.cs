using System.Buffers;
using Cln.ProtocolExtensions.Generated.Tests.Edge;
using Cln.ProtocolExtensions.Generated.Tests.Rules;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>
/// What writing refuses: a null in a field that is always on the wire, and kept TLV records that the
/// decoder would refuse. Each fails with an exception that says which message and which field, before
/// a byte is written (a null array element is found while the array is written).
/// </summary>
public class WritingRulesTests
{
    private static readonly PubKey Key = new(Convert.FromHexString("023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb"));

    private static References Valid() => new(Key, uint256.One, "label", [Key], new Tag("inner"), [new Tag("a")]);

    /// <summary>Every way of writing throws <see cref="InvalidOperationException"/> with the expected text, and (unless said otherwise) before writing a byte.</summary>
    private static void AssertWritingFails(ICustomMessage message, string expected, bool failsBeforeWriting = true)
    {
        var exceptions = new List<InvalidOperationException>();
        byte[] destination = new byte[70_000];
        exceptions.Add(Assert.Throws<InvalidOperationException>(() => message.WriteTo(destination)));
        if (failsBeforeWriting)
        {
            Assert.All(destination, b => Assert.Equal(0, b));
        }

        var buffer = new ArrayBufferWriter<byte>();
        switch (message)
        {
            case Ping ping:
                exceptions.Add(Assert.Throws<InvalidOperationException>(() => ping.ToArray()));
                exceptions.Add(Assert.Throws<InvalidOperationException>(() => ping.WriteTo(buffer)));
                break;
            case References references:
                exceptions.Add(Assert.Throws<InvalidOperationException>(() => references.ToArray()));
                exceptions.Add(Assert.Throws<InvalidOperationException>(() => references.WriteTo(buffer)));
                break;
        }

        Assert.Equal(0, buffer.WrittenCount);
        Assert.All(exceptions, exception => Assert.Contains(expected, exception.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_message_with_every_reference_kind_round_trips()
    {
        References value = Valid();
        Assert.Equal(value, References.Read(value.ToArray()));
    }

    [Fact]
    public void A_null_fixed_field_names_the_message_and_the_field()
    {
        AssertWritingFails(new Ping(1, null!), "Ping.Ignored is null");
        AssertWritingFails(Valid() with { Node = null! }, "References.Node is null");
        AssertWritingFails(Valid() with { Hash = null! }, "References.Hash is null");
        AssertWritingFails(Valid() with { Label = null! }, "References.Label is null");
        AssertWritingFails(Valid() with { Keys = null! }, "References.Keys is null");
        AssertWritingFails(Valid() with { Inner = null! }, "References.Inner is null");
        AssertWritingFails(Valid() with { Tags = null! }, "References.Tags is null");
    }

    [Fact]
    public void A_null_inside_a_subtype_names_the_subtype_and_its_field()
    {
        AssertWritingFails(Valid() with { Inner = new Tag(null!) }, "Tag.Text is null");
        AssertWritingFails(Valid() with { Tags = [new Tag("a"), new Tag(null!)] }, "Tag.Text is null");
    }

    [Fact]
    public void A_null_array_element_names_the_message_and_the_array()
    {
        AssertWritingFails(Valid() with { Keys = [Key, null!] }, "References.Keys holds a null element", failsBeforeWriting: false);
        AssertWritingFails(Valid() with { Tags = [null!] }, "References.Tags holds a null element", failsBeforeWriting: false);
    }

    [Fact]
    public void A_null_tlv_record_is_an_absent_record_not_an_error()
    {
        Assert.Equal(new Ping(1, [2]).ToArray(), new Ping(1, [2]) { Nonce = null }.ToArray());
    }

    [Fact]
    public void A_kept_record_of_an_even_type_fails_writing()
    {
        AssertWritingFails(new Ping(1, []) { UnknownTlvs = [new TlvRecord(3, new byte[] { 1 }), new TlvRecord(4, new byte[] { 2 })] }, "Ping.UnknownTlvs holds TLV type 4, which is even");
        AssertWritingFails(new Ping(1, []) { Nonce = 5, UnknownTlvs = [new TlvRecord(0, Array.Empty<byte>())] }, "Ping.UnknownTlvs holds TLV type 0, which is even");
        Assert.Throws<InvalidOperationException>(() => new Empty { UnknownTlvs = [new TlvRecord(2, Array.Empty<byte>())] }.ToArray());
    }

    [Fact]
    public void A_kept_record_of_a_type_the_message_declares_fails_writing_whether_or_not_the_property_is_set()
    {
        AssertWritingFails(new Ping(1, []) { UnknownTlvs = [new TlvRecord(1, new byte[] { 7 })] }, "Ping.UnknownTlvs holds TLV type 1, which Ping declares itself");
        AssertWritingFails(new Ping(1, []) { Nonce = 7, UnknownTlvs = [new TlvRecord(1, new byte[] { 7 })] }, "TLV type 1, which Ping declares itself");
        var value = new StructWithTlv(1) { UnknownTlvs = [new TlvRecord(3, new byte[] { 0 })] };
        InvalidOperationException exception = Assert.Throws<InvalidOperationException>(() => value.ToArray());
        Assert.Contains("StructWithTlv.UnknownTlvs holds TLV type 3, which StructWithTlv declares itself", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_kept_records_fail_the_way_an_out_of_order_record_does()
    {
        var outOfOrder = new Ping(1, []) { UnknownTlvs = [new TlvRecord(5, Array.Empty<byte>()), new TlvRecord(3, Array.Empty<byte>())] };
        Assert.Throws<InvalidOperationException>(() => outOfOrder.ToArray());
        var even = new Ping(1, []) { UnknownTlvs = [new TlvRecord(6, Array.Empty<byte>())] };
        Assert.Throws<InvalidOperationException>(() => even.ToArray());
    }

    [Fact]
    public void Odd_kept_records_the_message_does_not_declare_are_written_and_read_back()
    {
        var ping = new Ping(1, []) { Nonce = 2, UnknownTlvs = [new TlvRecord(3, new byte[] { 9 }), new TlvRecord(0xfd01, Array.Empty<byte>())] };
        Assert.Equal(ping, Ping.Read(ping.ToArray()));
    }
}
