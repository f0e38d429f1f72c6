using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin.Internal;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// The custommsg fast path: it must recognize lightningd's exact framing of the hook and, whenever it
/// accepts a line, produce the very envelope the general Utf8JsonReader parse produces; anything else
/// it must leave to the general parse.
/// </summary>
public class HookFastPathTests
{
    private const string Peer = "02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc";

    private static void AssertSameAsGeneralParse(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.True(JsonRpcEnvelope.TryParseCustomMessageHook(bytes, out var fast), "fast path refused: " + line);
        Assert.True(JsonRpcEnvelope.TryParse(bytes, out var general), "general parse refused: " + line);
        Assert.Equal(Describe(bytes, general), Describe(bytes, fast));
    }

    /// <summary>Every field of an envelope, with the bytes its ranges select.</summary>
    private static string Describe(byte[] line, JsonRpcEnvelope e) =>
        string.Join(
            " | ",
            $"id={e.HasId}:{(e.HasId ? Encoding.UTF8.GetString(line[e.Id]) : "")}",
            $"method={e.HasMethod}:{(e.HasMethod ? Encoding.UTF8.GetString(line[e.Method]) : "")}",
            $"params={e.HasParams}:{(e.HasParams ? Encoding.UTF8.GetString(line[e.Params]) : "")}",
            $"object={e.ParamsIsObject}",
            $"peer={e.HasPeerId}:{(e.HasPeerId ? Encoding.UTF8.GetString(line[e.PeerId]) : "")}",
            $"payload={e.HasPayload}:{(e.HasPayload ? Encoding.UTF8.GetString(line[e.Payload]) : "")}");

