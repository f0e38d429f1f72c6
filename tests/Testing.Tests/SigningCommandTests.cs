using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Internal;
using static Cln.ProtocolExtensions.Testing.Tests.RpcAnswers;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// <c>signmessage</c>, <c>checkmessage</c> and <c>makesecret</c> on the simulator, against the examples
/// of doc/schemas/*.json at v26.06.6. Those examples were made by CLN's test nodes, whose 32-byte
/// hsm_secret is pyln-testing's legacy seed: the node folder's name ("lightning-N") padded with zero
/// bytes (contrib/pyln-testing/pyln/testing/utils.py, <c>LightningD.__init__</c>). A simulated node
/// made from the same seed must give the same answers byte for byte.
/// </summary>
public class SigningCommandTests
{
    private static byte[] PylnTestingSeed(string folder)
    {
        var seed = new byte[32];
        Encoding.UTF8.GetBytes(folder).CopyTo(seed, 0);
        return seed;
    }

    [Fact]
    public async Task Signmessage_reproduces_the_schema_examples_of_a_real_node_by_name_and_by_position()
    {
        await using var ln = new LightningdSimulator();
        var l2 = ln.AddNodeFromHsmSecret("l2", PylnTestingSeed("lightning-2"));

        // doc/schemas/signmessage.json examples[0]: params {"message":"this is a test!"}.
        AssertJson("""
            {"signature":"9ea05929890e40489edbd5fe0552d22bcffe00bbd29da4fcf93ed5d8f1973e421509071a64935231a126637e3615225ddda86d2d0926ae537d9c3be149f9b21f",
             "recid":"00",
             "zbase":"d6xkysjjtr8ry1r65xk9hbk14eih99oyzxjj5j8h9r9pms8t1h9rrfejyhpgjr41ggo1ca56gak1rzq7ibs14njgi3jz58b5hfr9uco9"}
            """, await ResultAsync(l2, "signmessage", """{"message":"this is a test!"}"""));
        // doc/schemas/signmessage.json examples[1], here with positional params.
        AssertJson("""
            {"signature":"8149401781108c1c2fda12d91969bfe2306afe06c387394d47a83a85a14702a16b6fcd0060693da436ff1c2b25cc470d7db68fe45d833733d8dca660a3f4d67d",
             "recid":"00",
             "zbase":"d6yw1oyzoreea8bx5ejp1gmjz9tdy4z6y5baqqkpe6wdibpbehbkn45x3wygy4j7wo5x68bmrzgrqdm7s486ezcdgh37tzfgcnt9jiu7"}
            """, await ResultAsync(l2, "signmessage", """["message for you"]"""));
    }

    [Fact]
    public async Task Signmessage_answer_has_the_schemas_fields_and_types()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");

        var result = await ResultAsync(alice, "signmessage", """{"message":"hello from alice"}""");

