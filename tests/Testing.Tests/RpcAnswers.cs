using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>
/// Sends one request to a node's lightning-rpc exactly as written (positional or named params) and
/// reads lightningd's answer, for the simulated-command tests.
/// </summary>
internal static class RpcAnswers
{
    /// <summary>Sends <c>{"jsonrpc":"2.0","id":"t:METHOD#1","method":METHOD,"params":PARAMS}</c>; returns the whole answer.</summary>
    public static async Task<JsonElement> SendAsync(SimulatedNode node, string method, string paramsJson)
    {
        await using var socket = await RawSocket.ConnectAsync(node.RpcPath);
        await socket.SendAsync($$"""{"jsonrpc":"2.0","id":"t:{{method}}#1","method":"{{method}}","params":{{paramsJson}}}""");
        var answer = Assert.Single(await socket.ReceiveAsync(1));
        using var doc = JsonDocument.Parse(answer);
        var root = doc.RootElement.Clone();
        Assert.Equal($"t:{method}#1", root.GetProperty("id").GetString());
        return root;
    }

    /// <summary>The <c>result</c> of a call that must succeed.</summary>
    public static async Task<JsonElement> ResultAsync(SimulatedNode node, string method, string paramsJson)
    {
        var answer = await SendAsync(node, method, paramsJson);
        Assert.False(answer.TryGetProperty("error", out var error), $"{method} {paramsJson} failed: {error}");
        return answer.GetProperty("result");
    }

    /// <summary>The <c>error</c> object of a call that must fail.</summary>
    public static async Task<JsonElement> ErrorAsync(SimulatedNode node, string method, string paramsJson)
    {
        var answer = await SendAsync(node, method, paramsJson);
        Assert.False(answer.TryGetProperty("result", out var result), $"{method} {paramsJson} succeeded: {result}");
        return answer.GetProperty("error");
    }

    /// <summary>Asserts an error's code and message.</summary>
    public static async Task AssertErrorAsync(SimulatedNode node, string method, string paramsJson, int code, string message)
    {
        var error = await ErrorAsync(node, method, paramsJson);
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }

    /// <summary>Two JSON texts are the same JSON (member order kept: lightningd's order is part of the answer).</summary>
    public static void AssertJson(string expected, JsonElement actual)
    {
        using var doc = JsonDocument.Parse(expected);
        Assert.Equal(JsonSerializer.Serialize(doc.RootElement), JsonSerializer.Serialize(actual));
    }

    /// <summary>The member names of an object, in order.</summary>
    public static string[] Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>A lowercase hex string, of <paramref name="length"/> characters when given (the schemas' <c>hex</c>, <c>secret</c> and <c>pubkey</c> types).</summary>
    public static void AssertHex(JsonElement value, int? length = null)
    {
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        string text = value.GetString()!;
        Assert.Matches("^([0-9a-f]{2})*$", text);
        if (length is { } n)
            Assert.Equal(n, text.Length);
    }

    /// <summary>The schemas' <c>pubkey</c>: 33 bytes of a valid compressed point, as hex.</summary>
    public static void AssertPubKey(JsonElement value)
    {
        AssertHex(value, 66);
        Assert.True(NBitcoin.PubKey.TryCreatePubKey(Convert.FromHexString(value.GetString()!), out _));
    }

    /// <summary>The schemas' unsigned integer types (<c>u16</c>, <c>u32</c>, <c>u64</c>, <c>msat</c>): a JSON number without sign or fraction.</summary>
    public static void AssertUnsigned(JsonElement value)
    {
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.True(value.TryGetUInt64(out _), $"{value} is not an unsigned integer");
    }
}
