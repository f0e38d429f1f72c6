using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.DependencyInjection;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// Typed RPC methods (<see cref="TypedMethods"/>) on the in-memory lightningd: every parameter type,
/// by position and by name, every refusal in lightningd's words, <c>check</c> and <c>help</c>.
/// </summary>
/// <remarks>
/// Params go to the node's lightning-rpc through the SDK's client (<see cref="SimulatedNode.Rpc"/>) as
/// lightning-cli would send them: an array by default (<c>CallPositionalAsync</c>), an object with
/// <c>-k</c> (<c>CallAsync</c>).
/// </remarks>
public sealed class TypedMethodTests : IAsyncLifetime
{
    internal const string Node = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";
    internal const string Hash = "0000000000000000000000000000000000000000000000000000000000000abc";

    private readonly CallCounter _counter = new();
    private LightningdSimulator _ln = null!;
    private SimulatedNode _node = null!;
    private SimulatedPlugin _plugin = null!;

    public async Task InitializeAsync()
    {
        _ln = new LightningdSimulator();
        _node = _ln.AddNode("alice");
        _plugin = await _node.StartPluginAsync("typed", b =>
        {
            b.Services.AddSingleton(_counter);
            b.AddMethods<TypedMethods>();
        });
    }

    public async Task DisposeAsync() => await _ln.DisposeAsync();

    /// <summary>lightningd's answer: a result, or the error the client threw for it.</summary>
    private sealed record Answer(JsonElement? Result, ClnRpcException? Error);

    /// <summary>Calls <paramref name="method"/> with these params (an array: by position; an object: by name).</summary>
    private async Task<Answer> CallAsync(string method, string rawParams)
    {
        var parameters = JsonNode.Parse(rawParams);
        try
        {
            var result = parameters is JsonArray array
                ? await _node.Rpc.CallPositionalAsync(method, array)
                : await _node.Rpc.CallAsync(method, parameters!.AsObject());
            return new Answer(result, null);
        }
        catch (ClnRpcException e) when (e is not ClnRpcConnectionException)
        {
            return new Answer(null, e);
        }
    }

    private static JsonElement Result(Answer answer)
    {
        Assert.True(answer.Result.HasValue, answer.Error?.Message);
        return answer.Result.Value;
    }

    private static void AssertRefused(Answer answer, string message, int code = -32602)
    {
        Assert.True(answer.Error is not null, answer.Result?.GetRawText());
        Assert.Equal(code, answer.Error.Code);
        Assert.Equal(message, answer.Error.ClnMessage);
    }

    private const string ScalarsPositional =
        $"""["héllo", true, -128, 255, -32768, 65535, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, "outgoing_only", "{Node}", "103x1x0", "{Hash}", "00ff", "1sat", {"{"}"k":[1]{"}"}]""";

    private static void AssertScalars(JsonElement result)
    {
        Assert.Equal("héllo", result.GetProperty("text").GetString());
        Assert.Equal("true", result.GetProperty("flag").GetString());
        Assert.Equal("-128", result.GetProperty("s8").GetString());
        Assert.Equal("255", result.GetProperty("u8").GetString());
        Assert.Equal("-32768", result.GetProperty("s16").GetString());
        Assert.Equal("65535", result.GetProperty("u16").GetString());
        Assert.Equal("-2147483648", result.GetProperty("s32").GetString());
        Assert.Equal("4294967295", result.GetProperty("u32").GetString());
        Assert.Equal("-9223372036854775808", result.GetProperty("s64").GetString());
        Assert.Equal("18446744073709551615", result.GetProperty("u64").GetString());
        Assert.Equal("OutgoingOnly", result.GetProperty("direction").GetString());
        Assert.Equal(Node, result.GetProperty("node").GetString());
        Assert.Equal("103x1x0", result.GetProperty("scid").GetString());
        Assert.Equal(Hash, result.GetProperty("hash").GetString());
        Assert.Equal("00ff", result.GetProperty("bytes").GetString());
        Assert.Equal("1000", result.GetProperty("amount").GetString());
        Assert.Equal("""{"k":[1]}""", result.GetProperty("any").GetString());
    }