        // doc/schemas/signmessage.json response: required [signature, recid, zbase], additionalProperties false.
        Assert.Equal(["signature", "recid", "zbase"], Names(result));
        AssertHex(result.GetProperty("signature"), 128); // signature: hex, minLength = maxLength = 128
        AssertHex(result.GetProperty("recid"), 2);       // recid: hex, minLength = maxLength = 2
        Assert.Equal(JsonValueKind.String, result.GetProperty("zbase").ValueKind); // zbase: string
        // The zbase is 31 + recid, then the signature (lightningd/signmessage.c json_signmessage).
        var zbase = ZBase32.TryDecode(result.GetProperty("zbase").GetString()!)!;
        Assert.Equal(31 + Convert.FromHexString(result.GetProperty("recid").GetString()!)[0], zbase[0]);
        Assert.Equal(result.GetProperty("signature").GetString(), Convert.ToHexStringLower(zbase[1..]));
    }

    [Fact]
    public async Task A_message_signed_on_one_node_verifies_on_the_other_with_and_without_pubkey()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        string zbase = (await ResultAsync(alice, "signmessage", """{"message":"pay me"}""")).GetProperty("zbase").GetString()!;

        var withKey = await ResultAsync(bob, "checkmessage", $$"""{"message":"pay me","zbase":"{{zbase}}","pubkey":"{{alice.IdHex}}"}""");
        var withoutKey = await ResultAsync(bob, "checkmessage", $$"""["pay me","{{zbase}}"]""");

        // doc/schemas/checkmessage.json response: required [verified, pubkey]; lightningd writes pubkey first.
        AssertJson($$"""{"pubkey":"{{alice.IdHex}}","verified":true}""", withKey);
        AssertJson($$"""{"pubkey":"{{alice.IdHex}}","verified":true}""", withoutKey);
        AssertPubKey(withKey.GetProperty("pubkey")); // pubkey: pubkey
    }

    [Fact]
    public async Task A_signature_by_real_lightningd_verifies_in_the_simulator()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");

        // doc/schemas/checkmessage.json examples[0]: a real node's signature, checked against its pubkey.
        AssertJson(
            """{"pubkey":"03be3b0e9992153b1d5a6e1623670b6c3663f72ce6cf2e0dd39c0a373a7de5a3b7","verified":true}""",
            await ResultAsync(bob, "checkmessage", """
                {"message":"testcase to check new rpc error",
                 "zbase":"d66bqz3qsku5fxtqsi37j11pci47ydxa95iusphutggz9ezaxt56neh77kxe5hyr41kwgkncgiu94p9ecxiexgpgsz8daoq4tw8kj8yx",
                 "pubkey":"03be3b0e9992153b1d5a6e1623670b6c3663f72ce6cf2e0dd39c0a373a7de5a3b7"}
                """));
    }

    [Fact]
    public async Task Checkmessage_without_pubkey_accepts_only_a_node_of_the_graph()
    {
        // doc/schemas/checkmessage.json examples[1]: no pubkey; the answer's pubkey is the signer, here
        // pyln-testing's node 1 (the example prints it as a placeholder).
        const string Request = """
            {"message":"this is a test!",
             "zbase":"d6tqaeuonjhi98mmont9m4wag7gg4krg1f4txonug3h31e9h6p6k6nbwjondnj46dkyausobstnk7fhyy998bhgc1yr98dfmhb4k54d7"}
            """;
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");

        // Not in the graph: lightningd/signmessage.c listnodes_done, SIGNMESSAGE_PUBKEY_NOT_FOUND with data.claimed_key.
        var error = await ErrorAsync(bob, "checkmessage", Request);
        var l1 = ln.AddNodeFromHsmSecret("l1", PylnTestingSeed("lightning-1"));
        AssertJson($$$"""{"code":1301,"message":"pubkey not found in the graph","data":{"claimed_key":"{{{l1.IdHex}}}"}}""", error);

        // In the graph (every node of the simulator): verified, as in the example.
        AssertJson($$"""{"pubkey":"{{l1.IdHex}}","verified":true}""", await ResultAsync(bob, "checkmessage", Request));
    }

    [Fact]
    public async Task Checkmessage_of_another_message_or_key_is_not_verified()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        string zbase = (await ResultAsync(alice, "signmessage", """["original"]""")).GetProperty("zbase").GetString()!;

        // With a pubkey, lightningd answers the recovered key and verified=false (json_checkmessage).
        var wrongKey = await ResultAsync(bob, "checkmessage", $$"""["original","{{zbase}}","{{bob.IdHex}}"]""");
        AssertJson($$"""{"pubkey":"{{alice.IdHex}}","verified":false}""", wrongKey);
        var tampered = await ResultAsync(bob, "checkmessage", $$"""["tampered","{{zbase}}","{{alice.IdHex}}"]""");
        Assert.False(tampered.GetProperty("verified").GetBoolean());
        Assert.NotEqual(alice.IdHex, tampered.GetProperty("pubkey").GetString());

        // Without one, the key recovered from a tampered message is in no graph.
        var error = await ErrorAsync(bob, "checkmessage", $$"""["tampered","{{zbase}}"]""");
        Assert.Equal(1301, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Checkmessage_refuses_malformed_signatures_with_lightningds_words()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");
        string valid = (await ResultAsync(bob, "signmessage", """["x"]""")).GetProperty("zbase").GetString()!;
        var badFirstByte = ZBase32.TryDecode(valid)!;
        badFirstByte[0] = 30; // recovery id -1

        // lightningd/signmessage.c json_checkmessage, each with JSONRPC2_INVALID_PARAMS.
        await AssertErrorAsync(bob, "checkmessage", """["x","d6tqaeu0"]""", -32602, "zbase is not valid zbase32"); // '0' is not in the alphabet
        await AssertErrorAsync(bob, "checkmessage", """["x","d6tqaeu"]""", -32602, "zbase is not valid zbase32"); // not whole bytes
        await AssertErrorAsync(bob, "checkmessage", """["x","d6tqaeuo"]""", -32602, "zbase is too short");
        await AssertErrorAsync(bob, "checkmessage", """["x",""]""", -32602, "zbase is too short");
        await AssertErrorAsync(bob, "checkmessage", $$"""["x","{{valid}}yyyyyyyy"]""", -32602, "zbase is too long");
        await AssertErrorAsync(bob, "checkmessage", $$"""["x","{{ZBase32.Encode(badFirstByte)}}"]""", -32602, "cannot parse zbase signature");
        await AssertErrorAsync(bob, "checkmessage", $$"""["x","{{valid}}","02abcd"]""", -32602, "pubkey: should be a compressed pubkey: invalid token (see logs for details)");
        await AssertErrorAsync(bob, "checkmessage", """{"message":"x"}""", -32602, "missing required parameter: zbase");
    }

    [Fact]
    public async Task Checkmessage_whose_signature_recovers_no_key_answers_only_verified_false()
    {
        await using var ln = new LightningdSimulator();
        var bob = ln.AddNode("bob");
        // r = 5: 5^3 + 7 has no square root modulo p, so no point has x = r and recovery fails.
        var sig = new byte[65];
        sig[0] = 31;
        sig[32] = 5;
        sig[64] = 1;

        var result = await ResultAsync(bob, "checkmessage", $$"""{"message":"x","zbase":"{{ZBase32.Encode(sig)}}","pubkey":"{{bob.IdHex}}"}""");

        // lightningd/signmessage.c: when secp256k1_ecdsa_recover fails the answer is {"verified":false},
        // without the pubkey the schema calls required.
        AssertJson("""{"verified":false}""", result);
    }

    [Fact]
    public async Task Signmessage_signs_the_message_as_written_and_refuses_64k()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");

        // param_string takes the token's bytes as written: an escaped newline is signed as backslash, n,
        // and checkmessage reads its message the same way.
        string zbase = (await ResultAsync(alice, "signmessage", """["a\nb"]""")).GetProperty("zbase").GetString()!;
        Assert.Equal(alice.Id, Recover(@"a\nb", zbase));
        Assert.NotEqual(alice.Id, Recover("a\nb", zbase));
        Assert.True((await ResultAsync(bob, "checkmessage", $$"""["a\nb","{{zbase}}","{{alice.IdHex}}"]""")).GetProperty("verified").GetBoolean());
        Assert.False((await ResultAsync(bob, "checkmessage", $$"""["a\\nb","{{zbase}}","{{alice.IdHex}}"]""")).GetProperty("verified").GetBoolean());

        await AssertErrorAsync(alice, "signmessage", $$"""["{{new string('m', 65536)}}"]""", -32602, "Message must be < 64k");
        Assert.Equal(JsonValueKind.Object, (await ResultAsync(alice, "signmessage", $$"""["{{new string('m', 65535)}}"]""")).ValueKind);
        await AssertErrorAsync(alice, "signmessage", "{}", -32602, "missing required parameter: message");
        await AssertErrorAsync(alice, "signmessage", """["a","b"]""", -32602, "too many parameters: got 2, expected 1");
    }

    /// <summary>The key that signed SHA256d("Lightning Signed Message:" + message), by NBitcoin alone.</summary>
    private static NBitcoin.PubKey Recover(string message, string zbase)
    {
        var sig = ZBase32.TryDecode(zbase)!;
        var digest = NBitcoin.Crypto.Hashes.DoubleSHA256(Encoding.UTF8.GetBytes("Lightning Signed Message:" + message));
        return NBitcoin.PubKey.RecoverCompact(digest, new NBitcoin.CompactSignature(sig[0] - 31, sig[1..]));
    }

    [Fact]
    public async Task Makesecret_reproduces_the_schema_examples_of_a_real_node_by_position_and_by_name()
    {
        await using var ln = new LightningdSimulator();
        var l5 = ln.AddNodeFromHsmSecret("l5", PylnTestingSeed("lightning-5"));

        // doc/schemas/makesecret.json examples[0] (hex, positional) and examples[1] (string, named).
        const string Expected = """{"secret":"82d3e65651ac89124448cb88b5f4cd009f6c321f58ada0fca6e9e3f2d1c5889e"}""";
        AssertJson(Expected, await ResultAsync(l5, "makesecret", """["73636220736563726574"]"""));
        AssertJson(Expected, await ResultAsync(l5, "makesecret", """{"string":"scb secret"}"""));
    }

    [Fact]
    public async Task Makesecret_is_per_node_deterministic_and_has_the_schemas_shape()
    {
        await using var one = new LightningdSimulator();
        await using var two = new LightningdSimulator();
        var alice = one.AddNode("alice");
        var bob = one.AddNode("bob");
        var aliceAgain = two.AddNode("alice");

        var a1 = await ResultAsync(alice, "makesecret", """{"string":"my-plugin"}""");
        var a2 = await ResultAsync(aliceAgain, "makesecret", """{"hex":"6d792d706c7567696e"}""");
        var b = await ResultAsync(bob, "makesecret", """{"string":"my-plugin"}""");
        var other = await ResultAsync(alice, "makesecret", """{"string":"another"}""");

        // doc/schemas/makesecret.json response: required [secret], type secret (32 bytes as hex).
        Assert.Equal(["secret"], Names(a1));
        AssertHex(a1.GetProperty("secret"), 64);
        Assert.Equal(a1.GetProperty("secret").GetString(), a2.GetProperty("secret").GetString());
        Assert.NotEqual(a1.GetProperty("secret").GetString(), b.GetProperty("secret").GetString());
        Assert.NotEqual(a1.GetProperty("secret").GetString(), other.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Makesecret_errors_follow_lightningd_including_its_hex_quirk()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        string fromString = (await ResultAsync(alice, "makesecret", """{"string":"s"}""")).GetProperty("secret").GetString()!;

        // lightningd/hsm_control.c json_makesecret.
        await AssertErrorAsync(alice, "makesecret", """{"hex":"73","string":"s"}""", -32602, "Cannot have both hex and string");
        await AssertErrorAsync(alice, "makesecret", "{}", -32602, "Must have either hex or string");
        // v26.06.6's param_bin_from_hex never refuses: malformed hex arrives as "no hex".
        await AssertErrorAsync(alice, "makesecret", """{"hex":"7"}""", -32602, "Must have either hex or string");
        await AssertErrorAsync(alice, "makesecret", """{"hex":"zz"}""", -32602, "Must have either hex or string");
        Assert.Equal(fromString, (await ResultAsync(alice, "makesecret", """{"hex":"zz","string":"s"}""")).GetProperty("secret").GetString());
        await AssertErrorAsync(alice, "makesecret", """{"secret":"s"}""", -32602,
            "unknown parameter: secret, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.");
    }

    [Fact]
    public async Task A_legacy_hsm_secret_must_be_32_bytes()
    {
        await using var ln = new LightningdSimulator();
        var e = Assert.Throws<ArgumentException>(() => ln.AddNodeFromHsmSecret("x", new byte[31]));
        Assert.Contains("32 bytes", e.Message);
    }
}
