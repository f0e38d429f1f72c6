using System.Text;
using Cln.ProtocolExtensions.Generated.Tests;
using Cln.ProtocolExtensions.Generated.Tests.Bolt1;
using Cln.ProtocolExtensions.Generated.Tests.Edge;
using Cln.ProtocolExtensions.Generated.Tests.Rules;
using Cln.ProtocolExtensions.Wire;
using Deep.Name.Space.Levels;
using NBitcoin;

namespace Cln.ProtocolExtensions.Hostile.Tests;

/// <summary>One message type under test: a random-value sampler and typed access to its codec.</summary>
public abstract class MessageCase
{
    public abstract string Name { get; }

    public abstract ushort Type { get; }

    /// <summary>A random valid value of the message.</summary>
    public abstract ICustomMessage Sample(Random random);

    /// <summary>The generated TryRead; never expected to throw.</summary>
    public abstract bool TryRead(ReadOnlySpan<byte> bytes, out ICustomMessage? value, out WireError error);

    /// <summary>The generated Read; may throw only <see cref="WireFormatException"/>.</summary>
    public abstract ICustomMessage Read(ReadOnlySpan<byte> bytes);

    public override string ToString() => Name;
}

/// <summary>A <see cref="MessageCase"/> for one generated type.</summary>
public sealed class MessageCase<T>(Func<Random, T> sample) : MessageCase
    where T : ICustomMessage<T>
{
    public override string Name => typeof(T).FullName!.Replace("Cln.ProtocolExtensions.Generated.Tests.", string.Empty, StringComparison.Ordinal);

    public override ushort Type => T.Type;

    public override ICustomMessage Sample(Random random) => sample(random);

    public override bool TryRead(ReadOnlySpan<byte> bytes, out ICustomMessage? value, out WireError error)
    {
        bool ok = T.TryRead(bytes, out T? typed, out error);
        value = typed;
        return ok;
    }

    public override ICustomMessage Read(ReadOnlySpan<byte> bytes) => T.Read(bytes);
}

/// <summary>Every generated message of tests/Generated.Tests and of the samples, with random samplers.</summary>
public static class MessageCases
{
    private static readonly PubKey[] Keys = [.. Enumerable.Range(1, 8).Select(i => new Key(Enumerable.Repeat((byte)i, 32).ToArray()).PubKey)];

