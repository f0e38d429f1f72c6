using System.Text.Json;
using static Cln.ProtocolExtensions.Testing.Tests.RpcAnswers;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// <c>datastore</c>, <c>listdatastore</c> and <c>deldatastore</c> on the simulator, against the examples
/// of doc/schemas/*.json at v26.06.6 (their answers depend only on the requests before them) and
/// lightningd/datastore.c's errors.
/// </summary>
public class DatastoreCommandTests
{
    [Fact]
    public async Task Datastore_examples_give_the_schemas_answers()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");

        // doc/schemas/datastore.json examples[0..2], in order.
        AssertJson("""
            {"key":["employee","index"],"generation":0,"hex":"736176696e6720656d706c6f796565206b65797320746f207468652073746f7265","string":"saving employee keys to the store"}
            """, await ResultAsync(node, "datastore", """{"key":["employee","index"],"string":"saving employee keys to the store","mode":"must-create"}"""));
        AssertJson("""
            {"key":["otherkey"],"generation":0,"hex":"6f74686572","string":"other"}
            """, await ResultAsync(node, "datastore", """{"key":"otherkey","string":"other","mode":"must-create"}"""));
        AssertJson("""
            {"key":["otherkey"],"generation":1,"hex":"6f74686572206b65793a207465787420746f20626520617070656e64656420746f20746865206f746865726b6579","string":"other key: text to be appended to the otherkey"}
            """, await ResultAsync(node, "datastore", """{"key":"otherkey","string":" key: text to be appended to the otherkey","mode":"must-append","generation":0}"""));

        // doc/schemas/listdatastore.json examples[0], after the records above.
        AssertJson("""
            {"datastore":[{"key":["employee","index"],"generation":0,"hex":"736176696e6720656d706c6f796565206b65797320746f207468652073746f7265","string":"saving employee keys to the store"}]}
            """, await ResultAsync(node, "listdatastore", """{"key":["employee"]}"""));