    [Fact]
    public void Every_hook_call_in_the_recorded_transcripts_takes_the_fast_path_with_the_same_envelope()
    {
        int hooks = 0;
        int others = 0;
        // The transcripts (each record has a direction); the other .jsonl files are result summaries.
        foreach (var file in Directory.EnumerateFiles(Fixtures.Directory, "*.jsonl").Where(f => IsTranscript(File.ReadLines(f).First())))
        {
            foreach (var (dir, raw) in Fixtures.Transcript(Path.GetFileName(file)))
            {
                if (dir != "in")
                {
                    continue;
                }

                foreach (var line in raw.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (line.Contains("\"method\":\"custommsg\"", StringComparison.Ordinal) && line.Contains("\"id\":", StringComparison.Ordinal))
                    {
                        // The cheap pre-check lets every real hook through to the fast path.
                        Assert.True(JsonRpcEnvelope.MayBeCustomMessageHook(Encoding.UTF8.GetBytes(line)), line);
                        AssertSameAsGeneralParse(line);
                        hooks++;
                    }
                    else if (line.StartsWith('{') && !line.Contains("\"method\":\"custommsg\"", StringComparison.Ordinal))
                    {
                        // ... and no other method: getmanifest, init and the rest never reach the hook
                        // parser (compiled fully optimized at its first call, so not at startup).
                        Assert.False(JsonRpcEnvelope.MayBeCustomMessageHook(Encoding.UTF8.GetBytes(line)), line);
                        others++;
                    }
                }
            }
        }

        Assert.True(hooks >= 10, $"only {hooks} hook calls found in the transcripts");
        Assert.True(others >= 10, $"only {others} other messages found in the transcripts");
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#52\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001abcd\",\"peer_id\":\"" + Peer + "\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#52\",\"method\":\"custommsg\",\"params\":{\"peer_id\":\"" + Peer + "\",\"payload\":\"8001abcd\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"cli:plugin#1/cln:custommsg#7\",\"method\":\"custommsg\",\"params\":{\"payload\":\"\",\"peer_id\":\"\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"" + Peer + "\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"" + Peer + "\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"\",\"method\":\"custommsg\",\"params\":{\"payload\":\"not hex at all\",\"peer_id\":\"short\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"a long id with spaces and {braces} and 'quotes' ~\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"peer_id\":\"" + Peer + "\"}}")]
    public void Lightningd_framing_is_recognized_with_the_general_parse_s_envelope(string line) =>
        AssertSameAsGeneralParse(line);

    [Theory]
    // Not lightningd's exact framing: all of these are left to the general parse (which may still accept them).
    [InlineData("{\"jsonrpc\": \"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"id\":\"x\",\"jsonrpc\":\"2.0\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\",\"extra\":1}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"payload\":\"8002\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}} ")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"80\\u0030\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\\\"y\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"h\u00e9\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"tab\there\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\u0080\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":-1,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"custommsg\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg2\",\"params\":{\"payload\":\"8001\",\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"custommsg\",\"params\":{\"custommsg\":{\"peer_id\":\"p\",\"payload\":\"8001\"}}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"custommsg\",\"params\":{\"payload\":8001,\"peer_id\":\"p\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"unterminated")]
    [InlineData("")]
    public void Anything_else_is_left_to_the_general_parse(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.False(JsonRpcEnvelope.TryParseCustomMessageHook(bytes, out _));
    }

    [Fact]
    public void Fast_path_never_disagrees_with_the_general_parse_on_mutated_hook_lines()
    {
        // Every single-byte substitution (from a set of JSON-significant bytes) and every truncation of a
        // real hook line: whenever the fast path accepts one, the general parse must accept it too, with
        // the same envelope.
        var original = Encoding.UTF8.GetBytes(
            "{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#52\",\"method\":\"custommsg\",\"params\":{\"payload\":\"8001abcd\",\"peer_id\":\"" + Peer + "\"}}");
        byte[] substitutes = [(byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)',', (byte)':', (byte)' ', (byte)'0', (byte)'a', 0x01, 0x7F, 0xC3];
        int accepted = 0;
        for (int i = 0; i < original.Length; i++)
        {
            foreach (var b in substitutes)
            {
                var mutated = (byte[])original.Clone();
                mutated[i] = b;
                accepted += Check(mutated);
            }

            accepted += Check(original[..i]);
        }

        // Substitutions inside the id, payload and peer_id strings keep the line valid and recognized.
        Assert.True(accepted > 100, $"only {accepted} mutated lines took the fast path");

        static int Check(byte[] line)
        {
            if (!JsonRpcEnvelope.TryParseCustomMessageHook(line, out var fast))
            {
                return 0;
            }

            Assert.True(JsonRpcEnvelope.TryParse(line, out var general), "fast path accepted what the general parse refuses: " + Encoding.UTF8.GetString(line));
            Assert.Equal(Describe(line, general), Describe(line, fast));
            return 1;
        }
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("00", "00")]
    [InlineData("8001abcd", "8001abcd")]
    [InlineData("8001ABCD", "8001abcd")]
    [InlineData("0123456789abcdefABCDEF", "0123456789abcdefabcdef")]
    public void Hex_decodes_either_case(string hex, string expected)
    {
        Assert.True(Hex.TryDecode(Encoding.ASCII.GetBytes(hex), out var bytes));
        Assert.Equal(expected, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Hex_agrees_with_the_BCL_on_every_length_and_every_bad_byte_position()
    {
        // Long enough for the 16-digit vector steps and the table tail, at every split between them:
        // the fixed data, then this run's own.
        HexAgrees(new Random(7));
        TestSeed.Run(7, HexAgrees);
    }

    private static void HexAgrees(Random random)
    {
        for (int length = 0; length <= 80; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            string lower = Convert.ToHexStringLower(data), upper = Convert.ToHexString(data);
            Assert.True(Hex.TryDecode(Encoding.ASCII.GetBytes(lower), out var fromLower));
            Assert.Equal(data, fromLower);
            Assert.True(Hex.TryDecode(Encoding.ASCII.GetBytes(upper), out var fromUpper));
            Assert.Equal(data, fromUpper);

            for (int position = 0; position < lower.Length; position++)
            {
                foreach (byte bad in new byte[] { (byte)'g', (byte)'G', (byte)'/', (byte)':', (byte)'@', (byte)'`', 0x00, 0x80, 0xC6 })
                {
                    var text = Encoding.ASCII.GetBytes(lower);
                    text[position] = bad;
                    Assert.False(Hex.TryDecode(text, out var decoded), $"accepted byte 0x{bad:x2} at {position} of {length * 2}");
                    Assert.Empty(decoded);
                }
            }
        }
    }

    [Theory]
    [InlineData("8")]
    [InlineData("800")]
    [InlineData("80g1")]
    [InlineData("80 1")]
    [InlineData("8001abc:")]
    [InlineData("/0")]
    [InlineData("@0")]
    [InlineData("`0")]
    [InlineData("G0")]
    [InlineData("0\u00ff")]
    public void Hex_refuses_odd_lengths_and_non_digits(string hex)
    {
        Assert.False(Hex.TryDecode(Encoding.Latin1.GetBytes(hex), out var bytes));
        Assert.Empty(bytes);
    }

    private static bool IsTranscript(string firstLine)
    {
        using var doc = JsonDocument.Parse(firstLine);
        return doc.RootElement.TryGetProperty("dir", out _);
    }
}