    [Fact]
    public async Task Every_scalar_type_binds_by_position()
    {
        var result = Result(await CallAsync("typed-scalars", ScalarsPositional));
        AssertScalars(result);
        // Sent and read back as UTF-8, not as \u escapes.
        Assert.Equal("\"héllo\"", result.GetProperty("text").GetRawText());
        Assert.Equal(1, _counter.Calls);
    }

    [Fact]
    public async Task Every_scalar_type_binds_by_name_in_any_order()
    {
        string named = $$"""
            {"any":{"k":[1]},"amount":"1sat","bytes":"00ff","hash":"{{Hash}}","scid":"103x1x0","node":"{{Node}}",
             "direction":"outgoing_only","u64":18446744073709551615,"s64":-9223372036854775808,"u32":4294967295,
             "s32":-2147483648,"u16":65535,"s16":-32768,"u8":255,"s8":-128,"flag":true,"text":"héllo"}
            """;
        AssertScalars(Result(await CallAsync("typed-scalars", named)));
    }

    [Fact]
    public async Task Numbers_and_booleans_sent_as_strings_bind_as_lightning_cli_sends_them()
    {
        // lightning-cli sends an argument as a string when it does not parse as a JSON literal; other
        // clients send "3" and "true" as strings too.
        string quoted = $"""["42", "true", "-1", "2", "-3", "4", "-5", "6", "-7", "8", "incoming", "{Node}", "1x2x3", "{Hash}", "", "1000msat", "x"]""";
        var result = Result(await CallAsync("typed-scalars", quoted));
        Assert.Equal("42", result.GetProperty("text").GetString());
        Assert.Equal("true", result.GetProperty("flag").GetString());
        Assert.Equal("-1", result.GetProperty("s8").GetString());
        Assert.Equal("8", result.GetProperty("u64").GetString());
        Assert.Equal("Incoming", result.GetProperty("direction").GetString());
        Assert.Equal("", result.GetProperty("bytes").GetString());
        Assert.Equal("1000", result.GetProperty("amount").GetString());
        Assert.Equal("\"x\"", result.GetProperty("any").GetString());

        // A number literal binds to a string parameter as its text (lightningd's param_string).
        var numeric = Result(await CallAsync("typed-optional", "[12345]"));
        Assert.Equal("12345", numeric.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("1000", 1000UL)]
    [InlineData("\"1000\"", 1000UL)]
    [InlineData("\"1000msat\"", 1000UL)]
    [InlineData("\"1sat\"", 1000UL)]
    [InlineData("\"0.001btc\"", 100_000_000UL)]
    public async Task Amounts_bind_in_every_form_lightningd_accepts(string amount, ulong msat)
    {
        var result = Result(await CallAsync("typed-optional", $$"""{"text":"t","amount-msat":{{amount}}}"""));
        Assert.Equal(msat, result.GetProperty("amount_msat").GetUInt64());
    }

    [Fact]
    public async Task Enums_bind_by_snake_case_name_or_their_declared_name()
    {
        Assert.Equal(1, Result(await CallAsync("typed-optional", """["t", null, null, null, "outgoing_only"]""")).GetProperty("direction").GetInt32());
        Assert.Equal(2, Result(await CallAsync("typed-optional", """["t", null, null, null, "both-ways"]""")).GetProperty("direction").GetInt32());
        AssertRefused(await CallAsync("typed-optional", """["t", null, null, null, "OutgoingOnly"]"""),
            "direction: should be 'incoming', 'outgoing_only' or 'both-ways': invalid token '\"OutgoingOnly\"'");
    }

    [Fact]
    public async Task Optional_parameters_take_their_defaults_when_left_out_or_null()
    {
        var defaults = Result(await CallAsync("typed-optional", """["only text"]"""));
        Assert.Equal("only text", defaults.GetProperty("text").GetString());
        Assert.Equal(3, defaults.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("note").ValueKind);
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("flag").ValueKind);
        Assert.Equal(1, defaults.GetProperty("direction").GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("amount_msat").ValueKind);

        var nulls = Result(await CallAsync("typed-optional", """{"text":"t","count":null,"flag":null}"""));
        Assert.Equal(3, nulls.GetProperty("count").GetInt32());

        var given = Result(await CallAsync("typed-optional", """{"flag":false,"note":"n","count":"7","text":"t"}"""));
        Assert.Equal(7, given.GetProperty("count").GetInt32());
        Assert.Equal("n", given.GetProperty("note").GetString());
        Assert.False(given.GetProperty("flag").GetBoolean());
    }

