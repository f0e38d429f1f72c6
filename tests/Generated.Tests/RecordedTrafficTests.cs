using System.Text.Json;
using Cln.ProtocolExtensions.Generated.Tests.Bolt1;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Generated.Tests;

/// <summary>Payloads that real lightningd v26.06.6 handed to a custommsg hook (tests/Fixtures/cln-v26.06.6).</summary>
public class RecordedTrafficTests
{
    private static IEnumerable<byte[]> Payloads() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cln-v26.06.6"), "run1_node*_received.jsonl")
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines)
            .Where(line => line.Length > 0)
            .Select(line => Convert.FromHexString(JsonDocument.Parse(line).RootElement.GetProperty("payload").GetString()!));

    [Fact]
    public void Peer_storage_from_chanbackup_decodes_and_reencodes_byte_for_byte()
    {
        byte[][] storage = [.. Payloads().Where(p => p.Length >= 2 && p[0] == 0 && p[1] == 7)];
        Assert.Equal(3, storage.Length);
        foreach (byte[] payload in storage)
        {
            PeerStorage message = PeerStorage.Read(payload);
            Assert.Equal(payload.Length - 4, message.Blob.Length);
            Assert.Equal(payload, message.ToArray());
        }
    }

    [Fact]
    public void Every_recorded_payload_is_decoded_or_rejected_without_throwing()
    {
        int decoded = 0;
        foreach (byte[] payload in Payloads())
        {
            foreach (CustomMessageDescriptor descriptor in AllMessages.Descriptors)
            {
                if (descriptor.TryDecode(payload, out ICustomMessage? message, out WireError error))
                {
                    decoded++;
                    Assert.Equal(payload, RoundTripTests.Reencode(message!));
                }
                else
                {
                    Assert.True(error.IsError);
                }
            }
        }

        Assert.True(decoded >= 3);
    }
}