    public static readonly IReadOnlyList<MessageCase> All =
    [
        new MessageCase<Ping>(r => new Ping((ushort)r.Next(65536), Bytes(r, r.Next(0, 64)))
        {
            Nonce = MaybeStruct(r, () => ULong(r)),
            UnknownTlvs = UnknownOdd(r, 3, 5, 1001, 65537),
        }),
        new MessageCase<AllFixed>(SampleAllFixed),
        new MessageCase<Collections>(SampleCollections),
        new MessageCase<Extended>(r => new Extended(new ChannelId(Bytes(r, 32)), Maybe(r, () => Text(r, 20)))
        {
            AmountMsat = MaybeStruct(r, () => ULong(r)),
            Payment = MaybeStruct(r, () => Pay(r)),
            Blob = Maybe(r, () => Bytes(r, r.Next(0, 40))),
            Route = Maybe(r, () => NewRoute(r)),
            Payments = Maybe(r, () => Enumerable.Range(0, r.Next(0, 5)).Select(_ => Pay(r)).ToArray()),
            Color = MaybeStruct(r, () => r.Next(2) == 0 ? Color.Red : Color.Green),
            UnknownTlvs = UnknownOdd(r, 11, 13, 65539, (1UL << 40) + 1),
        }),
        new MessageCase<Outer.Inner.Nested>(r => new Outer.Inner.Nested((uint)r.NextInt64(), Bytes(r, r.Next(0, 100)))),
        new MessageCase<EvenOne>(r => new EvenOne((byte)r.Next(256))),
        new MessageCase<Empty>(_ => new Empty()),
        new MessageCase<BodyOnly>(r => new BodyOnly { Value = (ushort)r.Next(65536) }),
        new MessageCase<N1>(r => new N1
        {
            Tlv1AmountMsat = MaybeStruct(r, () => ULong(r)),
            Tlv2Scid = MaybeStruct(r, () => ShortChannelId.FromUInt64(ULong(r))),
            Tlv3 = MaybeStruct(r, () => new N1Tlv3(Keys[r.Next(Keys.Length)], ULong(r), ULong(r))),
            Tlv4CltvDelta = MaybeStruct(r, () => (ushort)r.Next(65536)),
            UnknownTlvs = UnknownOdd(r, 5, 7, 255, 1001),
        }),
        new MessageCase<N2>(r => new N2
        {
            Tlv1AmountMsat = MaybeStruct(r, () => ULong(r)),
            Tlv2CltvExpiry = MaybeStruct(r, () => (uint)(ULong(r) >> 32)),
        }),
        new MessageCase<Typed>(r => new Typed((byte)r.Next(256), (ushort)r.Next(65536))),
        new MessageCase<FixedHops>(r => new FixedHops([Pay(r), Pay(r), Pay(r)])
        {
            Extra = MaybeStruct(r, () => Pay(r)),
            UnknownTlvs = UnknownOdd(r, 3, 5),
        }),
        new MessageCase<StructWithTlv>(r => new StructWithTlv((ushort)r.Next(65536))
        {
            Extra = MaybeStruct(r, () => (uint)r.NextInt64()),
            Label = Maybe(r, () => Text(r, 30)),
        }),
        new MessageCase<Init>(r => new Init(Bytes(r, r.Next(0, 8)), Bytes(r, r.Next(0, 8)))
        {
            Networks = Maybe(r, () => Enumerable.Range(0, r.Next(0, 3)).Select(_ => new uint256(Bytes(r, 32))).ToArray()),
            RemoteAddr = Maybe(r, () => Bytes(r, r.Next(0, 19))),
        }),
        new MessageCase<PeerStorage>(r => new PeerStorage(Bytes(r, r.Next(0, 200)))),
        new MessageCase<Flags>(r => new Flags(r.Next(2) == 0, default, [.. Enumerable.Range(0, r.Next(0, 9)).Select(_ => r.Next(2) == 0)])
        {
            Verbose = MaybeStruct(r, () => r.Next(2) == 0),
            UnknownTlvs = UnknownOdd(r, 3, 5),
        }),
        new MessageCase<References>(r => new References(
            Keys[r.Next(Keys.Length)],
            new uint256(Bytes(r, 32)),
            Text(r, 30),
            [.. Enumerable.Range(0, r.Next(0, 4)).Select(_ => Keys[r.Next(Keys.Length)])],
            new Tag(ShortText(r)),
            [.. Enumerable.Range(0, r.Next(0, 4)).Select(_ => new Tag(ShortText(r)))])),
        new MessageCase<OwnEquality>(r => new OwnEquality((uint)r.NextInt64(), Bytes(r, r.Next(0, 40)))),
        new MessageCase<global::Cln.ProtocolExtensions.Generated.Tests.Printing.OwnPrint>(r => new global::Cln.ProtocolExtensions.Generated.Tests.Printing.OwnPrint((uint)r.NextInt64())),

        // samples/PingPong and samples/Lsps0
        new MessageCase<global::PingPong.Ping>(r => new global::PingPong.Ping(ULong(r), Text(r, 60))),
        new MessageCase<global::PingPong.Pong>(r => new global::PingPong.Pong(ULong(r), Text(r, 60))),
        new MessageCase<global::Lsps0.Lsps0Message>(r => new global::Lsps0.Lsps0Message(Encoding.UTF8.GetBytes(
            $"{{\"jsonrpc\":\"2.0\",\"id\":\"{r.Next()}\",\"method\":\"lsps0.list_protocols\",\"params\":{{\"note\":\"{Text(r, 10).Replace("\"", string.Empty, StringComparison.Ordinal).Replace("\\", string.Empty, StringComparison.Ordinal)}\"}}}}"))),
    ];

    public static MessageCase Get(string name) => All.Single(c => c.Name == name);

    internal static byte[] Bytes(Random r, int n)
    {
        byte[] b = new byte[n];
        r.NextBytes(b);
        return b;
    }

    /// <summary>Integers of every width (so truncated encodings of 0..8 bytes all occur).</summary>
    private static ulong ULong(Random r) => (ulong)r.NextInt64() >> r.Next(64) ^ (r.Next(8) == 0 ? ulong.MaxValue : 0);

    private static T? Maybe<T>(Random r, Func<T> value)
        where T : class => r.Next(3) == 0 ? null : value();

    private static T? MaybeStruct<T>(Random r, Func<T> value)
        where T : struct => r.Next(3) == 0 ? null : value();

    private static string Text(Random r, int maxRunes)
    {
        var sb = new StringBuilder();
        int n = r.Next(0, maxRunes);
        for (int i = 0; i < n; i++)
        {
            int cp = r.Next(4) switch { 0 => r.Next(0x20, 0x7f), 1 => r.Next(0x80, 0x800), 2 => r.Next(0x800, 0xd800), _ => r.Next(0x10000, 0x110000) };
            sb.Append(new Rune(cp).ToString());
        }

        return sb.ToString();
    }

    /// <summary>Zero to three unknown odd records from <paramref name="types"/> (ascending), kept by the decoder and written back.</summary>
    private static TlvRecord[] UnknownOdd(Random r, params ulong[] types) =>
        [.. types.Where(_ => r.Next(4) == 0).Select(t => new TlvRecord(t, Bytes(r, r.Next(0, 12))))];

    /// <summary>A random string of at most 255 UTF-8 bytes (a u8 length prefix).</summary>
    private static string ShortText(Random r) => Text(r, 20) is var s && Encoding.UTF8.GetByteCount(s) <= 255 ? s : "x";

    private static Payment Pay(Random r) => new(ULong(r), (uint)r.NextInt64(), r.Next(2) == 0 ? Color.Red : Color.Green);

    private static Route NewRoute(Random r) => new(Text(r, 20) is var s && Encoding.UTF8.GetByteCount(s) <= 255 ? s : "x", [.. Enumerable.Range(0, r.Next(0, 4)).Select(_ => Pay(r))]);

    private static AllFixed SampleAllFixed(Random r) => new(
        (byte)r.Next(256), (sbyte)r.Next(-128, 128), (ushort)r.Next(65536), (short)r.Next(-32768, 32768),
        (uint)r.NextInt64(), r.Next(int.MinValue, int.MaxValue), ULong(r), r.NextInt64(long.MinValue, long.MaxValue),
        ULong(r),
        new uint256(Bytes(r, 32)),
        Keys[r.Next(Keys.Length)],
        ShortChannelId.FromUInt64(ULong(r)),
        new ChannelId(Bytes(r, 32)),
        new CompactEcdsaSignature(Bytes(r, 64)),
        new Bip340Signature(Bytes(r, 64)),
        r.Next(2) == 0 ? SciddirOrPubKey.FromPubKey(Keys[r.Next(Keys.Length)]) : SciddirOrPubKey.FromShortChannelId((byte)r.Next(2), ShortChannelId.FromUInt64(ULong(r))));

    private static Collections SampleCollections(Random r) => new(
        r.Next(2) == 0 ? Status.Ok : Status.Failed,
        Pay(r),
        [.. Enumerable.Range(0, r.Next(0, 4)).Select(_ => NewRoute(r))],
        [(ushort)r.Next(65536), (ushort)r.Next(65536)],
        Bytes(r, 4),
        Text(r, 40) is var note && Encoding.UTF8.GetByteCount(note) <= 255 ? note : "note",
        [.. Enumerable.Range(0, r.Next(0, 4)).Select(_ => new uint256(Bytes(r, 32)))]);
}