    [Fact]
    public async Task Arrays_of_bound_types_bind_both_ways()
    {
        string positional = $"""[["{Node}"], [1, "2"], ["incoming", "both-ways"], ["", "ab"], [1, "2sat"]]""";
        var result = Result(await CallAsync("typed-arrays", positional));
        Assert.Equal(Node, result.GetProperty("nodes")[0].GetString());
        Assert.Equal([1, 2], result.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["Incoming", "Both"], result.GetProperty("directions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["", "ab"], result.GetProperty("blobs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1UL, 2000UL], result.GetProperty("amounts").EnumerateArray().Select(e => e.GetUInt64()));

        var named = Result(await CallAsync("typed-arrays", """{"blobs":[],"directions":[],"counts":[],"nodes":[]}"""));
        Assert.Equal(0, named.GetProperty("nodes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, named.GetProperty("amounts").ValueKind);
    }

    [Fact]
    public async Task Injected_parameters_are_not_bound_and_come_from_the_call()
    {
        var result = Result(await CallAsync("typed-inject", "[]"));
        Assert.Equal("typed-inject", result.GetProperty("method").GetString());
        Assert.True(result.GetProperty("client").GetBoolean());
        Assert.True(result.GetProperty("same_counter").GetBoolean());
        AssertRefused(await CallAsync("typed-inject", """["x"]"""), "too many parameters: got 1, expected 0");
        AssertRefused(await CallAsync("typed-inject", """{"request":1}"""),
            "unknown parameter: request, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.");
    }

    [Fact]
    public async Task Methods_without_a_value_answer_an_empty_object()
    {
        Assert.Equal("{}", Result(await CallAsync("typed-task", "[]")).GetRawText());
        Assert.Equal("{}", Result(await CallAsync("typed-static", "[31]")).GetRawText());
        Assert.Contains(31, TypedMethods.StaticCalls);
    }

    [Fact]
    public async Task A_method_error_passes_through_with_its_code_message_and_data()
    {
        var answer = await CallAsync("typed-fails", "[1234]");
        AssertRefused(answer, "refused by the method", 1234);
        Assert.Equal("test", JsonDocument.Parse(answer.Error!.ErrorData!).RootElement.GetProperty("why").GetString());
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        // Shape (common/json_param.c).
        { "typed-optional", "[]", "missing required parameter: text" },
        { "typed-optional", "{}", "missing required parameter: text" },
        { "typed-optional", "[null]", "missing required parameter: text" },
        { "typed-optional", """{"text":null}""", "missing required parameter: text" },
        { "typed-optional", """["a", 1, "n", true, "incoming", 5, "extra"]""", "too many parameters: got 7, expected 6" },
        { "typed-optional", """{"text":"a","colour":"red"}""", "unknown parameter: colour, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters." },
        // lightningd reports the first problem in the order it reads the params.
        { "typed-optional", """["a", "x", "n", true, "incoming", 5, "extra"]""", "count: should be a signed 32 bit integer: invalid token '\"x\"'" },
        { "typed-optional", """{"count":"x","colour":"red"}""", "count: should be a signed 32 bit integer: invalid token '\"x\"'" },
        { "typed-optional", """{"colour":"red","count":"x"}""", "unknown parameter: colour, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters." },
        { "typed-optional", """{"count":"x"}""", "count: should be a signed 32 bit integer: invalid token '\"x\"'" },
        // Values (the param_* helpers' words, naming the parameter and the value as sent).
        { "typed-optional", """["a", 2147483648]""", "count: should be a signed 32 bit integer: invalid token '2147483648'" },
        { "typed-optional", """["a", 1.5]""", "count: should be a signed 32 bit integer: invalid token '1.5'" },
        { "typed-optional", """["a", "+1"]""", "count: should be a signed 32 bit integer: invalid token '\"+1\"'" },
        { "typed-optional", """["a", 1, "n", "yes"]""", "flag: should be 'true' or 'false': invalid token '\"yes\"'" },
        { "typed-optional", """["a", 1, "n", 1]""", "flag: should be 'true' or 'false': invalid token '1'" },
        { "typed-optional", """{"text":{"a":1}}""", "text: should be a string: invalid token '{\"a\":1}'" },
        { "typed-optional", """{"text":"a","amount-msat":"1.5sat"}""", "amount-msat: should be a millisatoshi amount: invalid token '\"1.5sat\"'" },
        { "typed-optional", """{"text":"a","direction":3}""", "direction: should be 'incoming', 'outgoing_only' or 'both-ways': invalid token '3'" },
        { "typed-arrays", """{"nodes":"02ab"}""", "nodes: should be an array: invalid token '\"02ab\"'" },
        { "typed-arrays", $$"""{"nodes":["{{Node}}","02ab"]}""", "nodes[1]: should be a node id: invalid token '\"02ab\"'" },
        { "typed-arrays", """[[], [], [], ["0g"]]""", "blobs[0]: should be a hex value: invalid token '\"0g\"'" },
        { "typed-arrays", """[[], [1, "x"]]""", "counts[1]: should be a signed 32 bit integer: invalid token '\"x\"'" },
    };

    [Fact]
    public async Task Duplicate_names_are_refused_before_the_method_runs()
    {
        // No JSON object model holds a name twice, so this request goes to the socket as written.
        await using var socket = await RawSocket.ConnectAsync(_node.RpcPath);
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"raw:1","method":"typed-optional","params":{"text":"a","text":"b"}}""");
        var error = JsonDocument.Parse(Assert.Single(await socket.ReceiveAsync(1))).RootElement.GetProperty("error");

        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Equal("duplicate json names: text", error.GetProperty("message").GetString());
        Assert.Equal(0, _counter.Calls);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_params_are_refused_in_lightningds_words_before_the_method_runs(string method, string rawParams, string message)
    {
        AssertRefused(await CallAsync(method, rawParams), message);
        Assert.Equal(0, _counter.Calls);
        Assert.DoesNotContain(_plugin.Log, e => e.Level >= NodeLogLevel.Unusual);
        Assert.DoesNotContain(_node.Log, e => e.Level == NodeLogLevel.Broken);
    }

    public static TheoryData<int, string, string> ScalarRefusals => new()
    {
        { 2, "-129", "s8: should be a signed 8 bit integer: invalid token '-129'" },
        { 3, "256", "u8: should be an unsigned 8 bit integer: invalid token '256'" },
        { 3, "-1", "u8: should be an unsigned 8 bit integer: invalid token '-1'" },
        { 4, "32768", "s16: should be a signed 16 bit integer: invalid token '32768'" },
        { 5, "65536", "u16: should be an unsigned 16 bit integer: invalid token '65536'" },
        { 6, "\"2147483648\"", "s32: should be a signed 32 bit integer: invalid token '\"2147483648\"'" },
        { 7, "4294967296", "u32: should be an unsigned 32 bit integer: invalid token '4294967296'" },
        { 8, "9223372036854775808", "s64: should be a signed 64 bit integer: invalid token '9223372036854775808'" },
        { 9, "18446744073709551616", "u64: should be an unsigned 64 bit integer: invalid token '18446744073709551616'" },
        { 9, "1e3", "u64: should be an unsigned 64 bit integer: invalid token '1e3'" },
        { 11, "\"02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f2836866\"", "node: should be a node id: invalid token '\"02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f2836866\"'" },
        { 11, "\"04eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619\"", "node: should be a node id: invalid token '\"04eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619\"'" },
        { 12, "\"103:1:0\"", "scid: should be a short_channel_id of form NxNxN: invalid token '\"103:1:0\"'" },
        { 13, "\"abc\"", "hash: should be a 32 byte hex value: invalid token '\"abc\"'" },
        { 14, "\"0\"", "bytes: should be a hex value: invalid token '\"0\"'" },
        { 15, "\"1 sat\"", "amount: should be a millisatoshi amount: invalid token '\"1 sat\"'" },
        { 15, "-1", "amount: should be a millisatoshi amount: invalid token '-1'" },
    };

    [Theory]
    [MemberData(nameof(ScalarRefusals))]
    public async Task Every_type_refuses_a_value_it_cannot_read_naming_the_parameter_and_the_value(int position, string bad, string message)
    {
        var values = JsonDocument.Parse(ScalarsPositional).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToArray();
        values[position] = bad;
        AssertRefused(await CallAsync("typed-scalars", "[" + string.Join(",", values) + "]"), message);
        Assert.Equal(0, _counter.Calls);
    }

    [Fact]
    public async Task The_manifest_carries_usage_and_description_from_the_declaration_and_help_shows_the_usage()
    {
        var methods = _plugin.Manifest!.RpcMethods.ToDictionary(m => m.Name);
        Assert.Equal("text [count] [note] [flag] [direction] [amount-msat]", methods["typed-optional"].Usage);
        Assert.Equal("Optional parameters: nullable, defaulted, renamed.", methods["typed-optional"].Description);
        Assert.Equal("Echoes every scalar type it binds, as text.", methods["typed-scalars"].Description);
        Assert.Equal("text flag s8 u8 s16 u16 s32 u32 s64 u64 direction node scid hash bytes amount any", methods["typed-scalars"].Usage);
        Assert.Equal("", methods["typed-inject"].Usage);
        Assert.True(_plugin.Manifest.CanCheck);

        var help = Result(await CallAsync("help", """["typed-optional"]"""));
        Assert.Equal("typed-optional text [count] [note] [flag] [direction] [amount-msat]", Assert.Single(help.GetProperty("help").EnumerateArray()).GetProperty("command").GetString());
    }

    [Fact]
    public async Task Check_validates_the_params_without_running_the_method()
    {
        var passed = Result(await CallAsync("check", """["typed-optional", "a", "7"]"""));
        Assert.Equal("typed-optional", passed.GetProperty("command_to_check").GetString());
        var passedByName = Result(await CallAsync("check", """{"command_to_check":"typed-optional","text":"a","count":7}"""));
        Assert.Equal("typed-optional", passedByName.GetProperty("command_to_check").GetString());

        AssertRefused(await CallAsync("check", """["typed-optional"]"""), "missing required parameter: text");
        AssertRefused(await CallAsync("check", """{"command_to_check":"typed-optional","text":"a","count":"many"}"""),
            "count: should be a signed 32 bit integer: invalid token '\"many\"'");
        AssertRefused(await CallAsync("check", """["typed-fails", 1, 2]"""), "too many parameters: got 2, expected 1");
        Result(await CallAsync("check", """["typed-fails", 1]""")); // would fail if it ran

        Assert.Equal(0, _counter.Calls);
        Assert.DoesNotContain(_node.Log, e => e.Level >= NodeLogLevel.Unusual);
        Assert.DoesNotContain(_plugin.Log, e => e.Level >= NodeLogLevel.Unusual);
    }
}
