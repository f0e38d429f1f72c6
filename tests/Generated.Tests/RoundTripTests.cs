using System.Buffers;
using Cln.ProtocolExtensions.Wire;
using Deep.Name.Space.Levels;
using NBitcoin;

namespace Cln.ProtocolExtensions.Generated.Tests;

public class RoundTripTests
{
    internal static readonly PubKey NodeId = new("023da092f6980e58d2c037173180e9a465476026ee50f96695963e8efe436f54eb");

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Encodes, checks the exact length, decodes, and checks equality and byte-identical re-encoding.</summary>
    internal static byte[] AssertRoundTrip<T>(T message)
        where T : ICustomMessage<T>
    {
        byte[] bytes = new byte[message.GetEncodedLength()];
        Assert.Equal(bytes.Length, message.WriteTo(bytes));
        Assert.Equal(T.Type, (ushort)((bytes[0] << 8) | bytes[1]));
        Assert.True(T.TryRead(bytes, out T? decoded, out WireError error), error.ToString());
        Assert.Equal(message, decoded);
        Assert.Equal(message.GetHashCode(), decoded!.GetHashCode());
        Assert.Equal(bytes, Reencode(decoded));
        return bytes;
    }

    internal static byte[] Reencode(ICustomMessage message)
    {
        byte[] bytes = new byte[message.GetEncodedLength()];
        Assert.Equal(bytes.Length, message.WriteTo(bytes));
        return bytes;
    }

    [Fact]
    public void Ping_encodes_fields_prefixed_bytes_and_tlv_in_wire_order()
    {
        var ping = new Ping(4, [1, 2, 3]) { Nonce = 42 };
        byte[] bytes = AssertRoundTrip(ping);
        Assert.Equal("8001" + "0004" + "0003010203" + "0108000000000000002a", Hex(bytes));
        Assert.Equal((ushort)0x8001, Ping.Type);
        Assert.Equal((ushort)0x8001, ping.MessageType);
    }

    [Fact]
    public void Ping_without_tlv_has_an_empty_extension()
    {
        byte[] bytes = AssertRoundTrip(new Ping(0, []));
        Assert.Equal("800100000000", Hex(bytes));
    }

