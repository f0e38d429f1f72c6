using System.Text;
using Lsps0.Protocol;

namespace Cln.ProtocolExtensions.Samples.Tests.Lsps0;

/// <summary>bLIP-0050 "Message Payload Format": the checks whose failure is a "bad message format" error.</summary>
public class Lsps0PayloadTests
{
    [Theory]
    // "For example, " { } " would pass this check"
    [InlineData(" { } ")]
    [InlineData("{}")]
    // leading or trailing whitespace: space, tab, line feed, carriage return
    [InlineData("\t\r\n {\"jsonrpc\":\"2.0\"} \n\r\t")]
    [InlineData("{\"nested\":{\"a\":[1,2,{\"b\":null}]},\"text\":\"caf\u00e9 \u26a1\"}")]
    public void Accepts_one_complete_object_with_optional_whitespace(string payload)
    {
        Assert.True(Lsps0Payload.TryParse(Encoding.UTF8.GetBytes(payload), out var document, out string? reason), reason);
        using (document)
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Object, document!.RootElement.ValueKind);
        }
    }

    [Theory]
    // "but "{" and " [ ] " would not"
    [InlineData("{")]
    [InlineData(" [ ] ")]
    // "The payload MUST NOT parse as more than a single complete JSON object": " { } { " and " { } { }"
    [InlineData(" { } { ")]
    [InlineData(" { } { }")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    // not JSON: comments, trailing commas, single quotes
    [InlineData("{ /* comment */ }")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    // whitespace outside the four JSON whitespace characters
    [InlineData("\u00a0{}")]
    [InlineData("{}\f")]
    // a key given twice means two things
    [InlineData("{\"id\":\"a\",\"id\":\"b\"}")]
    public void Refuses_anything_but_a_single_object(string payload)
    {
        Assert.False(Lsps0Payload.TryParse(Encoding.UTF8.GetBytes(payload), out var document, out string? reason));
        Assert.Null(document);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Refuses_a_0_byte_anywhere()
    {
        // "The payload MUST NOT contain any 0 bytes", also as a C-style terminator after the object.
        byte[] terminated = [.. "{}"u8, 0];
        Assert.False(Lsps0Payload.TryParse(terminated, out _, out string? reason));
        Assert.Contains("0 byte", reason);

        byte[] inside = [.. "{\"a\":\""u8, 0, .. "\"}"u8];
        Assert.False(Lsps0Payload.TryParse(inside, out _, out _));
    }

    [Fact]
    public void Refuses_invalid_utf8()
    {
        byte[] payload = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(Lsps0Payload.TryParse(payload, out _, out string? reason));
        Assert.Contains("UTF-8", reason);
    }

    [Fact]
    public void Refuses_a_byte_order_mark()
    {
        byte[] payload = [0xEF, 0xBB, 0xBF, .. "{}"u8];
        Assert.False(Lsps0Payload.TryParse(payload, out _, out _));
    }

    [Fact]
    public void Refuses_a_payload_longer_than_a_message_can_carry()
    {
        // 65535-byte message = 2-byte type + 65533-byte payload at most.
        byte[] fits = Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', Lsps0Constants.MaxPayloadLength - 8) + "\"}");
        Assert.Equal(Lsps0Constants.MaxPayloadLength, fits.Length);
        Assert.True(Lsps0Payload.TryParse(fits, out var document, out _));
        document!.Dispose();

        byte[] tooLong = Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', Lsps0Constants.MaxPayloadLength - 7) + "\"}");
        Assert.False(Lsps0Payload.TryParse(tooLong, out _, out _));
    }

    [Fact]
    public void Message_type_is_37913()
    {
        // "All LSPS messages MUST use the BOLT8 message ID 37913": odd, in the custom range.
        Assert.Equal(37913, Lsps0Constants.MessageType);
        Assert.Equal(1, Lsps0Constants.MessageType % 2);
        Assert.InRange(Lsps0Constants.MessageType, 32768, 65535);
    }
}
