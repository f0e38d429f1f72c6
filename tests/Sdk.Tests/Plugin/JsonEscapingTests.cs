using Cln.ProtocolExtensions.Rpc.Json;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Plugin.Internal;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Tests.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// Every JSON the plugin writes escapes strings as lightningd does (ccan/json_escape): a quote, a
/// backslash, C0 controls and DEL, nothing else; text stays UTF-8.
/// </summary>
public class JsonEscapingTests
{
    private const string Sample = "it's héllo ⚡ \"quoted\" \\ 😀";

    // The sample as lightningd writes it: UTF-8, only the quotes and the backslash escaped.
    private const string SampleJson = "\"it's héllo ⚡ \\\"quoted\\\" \\\\ 😀\"";

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ClnJson.WriterOptions))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string WriteString(string value) => Write(w => w.WriteStringValue(value));

    private static string WriteUtf8(byte[] value) => Write(w => w.WriteStringValue(value));

    [Theory]
    [InlineData("\n", "\"\\n\"")]
    [InlineData("\r", "\"\\r\"")]
    [InlineData("\t", "\"\\t\"")]
    [InlineData("\b", "\"\\b\"")]
    [InlineData("\f", "\"\\f\"")]
    [InlineData("\0", "\"\\u0000\"")]
    [InlineData("\u0001", "\"\\u0001\"")]
    [InlineData("\u001b", "\"\\u001B\"")]
    [InlineData("\u001f", "\"\\u001F\"")]
    [InlineData("\u007f", "\"\\u007F\"")]
    [InlineData("\"", "\"\\\"\"")]
    [InlineData("\\", "\"\\\\\"")]
    public void Escapes_quote_backslash_C0_controls_and_DEL_as_lightningd_does(string value, string expected)
    {
        Assert.Equal(expected, WriteString(value));
        Assert.Equal(expected, WriteUtf8(Encoding.UTF8.GetBytes(value)));
    }

    [Theory]
    [InlineData("it's")]                      // the default encoder's \u0027
    [InlineData("<a href=\"x\">&amp;+`</a>/")] // HTML-sensitive characters
    [InlineData("héllo")]                     // Latin-1
    [InlineData("\u0085 \u009f")]             // C1 controls: not escaped by lightningd
    [InlineData("\u00a0\u00ad")]              // no-break space, soft hyphen
    [InlineData("\u2028\u2029")]              // line and paragraph separators
    [InlineData("\u200d\ufeff")]              // zero-width joiner, byte order mark
    [InlineData("\ue000\uf8ff")]              // private use
    [InlineData("\u0378\uffff")]              // unassigned, noncharacter
    [InlineData("⚡ 中文 العربية")]
    [InlineData("😀 👍🏽 👨‍👩‍👧")]              // astral, with modifiers and joiners
    [InlineData("\U0010FFFD")]                // the last plane
    public void Writes_everything_else_as_UTF8(string value)
    {
        var expected = "\"" + value.Replace("\"", "\\\"") + "\"";
        Assert.Equal(expected, WriteString(value));
        Assert.Equal(expected, WriteUtf8(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void Every_scalar_value_but_the_escaped_ones_is_written_as_itself()
    {
        var all = new StringBuilder();
        for (int scalar = 0x20; scalar <= 0x10FFFF; scalar++)
        {
            if (scalar is '"' or '\\' or 0x7F or (>= 0xD800 and <= 0xDFFF))
            {
                continue;
            }

            all.Append(char.ConvertFromUtf32(scalar));
        }

        var text = all.ToString();
        Assert.Equal("\"" + text + "\"", WriteString(text));
        Assert.Equal("\"" + text + "\"", WriteUtf8(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        // Built at run time: an attribute argument cannot hold a lone surrogate (metadata is UTF-8).
        (string Value, string Expected)[] cases =
        [
            ("a" + (char)0xD800 + "b", "\"a\ufffdb\""),                    // lone high surrogate
            ("a" + (char)0xDC00 + "b", "\"a\ufffdb\""),                    // lone low surrogate
            (string.Concat((char)0xDC00, (char)0xD800), "\"\ufffd\ufffd\""), // a pair in the wrong order
            ("end" + (char)0xD83D, "\"end\ufffd\""),                       // high surrogate at the end
        ];
        foreach (var (value, expected) in cases)
        {
            var written = WriteString(value);
            Assert.Equal(expected, written);
            Assert.DoesNotContain("\\u", written);
        }
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_become_replacement_characters_and_the_output_stays_UTF8()
    {
        byte[] input = [(byte)'a', 0xC3, (byte)'b', 0xFF, (byte)'c', 0xED, 0xA0, 0x80];
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ClnJson.WriterOptions))
        {
            w.WriteStringValue(input);
        }

        Assert.True(System.Text.Unicode.Utf8.IsValid(buffer.WrittenSpan));
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.StartsWith("\"a\ufffdb\ufffdc\ufffd", text);
        Assert.DoesNotContain("\\u", text);
    }

    [Fact]
    public void Property_names_are_escaped_the_same_way()
    {
        Assert.Equal("{\"it's ⚡\\n\":1}", Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("it's ⚡\n", 1);
            w.WriteEndObject();
        }));
    }

    [Theory]
    [InlineData(Sample)]
    [InlineData("\u0000\u001f\u007f\u2028 😀 \"\\")]
    public void What_is_written_reads_back_as_the_same_text(string value)
    {
        using var doc = JsonDocument.Parse(WriteString(value));
        Assert.Equal(value, doc.RootElement.GetString());
    }

    [Fact]
    public void Reencode_rewrites_another_writers_escapes_as_lightningd_would_write_them()
    {
        var value = new JsonObject
        {
            ["it's"] = Sample,
            ["list"] = new JsonArray(1, -2.5e3, true, false, null, "\u0001<>", new JsonObject()),
            ["nested"] = new JsonObject { ["emoji"] = "😀", ["n"] = 12345678901234 },
        };
        var defaultEscaped = value.ToJsonString(); // System.Text.Json's default encoder: \u0027, \u00E9, \uD83D\uDE00...
        Assert.Contains("\\u0027", defaultEscaped);

        var buffer = new ArrayBufferWriter<byte>();
        ClnJson.Reencode(Encoding.UTF8.GetBytes(defaultEscaped), buffer);

        Assert.Equal(Write(w => value.WriteTo(w)), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Reencode_copies_JSON_without_escapes_unchanged()
    {
        var json = "{\"node_id\":\"02ab\",\"msg\":\"8001\", \"n\" : 1}"u8.ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        ClnJson.Reencode(json, buffer);
        Assert.Equal(json, buffer.WrittenSpan.ToArray());
    }

    private static bool HasId(JsonElement e, string id) =>
        e.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String && i.GetString() == id && !e.TryGetProperty("method", out _);

    private static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Sends a request and returns the exact text of the plugin's answer to it.</summary>
    private static async Task<string> RawAnswerAsync(PluginHarness h, string id, string method, string @params)
    {
        await h.SendAsync(PluginHarness.Request(id, method, @params));
        return Utf8(await h.ReadRawAsync(e => HasId(e, id)));
    }

    [Fact]
    public async Task A_method_result_reaches_lightningd_byte_for_byte()
    {
        await using var h = new PluginHarness(b => b.AddMethod("echo", (ctx, ct) =>
            ValueTask.FromResult<JsonNode?>(new JsonObject
            {
                ["text"] = Sample,
                ["param"] = ctx.Params.GetProperty("text").GetString(),
            })));
        await h.HandshakeAsync();

        // The caller escaped its text (\u00e9, \ud83d\ude00): the answer carries it as UTF-8.
        var frame = await RawAnswerAsync(h, "cli:echo#1/cln:echo#2", "echo", "{\"text\":\"h\\u00e9llo \\ud83d\\ude00\"}");

        Assert.Equal(
            "{\"jsonrpc\":\"2.0\",\"id\":\"cli:echo#1/cln:echo#2\",\"result\":{\"text\":" + SampleJson + ",\"param\":\"héllo 😀\"}}\n\n",
            frame);
    }

    [Fact]
    public async Task A_method_error_reaches_lightningd_byte_for_byte()
    {
        await using var h = new PluginHarness(b => b.AddMethod("fail", (ctx, ct) =>
            throw new PluginMethodException(1234, Sample, new JsonObject { ["why"] = "⚡ 😀" })));
        await h.HandshakeAsync();

        var frame = await RawAnswerAsync(h, "cli:fail#1/cln:fail#2", "fail", "[]");

        Assert.Equal(
            "{\"jsonrpc\":\"2.0\",\"id\":\"cli:fail#1/cln:fail#2\",\"error\":{\"code\":1234,\"message\":" + SampleJson + ",\"data\":{\"why\":\"⚡ 😀\"}}}\n\n",
            frame);
    }

    [Fact]
    public async Task A_hook_result_reaches_lightningd_byte_for_byte()
    {
        await using var h = new PluginHarness(b => b.AddHook("rpc_command", (ctx, ct) =>
            ValueTask.FromResult<JsonNode>(new JsonObject { ["return"] = new JsonObject { ["error"] = new JsonObject { ["code"] = 1, ["message"] = Sample } } })));
        await h.HandshakeAsync();

        var frame = await RawAnswerAsync(h, "cln:rpc_command#7", "rpc_command", "{\"rpc_command\":{\"id\":1,\"method\":\"x\",\"params\":{}}}");

        Assert.Equal(
            "{\"jsonrpc\":\"2.0\",\"id\":\"cln:rpc_command#7\",\"result\":{\"return\":{\"error\":{\"code\":1,\"message\":" + SampleJson + "}}}}\n\n",
            frame);
    }

    [Fact]
    public async Task A_log_line_reaches_lightningd_byte_for_byte()
    {
        await using var h = new PluginHarness(b => b.AddMethod("log", (ctx, ct) =>
        {
            ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger("x").LogInformation("{Text}", Sample);
            return ValueTask.FromResult<JsonNode?>(null);
        }));
        await h.HandshakeAsync();

        await h.SendAsync(PluginHarness.Request("cli:log#1/cln:log#2", "log", "{}"));
        var frame = await h.ReadRawAsync(e => e.TryGetProperty("method", out var m) && m.GetString() == "log"
            && e.GetProperty("params").GetProperty("message").GetString() == Sample);

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"level\":\"info\",\"message\":" + SampleJson + "}}\n\n", Utf8(frame));
    }

    [Fact]
    public async Task Message_notifications_and_custom_notifications_reach_lightningd_byte_for_byte()
    {
        await using var h = new PluginHarness(b =>
        {
            b.AddNotificationTopic("news");
            b.AddMethod("tell", (ctx, ct) =>
            {
                ctx.NotifyMessage(Sample);
                ctx.Services.GetRequiredService<IPluginNotifier>().Notify("news", new JsonObject { ["text"] = Sample });
                return ValueTask.FromResult<JsonNode?>(null);
            });
        });
        await h.HandshakeAsync();

        await h.SendAsync(PluginHarness.Request("cli:tell#1/cln:tell#2", "tell", "{}"));
        var message = await h.ReadRawAsync(e => e.TryGetProperty("method", out var m) && m.GetString() == "message");
        var news = await h.ReadRawAsync(e => e.TryGetProperty("method", out var m) && m.GetString() == "news");

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"message\",\"params\":{\"id\":\"cli:tell#1/cln:tell#2\",\"level\":\"info\",\"message\":" + SampleJson + "}}\n\n", Utf8(message));
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"news\",\"params\":{\"text\":" + SampleJson + ",\"news\":{\"text\":" + SampleJson + "}}}\n\n", Utf8(news));
    }

    [Fact]
    public async Task The_manifest_keeps_descriptions_as_UTF8()
    {
        await using var h = new PluginHarness(b =>
        {
            b.AddMethod("m", (ctx, ct) => ValueTask.FromResult<JsonNode?>(null), usage: "peer [count]", description: Sample);
            b.AddStringOption("testplugin-o", "Option it's 😀", "default ⚡");
        });

        await h.SendAsync(PluginHarness.Manifest());
        var manifest = Utf8(await h.ReadRawAsync(e => HasId(e, "cln:getmanifest#1")));

        Assert.Contains("\"description\":" + SampleJson, manifest);
        Assert.Contains("\"default\":\"default ⚡\"", manifest);
        Assert.Contains("\"description\":\"Option it's 😀\"", manifest);
        Assert.DoesNotContain("\\u", manifest);
    }

    [Fact]
    public async Task Lightning_rpc_requests_keep_text_as_UTF8()
    {
        await using var rpc = new FakeLightningRpc();
        await using var h = new PluginHarness(_ => { });
        await h.HandshakeAsync(rpc.Directory);

        var client = h.Plugin.Services.GetRequiredService<ILightningClient>();
        await client.CallAsync("invoice", new JsonObject { ["label"] = Sample }).WaitAsync(PluginHarness.Timeout);

        var raw = Utf8(Assert.Single(rpc.RawRequests));
        Assert.Contains("\"label\":" + SampleJson, raw);
        Assert.DoesNotContain("\\u", raw);
    }
}
