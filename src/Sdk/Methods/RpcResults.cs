using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Cln.ProtocolExtensions.CodeGeneration;

/// <summary>
/// Turns an RPC method's return value into its JSON result, for source-generated binders (no reflection).
/// For generated code only: it may change between versions of the SDK (see
/// <see cref="GeneratedCodeSupport.ContractVersion"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RpcResults
{
    /// <summary>Serializes <paramref name="value"/> with the type's metadata from a source-generated context.</summary>
    /// <typeparam name="T">The declared result type.</typeparam>
    /// <param name="value">The result.</param>
    /// <param name="context">The context named by <c>[RpcMethods(typeof(...))]</c>.</param>
    /// <exception cref="InvalidOperationException">The context does not list <typeparamref name="T"/> (the analyzer reports this as CLNX4009).</exception>
    public static JsonNode? Serialize<T>(T value, JsonSerializerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetTypeInfo(typeof(T)) is not JsonTypeInfo<T> info)
        {
            throw new InvalidOperationException($"{context.GetType().Name} has no serializer for {typeof(T).Name}: add [JsonSerializable(typeof({typeof(T).Name}))] to it.");
        }

        return JsonSerializer.SerializeToNode(value, info);
    }

    /// <summary>A <see cref="JsonElement"/> result as it is (<see langword="null"/> for an undefined element).</summary>
    /// <param name="value">The result.</param>
    public static JsonNode? FromElement(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.Object => JsonObject.Create(value),
        JsonValueKind.Array => JsonArray.Create(value),
        _ => JsonValue.Create(value),
    };
}
