using NBitcoin;

namespace Cln.ProtocolExtensions.Generated.Tests.Bolt1;

// BOLT #1 init, written as a record to check the Appendix C extension vectors. Type 16 is a BOLT
// message (CLNX3001, reported instead of the parity and range warnings); the pragma shows that
// the diagnostics are suppressible.
#pragma warning disable CLNX3001

/// <summary>BOLT #1 <c>init</c>: global features, features, and the init_tlvs extension.</summary>
[CustomMessage(16)]
public partial record Init([LengthPrefixed] byte[] GlobalFeatures, [LengthPrefixed] byte[] Features)
{
    /// <summary>init_tlvs 1: the chains the node is interested in.</summary>
    [Tlv(1)] public uint256[]? Networks { get; init; }

    /// <summary>init_tlvs 3: the address the peer connected from.</summary>
    [Tlv(3)] public byte[]? RemoteAddr { get; init; }
}

#pragma warning restore CLNX3001
