using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Rpc;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary>An enum bound by its lightningd-style name.</summary>
public enum Direction
{
    /// <summary>Bound as <c>incoming</c>.</summary>
    Incoming,

    /// <summary>Bound as <c>outgoing_only</c>.</summary>
    OutgoingOnly,

    /// <summary>Bound as <c>both-ways</c>.</summary>
    [JsonStringEnumMemberName("both-ways")]
    Both,
}

/// <summary>A service injected with [FromServices]: counts the calls that reached a method body.</summary>
public sealed class CallCounter
{
    private int _calls;

    /// <summary>Calls so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Counts one call.</summary>
    public void Count() => Interlocked.Increment(ref _calls);
}

/// <summary>A serialized result.</summary>
/// <param name="Text">Some text.</param>
/// <param name="Count">A number.</param>
public sealed record OptionalResult(string Text, int Count, string? Note, bool? Flag, Direction Direction, AmountMsat? AmountMsat);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(OptionalResult))]
internal sealed partial class TypedJson : JsonSerializerContext;

/// <summary>Typed RPC methods over every parameter type, both shapes and every way of returning.</summary>
[RpcMethods(typeof(TypedJson))]
public sealed partial class TypedMethods(CallCounter counter)
{
    /// <summary>Echoes every scalar type it <c>binds</c>, as text.</summary>
    [RpcMethod("typed-scalars")]
    public Dictionary<string, string> Scalars(
        string text, bool flag, sbyte s8, byte u8, short s16, ushort u16, int s32, uint u32, long s64, ulong u64,
        Direction direction, PubKey node, ShortChannelId scid, uint256 hash, byte[] bytes, AmountMsat amount, JsonElement any)
    {
        counter.Count();
        return new()
        {
            ["text"] = text,
            ["flag"] = flag ? "true" : "false",
            ["s8"] = s8.ToString(CultureInfo.InvariantCulture),
            ["u8"] = u8.ToString(CultureInfo.InvariantCulture),
            ["s16"] = s16.ToString(CultureInfo.InvariantCulture),
            ["u16"] = u16.ToString(CultureInfo.InvariantCulture),
            ["s32"] = s32.ToString(CultureInfo.InvariantCulture),
            ["u32"] = u32.ToString(CultureInfo.InvariantCulture),
            ["s64"] = s64.ToString(CultureInfo.InvariantCulture),
            ["u64"] = u64.ToString(CultureInfo.InvariantCulture),
            ["direction"] = direction.ToString(),
            ["node"] = node.ToHex(),
            ["scid"] = scid.ToString(),
            ["hash"] = hash.ToString(),
            ["bytes"] = Convert.ToHexStringLower(bytes),
            ["amount"] = amount.Millisatoshis.ToString(CultureInfo.InvariantCulture),
            ["any"] = any.GetRawText(),
        };
    }

    /// <summary>Arrays of bound types, answered as a JsonNode.</summary>
    [RpcMethod("typed-arrays")]
    public JsonNode Arrays(PubKey[] nodes, int[] counts, Direction[] directions, byte[][] blobs, AmountMsat[]? amounts = null)
    {
        counter.Count();
        return new JsonObject
        {
            ["nodes"] = new JsonArray([.. nodes.Select(n => (JsonNode)n.ToHex())]),
            ["counts"] = new JsonArray([.. counts.Select(c => (JsonNode)c)]),
            ["directions"] = new JsonArray([.. directions.Select(d => (JsonNode)d.ToString())]),
            ["blobs"] = new JsonArray([.. blobs.Select(b => (JsonNode)Convert.ToHexStringLower(b))]),
            ["amounts"] = amounts is null ? null : new JsonArray([.. amounts.Select(a => (JsonNode)a.Millisatoshis)]),
        };
    }

    /// <summary>Optional parameters: nullable, defaulted, renamed.</summary>
    [RpcMethod("typed-optional")]
    public async Task<OptionalResult> OptionalAsync(
        string text,
        int count = 3,
        string? note = null,
        bool? flag = null,
        Direction direction = Direction.OutgoingOnly,
        [RpcParameter("amount-msat")] AmountMsat? amountMsat = null,
        CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        counter.Count();
        return new OptionalResult(text, count, note, flag, direction, amountMsat);
    }

    /// <summary>Injected parameters only: the request, a token, an interface service and a [FromServices] class.</summary>
    [RpcMethod("typed-inject")]
    public ValueTask<JsonElement> InjectAsync(PluginRequestContext request, ILightningClient client, [FromServices] CallCounter calls, CancellationToken cancellationToken)
    {
        calls.Count();
        string json = $$"""{"method":"{{request.Method}}","client":{{(client is not null ? "true" : "false")}},"same_counter":{{(ReferenceEquals(calls, counter) ? "true" : "false")}}}""";
        return ValueTask.FromResult(JsonDocument.Parse(json).RootElement.Clone());
    }

    /// <summary>A static method that returns nothing.</summary>
    [RpcMethod("typed-static")]
    public static void Static(int value) => StaticCalls.Add(value);

    /// <summary>A Task without a value.</summary>
    [RpcMethod("typed-task")]
    public Task NothingAsync()
    {
        counter.Count();
        return Task.CompletedTask;
    }

    /// <summary>Fails with its own code, message and data.</summary>
    [RpcMethod("typed-fails")]
    public ValueTask FailAsync(int code) => throw new PluginMethodException(code, "refused by the method", new JsonObject { ["why"] = "test" });

    /// <summary>The values the static method received.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<int> StaticCalls { get; } = [];
}
