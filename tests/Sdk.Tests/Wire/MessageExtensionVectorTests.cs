using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>BOLT #1 Appendix C: the <c>init</c> message extension vectors.</summary>
public class MessageExtensionVectorTests
{
    /// <summary>A hand-written decoder of BOLT #1 <c>init</c> (type 16) with its <c>init_tlvs</c> extension.</summary>
    private sealed class Init
    {
        public const ushort Type = 16;

        public byte[] GlobalFeatures { get; private set; } = [];

        public byte[] Features { get; private set; } = [];

        public List<uint256>? Networks { get; private set; }

        public byte[]? RemoteAddr { get; private set; }

        public List<TlvRecord> Unknown { get; } = [];

        public static bool TryRead(ReadOnlySpan<byte> message, out Init value, out WireError error)
        {
            value = new Init();
            if (!WireMessage.TryReadHeader(message, Type, out WireReader reader, out error))
            {
                return false;
            }

            if (!reader.TryReadU16PrefixedBytes(out ReadOnlySpan<byte> global) || !reader.TryReadU16PrefixedBytes(out ReadOnlySpan<byte> features))
            {
                error = reader.Error;
                return false;
            }

            value.GlobalFeatures = global.ToArray();
            value.Features = features.ToArray();
            var tlv = new TlvReader(reader);
            while (tlv.TryReadNext(out ulong type, out WireReader v))
            {
                switch (type)
                {
                    case 1: // networks: [...*chain_hash]
                        if (v.Remaining % WireSize.ChainHash != 0)
                        {
                            error = new WireError(WireErrorKind.BadLength, v.Position, "networks is not a whole number of chain hashes");
                            return false;
                        }

                        value.Networks = [];
                        while (!v.IsEmpty)
                        {
                            value.Networks.Add(v.ReadChainHash());
                        }

                        break;
                    case 3: // remote_addr: [...*byte]
                        value.RemoteAddr = v.ReadRemaining().ToArray();
                        break;
                    default:
                        if (!tlv.TryReadUnknown(type, v, out TlvRecord kept))
                        {
                            error = tlv.Error;
                            return false;
                        }

                        value.Unknown.Add(kept);
                        break;
                }
            }

            error = tlv.Error;
            return !error.IsError;
        }

        public byte[] Write()
        {
            int length = WireMessage.TypeLength + 2 + GlobalFeatures.Length + 2 + Features.Length + WireSize.Tlv(Unknown)
                + (Networks is null ? 0 : WireSize.Tlv(1, Networks.Count * WireSize.ChainHash))
                + (RemoteAddr is null ? 0 : WireSize.Tlv(3, RemoteAddr.Length));
            var bytes = new byte[length];
            var w = new SpanWireWriter(bytes);
            w.WriteU16(Type);
            w.WriteU16PrefixedBytes(GlobalFeatures);
            w.WriteU16PrefixedBytes(Features);
            int next = 0;
            w.WriteTlvRecordsBefore(Unknown, ref next, 1);
            if (Networks is not null)
            {
                w.WriteTlvHeader(1, Networks.Count * WireSize.ChainHash);
                foreach (uint256 chain in Networks)
                {
                    w.WriteChainHash(chain);
                }
            }

            w.WriteTlvRecordsBefore(Unknown, ref next, 3);
            if (RemoteAddr is not null)
            {
                w.WriteTlv(3, RemoteAddr);
            }

            w.WriteRemainingTlvRecords(Unknown, ref next);
            Assert.Equal(length, w.Written);
            return bytes;
        }
    }

    [Fact]
    public void FixtureHoldsEveryAppendixCVector() => Assert.Equal(5, Bolt1Vectors.InitExtension.Count());

    [Theory]
    [InlineData("init-extension-01")]
    [InlineData("init-extension-02")]
    public void ValidExtensionsDecodeAndReEncodeIdentically(string name)
    {
        byte[] bytes = Bolt1Vectors.InitExtension.Single(v => v.Str("name") == name).Hex();
        Assert.True(Init.TryRead(bytes, out Init init, out WireError error), error.ToString());
        Assert.Empty(init.GlobalFeatures);
        Assert.Empty(init.Features);
        Assert.Null(init.Networks);
        Assert.Equal(bytes, init.Write());
        if (name == "init-extension-02")
        {
            Assert.Equal([new TlvRecord(0xc9, new byte[] { 0x2a }), new TlvRecord(0xcb, new byte[] { 0x04 })], init.Unknown);
        }
    }

    [Theory]
    [InlineData("init-extension-03", WireErrorKind.ShortRead, 7)] // type 1 with no length
    [InlineData("init-extension-04", WireErrorKind.UnknownEvenTlv, 6)] // 0xca is even and unknown
    [InlineData("init-extension-05", WireErrorKind.UnorderedTlv, 9)] // 0xc9 twice
    public void InvalidExtensionsFail(string name, WireErrorKind kind, int offset)
    {
        byte[] bytes = Bolt1Vectors.InitExtension.Single(v => v.Str("name") == name).Hex();
        Assert.Equal("fail", Bolt1Vectors.InitExtension.Single(v => v.Str("name") == name).Str("expect"));
        Assert.False(Init.TryRead(bytes, out _, out WireError error));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void NetworksExtensionCarriesChainHashesInWireOrder()
    {
        // init with networks = [mainnet]: 0010 0000 0000 01 20 <chain_hash>
        byte[] bytes = Convert.FromHexString("001000000000" + "0120" + "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
        Assert.True(Init.TryRead(bytes, out Init init, out WireError error), error.ToString());
        Assert.Equal(Network.Main.GenesisHash, Assert.Single(init.Networks!));
        Assert.Equal(bytes, init.Write());
    }

    [Fact]
    public void WrongTypeAndOversizeMessagesAreRefused()
    {
        Assert.False(Init.TryRead(Convert.FromHexString("001100000000"), out _, out WireError type));
        Assert.Equal(new WireError(WireErrorKind.UnexpectedType, 0, type.Detail), type);

        byte[] huge = new byte[WireMessage.MaxLength + 1];
        huge[1] = 16;
        Assert.False(Init.TryRead(huge, out _, out WireError size));
        Assert.Equal(WireErrorKind.TooLarge, size.Kind);

        Assert.False(Init.TryRead([0x00], out _, out WireError shortType));
        Assert.Equal(WireErrorKind.ShortRead, shortType.Kind);

        // The largest allowed message is accepted by the header check.
        byte[] max = new byte[WireMessage.MaxLength];
        max[1] = 16;
        Assert.True(WireMessage.TryReadHeader(max, 16, out WireReader body, out _));
        Assert.Equal(WireMessage.MaxLength - 2, body.Remaining);
        Assert.Equal(2, body.Position);
    }
}