    [Fact]
    public void Records_with_arrays_compare_by_content()
    {
        var a = new Ping(1, [9, 9]) { Nonce = 1 };
        var b = new Ping(1, [9, 9]) { Nonce = 1 };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Ignored = [9, 8] });
        Assert.NotEqual(a, b with { Nonce = null });
        Assert.NotEqual(a, b with { UnknownTlvs = [new TlvRecord(3, new byte[] { 1 })] });
    }

    [Fact]
    public void Unknown_odd_records_are_kept_and_merged_in_type_order()
    {
        // Known records 1, 3, 7 and 65537 around unknown odd records 11 (between 9 and 65537) and 65539 (last).
        byte[] input = Hex("8007" + new string('a', 64)
            + "0102012c" // 1: tu64 300
            + "0303cafe00" // 3: blob
            + "0b02beef" // 11: unknown odd
            + "fe0001000101" + "02" // 65537: Color.Green
            + "fe0001000300"); // 65539: unknown odd, empty value
        Assert.True(Extended.TryRead(input, out Extended? message, out WireError error), error.ToString());
        Assert.Equal(300UL, message!.AmountMsat);
        Assert.Equal(new byte[] { 0xca, 0xfe, 0x00 }, message.Blob);
        Assert.Equal(Color.Green, message.Color);
        Assert.Equal([new TlvRecord(11, new byte[] { 0xbe, 0xef }), new TlvRecord(65539, ReadOnlyMemory<byte>.Empty)], message.UnknownTlvs);
        Assert.Equal(input, Reencode(message));
        Assert.Equal(input.Length, message.GetEncodedLength());
    }

    [Fact]
    public void Unknown_even_record_fails_with_its_offset()
    {
        byte[] input = Hex("8001 0000 0000 0a00");
        Assert.False(Ping.TryRead(input, out _, out WireError error));
        Assert.Equal(WireErrorKind.UnknownEvenTlv, error.Kind);
        Assert.Equal(6, error.Offset);
        WireFormatException ex = Assert.Throws<WireFormatException>(() => Ping.Read(input));
        Assert.Equal(WireErrorKind.UnknownEvenTlv, ex.Kind);
    }

    [Fact]
    public void Kept_records_are_interleaved_with_declared_ones_in_type_order()
    {
        // Declared 1 (tu64) and 254 (u16) present, 2 and 3 absent; kept 5, 253 and 1001 go between and after them.
        var message = new Bolt1.N1
        {
            Tlv1AmountMsat = 0x0102,
            Tlv4CltvDelta = 0x0506,
            UnknownTlvs = [new TlvRecord(5, new byte[] { 0xaa }), new TlvRecord(253, new byte[] { 0xbb }), new TlvRecord(1001, new byte[] { 0xcc })],
        };
        // type, tlv 1 (tu64 0x0102), kept 5, kept 253, tlv 254 (u16), kept 1001
        byte[] expected = Convert.FromHexString("8021" + "01020102" + "0501aa" + "fd00fd01bb" + "fd00fe020506" + "fd03e901cc");
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(message.ToArray()));
        Assert.Equal(message, Bolt1.N1.Read(expected));
    }

    [Fact]
    public void A_kept_record_with_a_declared_type_is_refused_at_write()
    {
        var message = new Bolt1.N1 { Tlv1AmountMsat = 1, Tlv4CltvDelta = 7, UnknownTlvs = [new TlvRecord(3, new byte[] { 1 }), new TlvRecord(254, new byte[] { 0, 1 })] };
        Assert.Throws<InvalidOperationException>(() => message.ToArray());
    }

    [Fact]
    public void Kept_records_written_out_of_order_throw_instead_of_producing_an_invalid_stream()
    {
        var ping = new Ping(0, []) { Nonce = 5, UnknownTlvs = [new TlvRecord(1, new byte[] { 1 })] };
        Assert.Throws<InvalidOperationException>(() => ping.ToArray());
    }

    [Fact]
    public void Header_errors_are_typed()
    {
        Assert.False(Ping.TryRead(Hex("8003 0000 0000"), out _, out WireError wrongType));
        Assert.Equal(WireErrorKind.UnexpectedType, wrongType.Kind);

        Assert.False(Ping.TryRead(Hex("80"), out _, out WireError tooShort));
        Assert.Equal(WireErrorKind.ShortRead, tooShort.Kind);

        Assert.False(Ping.TryRead(Hex("8001 0000 0005 0102"), out _, out WireError truncated));
        Assert.Equal(WireErrorKind.ShortRead, truncated.Kind);
        Assert.Equal(6, truncated.Offset);

        byte[] huge = new byte[65536];
        huge[0] = 0x80;
        huge[1] = 0x01;
        Assert.False(Ping.TryRead(huge, out _, out WireError tooLarge));
        Assert.Equal(WireErrorKind.TooLarge, tooLarge.Kind);
    }

    [Fact]
    public void A_message_without_tlv_members_still_keeps_an_extension_it_does_not_know()
    {
        // BOLT #1: a newer sender may append a TLV extension; unknown odd records are kept (Appendix C).
        byte[] bytes = new EvenOne(7).ToArray();
        Assert.Equal("801007", Hex(bytes));
        byte[] extended = [.. bytes, 0x03, 0x01, 0xaa];
        EvenOne decoded = EvenOne.Read(extended);
        Assert.Equal([new TlvRecord(3, new byte[] { 0xaa })], decoded.UnknownTlvs);
        Assert.Equal(extended, decoded.ToArray());
        Assert.NotEqual(new EvenOne(7), decoded);

        // Unknown even records, and bytes that are not a TLV stream, are rejected.
        Assert.False(EvenOne.TryRead([.. bytes, 0x02, 0x00], out _, out WireError even));
        Assert.Equal(WireErrorKind.UnknownEvenTlv, even.Kind);
        Assert.Equal(3, even.Offset);
        Assert.False(EvenOne.TryRead([.. bytes, 0x01], out _, out WireError garbage));
        Assert.Equal(WireErrorKind.ShortRead, garbage.Kind);
    }

    [Fact]
    public void A_message_ending_with_rest_of_message_has_no_extension()
    {
        var nested = new Outer.Inner.Nested(1, [0x02, 0x00]);
        Assert.Equal(nested, Outer.Inner.Nested.Read(nested.ToArray()));
        Assert.Null(typeof(Outer.Inner.Nested).GetProperty("UnknownTlvs"));
    }

    internal static AllFixed SampleAllFixed(Random random)
    {
        byte[] Bytes(int n)
        {
            byte[] b = new byte[n];
            random.NextBytes(b);
            return b;
        }

        return new AllFixed(
            (byte)random.Next(256), (sbyte)random.Next(-128, 128), (ushort)random.Next(65536), (short)random.Next(-32768, 32768),
            (uint)random.NextInt64(), random.Next(int.MinValue, int.MaxValue), (ulong)random.NextInt64() * 3, random.NextInt64(long.MinValue, long.MaxValue),
            (ulong)random.NextInt64() >> random.Next(64),
            new uint256(Bytes(32)),
            NodeId,
            ShortChannelId.FromUInt64((ulong)random.NextInt64()),
            new ChannelId(Bytes(32)),
            new CompactEcdsaSignature(Bytes(64)),
            new Bip340Signature(Bytes(64)),
            random.Next(2) == 0 ? SciddirOrPubKey.FromPubKey(NodeId) : SciddirOrPubKey.FromShortChannelId((byte)random.Next(2), ShortChannelId.FromUInt64((ulong)random.NextInt64())));
    }

    [Fact]
    public void Every_fixed_wire_type_round_trips()
    {
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            AllFixed message = SampleAllFixed(random);
            byte[] bytes = AssertRoundTrip(message);
            int expected = 2 + 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + WireSize.BigSize(message.Big) + 32 + 33 + 8 + 32 + 64 + 64 + WireSize.SciddirOrPubKey(message.Dest);
            Assert.Equal(expected, bytes.Length);
        }
    }

    [Fact]
    public void Signed_integers_are_big_endian_twos_complement()
    {
        var message = SampleAllFixed(new Random(2)) with { S8 = -1, S16 = -2, S32 = -3, S64 = long.MinValue, Big = 0xfd };
        byte[] bytes = message.ToArray();
        Assert.Equal("ff" + "fffe" + "fffffffd", Hex(bytes.AsSpan(3, 1).ToArray()) + Hex(bytes.AsSpan(6, 2).ToArray()) + Hex(bytes.AsSpan(12, 4).ToArray()));
        Assert.Equal("8000000000000000", Hex(bytes.AsSpan(24, 8).ToArray()));
        Assert.Equal("fd00fd", Hex(bytes.AsSpan(32, 3).ToArray()));
    }

    [Fact]
    public void An_invalid_point_is_an_invalid_value()
    {
        byte[] bytes = (SampleAllFixed(new Random(3)) with { Big = 1 }).ToArray();
        int pointOffset = 2 + 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 1 + 32;
        Assert.Equal(0x02, bytes[pointOffset]);
        bytes[pointOffset] = 0x04;
        Assert.False(AllFixed.TryRead(bytes, out _, out WireError error));
        Assert.Equal(WireErrorKind.InvalidValue, error.Kind);
    }

    internal static Collections SampleCollections(Random random)
    {
        Payment Pay() => new((ulong)random.NextInt64(), (uint)random.Next(), random.Next(2) == 0 ? Color.Red : Color.Green);
        Route NewRoute() => new(new string('r', random.Next(0, 20)) + "é", [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pay())]);
        byte[] magic = new byte[4];
        random.NextBytes(magic);
        return new Collections(
            random.Next(2) == 0 ? Status.Ok : Status.Failed,
            Pay(),
            [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => NewRoute())],
            [(ushort)random.Next(65536), (ushort)random.Next(65536)],
            magic,
            "note " + random.Next(),
            [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => new uint256((ulong)random.NextInt64()))]);
    }

    [Fact]
    public void Subtypes_arrays_enums_and_strings_round_trip()
    {
        var random = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            AssertRoundTrip(SampleCollections(random));
        }
    }

    [Fact]
    public void Collections_encoding_is_exact()
    {
        var message = new Collections(
            Status.Failed,
            new Payment(1, 2, Color.Green),
            [new Route("ab", [new Payment(3, 4, Color.Red)])],
            [5, 6],
            [0xde, 0xad, 0xbe, 0xef],
            "hi",
            [uint256.One]);
        string expected = "8005"
            + "0000dead"
            + "0000000000000001" + "00000002" + "02"
            + "01" + "02" + "6162" + "0001" + "0000000000000003" + "00000004" + "01"
            + "0005" + "0006"
            + "deadbeef"
            + "02" + "6869"
            + Hex(uint256.One.ToBytes());
        Assert.Equal(expected, Hex(AssertRoundTrip(message)));
    }

    [Fact]
    public void A_huge_count_fails_before_allocating()
    {
        // Routes has a bigsize count: claim 2^64-1 routes with a few bytes left.
        string head = "8005" + "00000000" + "0000000000000001" + "00000002" + "01";
        Assert.False(Collections.TryRead(Hex(head + "ffffffffffffffffff" + "00"), out _, out WireError error));
        Assert.Equal(WireErrorKind.ShortRead, error.Kind);
    }

    [Fact]
    public void Length_rules_are_enforced_when_writing()
    {
        Collections valid = SampleCollections(new Random(5));
        Assert.Throws<InvalidOperationException>(() => (valid with { Magic = [1, 2, 3] }).ToArray());
        Assert.Throws<InvalidOperationException>(() => (valid with { Pair = [1] }).ToArray());
        Assert.Throws<InvalidOperationException>(() => (valid with { Note = new string('x', 256) }).ToArray());
        Assert.Throws<InvalidOperationException>(() => new Ping(0, new byte[65536]).ToArray());
    }

    [Fact]
    public void A_message_over_65535_bytes_cannot_be_written()
    {
        var message = new Outer.Inner.Nested(1, new byte[65535 - 2 - 4 + 1]);
        Assert.Equal(65536, message.GetEncodedLength());
        Assert.Throws<InvalidOperationException>(() => message.ToArray());
        Assert.Equal(65535, new Outer.Inner.Nested(1, new byte[65535 - 6]).ToArray().Length);
    }

    [Fact]
    public void Tlv_values_of_every_kind_round_trip()
    {
        var random = new Random(6);
        var full = new Extended(new ChannelId(new byte[32]), "mémo")
        {
            AmountMsat = 0,
            Payment = new Payment(1, 2, Color.Red),
            Blob = [],
            Route = new Route("x", [new Payment(5, 6, Color.Green)]),
            Payments = [new Payment(7, 8, Color.Green), new Payment(9, 10, Color.Red)],
            Color = Color.Green,
        };
        AssertRoundTrip(full);
        AssertRoundTrip(new Extended(new ChannelId(new byte[32])));
        for (int i = 0; i < 100; i++)
        {
            AssertRoundTrip(full with
            {
                AmountMsat = random.Next(2) == 0 ? null : (ulong)random.NextInt64() >> random.Next(64),
                Memo = random.Next(2) == 0 ? null : "m" + random.Next(),
                Blob = random.Next(2) == 0 ? null : new byte[random.Next(10)],
                Payments = random.Next(2) == 0 ? null : [.. Enumerable.Range(0, random.Next(4)).Select(j => new Payment((ulong)j, 0, Color.Red))],
            });
        }
    }

    [Fact]
    public void Truncated_tlv_value_is_minimal()
    {
        byte[] bytes = new Extended(new ChannelId(new byte[32])) { AmountMsat = 0x1234 }.ToArray();
        Assert.Equal("8007" + new string('0', 64) + "01021234", Hex(bytes));
        Assert.False(Extended.TryRead(Hex("8007" + new string('0', 64) + "0103001234"), out _, out WireError error));
        Assert.Equal(WireErrorKind.NonCanonical, error.Kind);
    }

    [Fact]
    public void Nested_record_struct_body_only_and_empty_messages_round_trip()
    {
        Assert.Equal("800b" + "00000007" + "0102", Hex(AssertRoundTrip(new Outer.Inner.Nested(7, [1, 2]))));
        Assert.Equal("8013" + "0102", Hex(AssertRoundTrip(new BodyOnly { Value = 0x0102 })));
        Assert.Equal("8011", Hex(AssertRoundTrip(new Empty())));
        Assert.Equal("801001", Hex(AssertRoundTrip(new EvenOne(1))));
    }

    [Fact]
    public void WriteTo_a_buffer_writer_appends_the_message()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var ping = new Ping(1, [2]) { Nonce = 3 };
        Assert.Equal(ping.GetEncodedLength(), ping.WriteTo(buffer));
        Assert.Equal(ping.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.Throws<ArgumentException>(() => ping.WriteTo(new byte[ping.GetEncodedLength() - 1]));
    }

    [Fact]
    public void The_test_list_of_messages_holds_every_message_of_the_assembly()
    {
        Assert.Equal(
            AllMessages.Declared().Select(t => t.FullName).Order(StringComparer.Ordinal),
            AllMessages.Descriptors.Select(d => d.ClrType.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_descriptor_decodes_its_message_without_a_type_argument()
    {
        CustomMessageDescriptor descriptor = CustomMessageDescriptor.Create<Ping>("Cln.ProtocolExtensions.Generated.Tests.Ping");
        Assert.Equal(0x8001, descriptor.Type);
        Assert.Equal(typeof(Ping), descriptor.ClrType);
        Assert.Equal("Cln.ProtocolExtensions.Generated.Tests.Ping", descriptor.Name);
        Assert.False(descriptor.IsEven);
        Assert.True(CustomMessageDescriptor.Create<EvenOne>("EvenOne").IsEven);

        var ping = new Ping(1, [2]) { Nonce = 3 };
        Assert.True(descriptor.TryDecode(ping.ToArray(), out ICustomMessage? decoded, out _));
        Assert.Equal(ping, decoded);
        Assert.False(descriptor.TryDecode(new EvenOne(1).ToArray(), out _, out WireError error));
        Assert.Equal(WireErrorKind.UnexpectedType, error.Kind);
    }
}