        // doc/schemas/deldatastore.json examples[1]: otherkey at generation 1, as the datastore examples left it.
        AssertJson("""
            {"key":["otherkey"],"generation":1,"hex":"6f74686572206b65793a207465787420746f20626520617070656e64656420746f20746865206f746865726b6579","string":"other key: text to be appended to the otherkey"}
            """, await ResultAsync(node, "deldatastore", """{"key":"otherkey","generation":1}"""));
    }

    [Fact]
    public async Task Listdatastore_and_deldatastore_examples_give_the_schemas_answers()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        await ResultAsync(node, "datastore", """["somekey","a"]""");
        await ResultAsync(node, "datastore", """[["test","name"],"saving data to the store"]""");

        // doc/schemas/listdatastore.json examples[1].
        AssertJson("""{"datastore":[{"key":["somekey"],"generation":0,"hex":"61","string":"a"}]}""",
            await ResultAsync(node, "listdatastore", """{"key":"somekey"}"""));
        // doc/schemas/deldatastore.json examples[0].
        AssertJson("""{"key":["test","name"],"generation":0,"hex":"736176696e67206461746120746f207468652073746f7265","string":"saving data to the store"}""",
            await ResultAsync(node, "deldatastore", """{"key":["test","name"]}"""));
        AssertJson("""{"datastore":[{"key":["somekey"],"generation":0,"hex":"61","string":"a"}]}""",
            await ResultAsync(node, "listdatastore", "[]"));
    }

    [Fact]
    public async Task Answers_have_the_schemas_fields_and_types()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");

        var stored = await ResultAsync(node, "datastore", """{"key":["p","k"],"hex":"00ff"}""");
        var listed = await ResultAsync(node, "listdatastore", """{"key":"p"}""");
        var deleted = await ResultAsync(node, "deldatastore", """[["p","k"]]""");

        // doc/schemas/datastore.json and deldatastore.json response: required [key] (array of string);
        // generation u64, hex hex, string string; additionalProperties false. Bytes that are not UTF-8
        // have no string (lightningd/datastore.c json_add_datastore, utf8_str).
        foreach (var entry in new[] { stored, deleted, Assert.Single(listed.GetProperty("datastore").EnumerateArray()) })
        {
            Assert.Equal(["key", "generation", "hex"], Names(entry));
            Assert.Equal(["p", "k"], entry.GetProperty("key").EnumerateArray().Select(k => k.GetString()));
            AssertUnsigned(entry.GetProperty("generation"));
            AssertHex(entry.GetProperty("hex"));
            Assert.Equal("00ff", entry.GetProperty("hex").GetString());
        }
        // doc/schemas/listdatastore.json response: required [datastore], an array of objects.
        Assert.Equal(["datastore"], Names(listed));
    }

    [Fact]
    public async Task Each_mode_creates_replaces_or_appends_as_lightningd_does()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");

        // lightningd/datastore.c param_mode and json_datastore: generation 0 on create, +1 on each change.
        await AssertEntry(node, """{"key":"k","string":"a","mode":"create-or-append"}""", 0, "a");
        await AssertEntry(node, """{"key":"k","string":"b","mode":"create-or-append"}""", 1, "ab");
        await AssertEntry(node, """{"key":"k","string":"c","mode":"must-replace"}""", 2, "c");
        await AssertEntry(node, """{"key":"k","string":"d","mode":"create-or-replace"}""", 3, "d");
        await AssertEntry(node, """{"key":"k","string":"e","mode":"must-append","generation":3}""", 4, "de");
        await AssertEntry(node, """{"key":"new","string":"n","mode":"create-or-replace"}""", 0, "n");
        await AssertEntry(node, """["k","f",null,"must-replace","0x4"]""", 5, "f"); // positional, null skipped; param_u64 is strtoull(.., 0): 0x4 is 4
        await AssertEntry(node, """{"key":"k","hex":"","mode":"must-replace"}""", 6, ""); // empty hex is zero bytes

        static async Task AssertEntry(SimulatedNode node, string request, ulong generation, string text)
        {
            var entry = await ResultAsync(node, "datastore", request);
            Assert.Equal(generation, entry.GetProperty("generation").GetUInt64());
            Assert.Equal(text, entry.GetProperty("string").GetString());
        }
    }

    [Fact]
    public async Task Datastore_errors_have_lightningds_codes_and_words()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        await ResultAsync(node, "datastore", """{"key":["a","b"],"string":"x"}""");

        // lightningd/datastore.c json_datastore; codes from common/jsonrpc_errors.h.
        await AssertErrorAsync(node, "datastore", """{"key":["a","b"],"string":"x"}""", 1202, "Key already exists");
        await AssertErrorAsync(node, "datastore", """{"key":"c","string":"x","mode":"must-replace"}""", 1203, "Key does not exist");
        await AssertErrorAsync(node, "datastore", """{"key":["a","b"],"string":"x","mode":"must-append","generation":7}""", 1204, "generation is different");
        await AssertErrorAsync(node, "datastore", """{"key":"a","string":"x","mode":"create-or-replace"}""", 1205, "Key has children already");
        await AssertErrorAsync(node, "datastore", """{"key":["a","b","c"],"string":"x"}""", 1206, "Parent key [a,b] exists");
        await AssertErrorAsync(node, "datastore", """{"key":"c","string":"x","generation":0}""", -32602, "generation only valid with must-replace or must-append");
        await AssertErrorAsync(node, "datastore", """{"key":"c","string":"x","hex":"78"}""", -32602, "Cannot have both hex and string");
        await AssertErrorAsync(node, "datastore", """{"key":"c"}""", -32602, "Must have either hex or string");
        await AssertErrorAsync(node, "datastore", """{"key":"c","hex":"7"}""", -32602, "Must have either hex or string"); // v26.06.6: malformed hex reads as none
        await AssertErrorAsync(node, "datastore", """{"string":"x"}""", -32602, "missing required parameter: key");
    }

    [Fact]
    public async Task Datastore_parameter_errors_are_lightningds_badparam_texts()
    {
        await using var ln = new LightningdSimulator(new LightningdSimulatorOptions { Developer = true });
        var node = ln.AddNode("alice");

        // command_fail_badparam: "<name>: <why>: invalid token '<token>'" in developer mode.
        await AssertErrorAsync(node, "datastore", """{"key":[],"string":"x"}""", -32602, "key: should not be empty: invalid token '[]'");
        await AssertErrorAsync(node, "datastore", """{"key":["a",{}],"string":"x"}""", -32602, "key: should be string: invalid token '{}'");
        await AssertErrorAsync(node, "datastore", """{"key":{},"string":"x"}""", -32602, "key: should be string or array: invalid token '{}'");
        await AssertErrorAsync(node, "datastore", """{"key":"a","string":"\u0041"}""", -32602, "string: should be a string (without \\u): invalid token '\"\\u0041\"'");
        await AssertErrorAsync(node, "datastore", """{"key":"a","string":"x","mode":"overwrite"}""", -32602,
            "mode: should be 'must-create', 'must-replace', 'create-or-replace', 'must-append', or 'create-or-append': invalid token '\"overwrite\"'");
        await AssertErrorAsync(node, "datastore", """{"key":"a","string":"x","mode":"must-replace","generation":"one"}""", -32602,
            "generation: should be an unsigned 64 bit integer: invalid token '\"one\"'");
        await AssertErrorAsync(node, "datastore", """{"key":"a","key":"b","string":"x"}""", -32602, "duplicate json names: key");
    }

    [Fact]
    public async Task Generation_is_read_as_strtoull_reads_it()
    {
        await using var ln = new LightningdSimulator(new LightningdSimulatorOptions { Developer = true });
        var node = ln.AddNode("alice");
        await ResultAsync(node, "datastore", """["k","v"]""");

        // common/json_parse_simple.c json_to_u64: strtoull(text, &end, 0) must use the whole token;
        // a minus wraps around, so "-1" is a valid (and here wrong) generation; 2^64 overflows.
        await AssertErrorAsync(node, "deldatastore", """["k","-1"]""", 1201, "generation is different");
        await AssertErrorAsync(node, "deldatastore", """["k","18446744073709551616"]""", -32602,
            "generation: should be an unsigned 64 bit integer: invalid token '\"18446744073709551616\"'");
        await AssertErrorAsync(node, "deldatastore", """["k",1.5]""", -32602, "generation: should be an unsigned 64 bit integer: invalid token '1.5'");
        await AssertErrorAsync(node, "deldatastore", """["k","0x"]""", -32602, "generation: should be an unsigned 64 bit integer: invalid token '\"0x\"'");
        Assert.Equal(0UL, (await ResultAsync(node, "deldatastore", """["k"," 00"]""")).GetProperty("generation").GetUInt64()); // octal 0, space skipped
    }

    [Fact]
    public async Task Strings_are_unescaped_and_keys_kept_as_written()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");

        // string: param_escaped_string resolves escapes; key: json_strdup keeps the token's text, and a
        // number is a key part like any other.
        var entry = await ResultAsync(node, "datastore", """{"key":["a\tb",7],"string":"x\ty"}""");

        Assert.Equal("780979", entry.GetProperty("hex").GetString());
        Assert.Equal("x\ty", entry.GetProperty("string").GetString());
        Assert.Equal(["a\\tb", "7"], entry.GetProperty("key").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Listdatastore_summarises_deeper_keys_and_lists_in_key_order()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        foreach (var key in new[] { """["b"]""", """["a","y","1"]""", """["a","y","2"]""", """["a","x"]""", """["a","z","q","r"]""" })
            await ResultAsync(node, "datastore", $$"""{"key":{{key}},"string":"v"}""");

        var top = await ResultAsync(node, "listdatastore", "{}");
        var underA = await ResultAsync(node, "listdatastore", """["a"]""");

        // lightningd/datastore.c json_listdatastore: "Don't list sub-children, except as summary to show it exists."
        Assert.Equal(["""["a"]""", """["b"]"""], top.GetProperty("datastore").EnumerateArray().Select(e => e.GetProperty("key").GetRawText()));
        Assert.Equal(["key"], Names(top.GetProperty("datastore")[0]));
        Assert.Equal(["""["a","x"]""", """["a","y"]""", """["a","z"]"""], underA.GetProperty("datastore").EnumerateArray().Select(e => e.GetProperty("key").GetRawText()));
        Assert.Equal(["key", "generation", "hex", "string"], Names(underA.GetProperty("datastore")[0]));
        Assert.Equal(["key"], Names(underA.GetProperty("datastore")[1]));
        Assert.Empty((await ResultAsync(node, "listdatastore", """{"key":"nothing"}""")).GetProperty("datastore").EnumerateArray());
    }

    [Fact]
    public async Task Deldatastore_errors_have_lightningds_codes_and_words()
    {
        await using var ln = new LightningdSimulator();
        var node = ln.AddNode("alice");
        await ResultAsync(node, "datastore", """["k","v"]""");

        // lightningd/datastore.c json_deldatastore.
        await AssertErrorAsync(node, "deldatastore", """["nope"]""", 1200, "Key does not exist");
        await AssertErrorAsync(node, "deldatastore", """["k",3]""", 1201, "generation is different");
        await AssertErrorAsync(node, "deldatastore", "[]", -32602, "missing required parameter: key");
        await ResultAsync(node, "deldatastore", """["k",0]""");
        await AssertErrorAsync(node, "deldatastore", """["k"]""", 1200, "Key does not exist");
    }

    [Fact]
    public async Task Each_node_has_its_own_datastore()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");

        await ResultAsync(alice, "datastore", """["shared-name","alice's"]""");
        await ResultAsync(bob, "datastore", """["shared-name","bob's"]""");

        Assert.Equal("alice's", (await ResultAsync(alice, "listdatastore", "[]")).GetProperty("datastore")[0].GetProperty("string").GetString());
        Assert.Equal("bob's", (await ResultAsync(bob, "listdatastore", "[]")).GetProperty("datastore")[0].GetProperty("string").GetString());
    }
}
