using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>The JSON kind a payload field must have.</summary>
internal enum PayloadKind
{
    String,
    Number,

    /// <summary>An amount or a time: lightningd writes them as numbers or, in some releases, strings.</summary>
    NumberOrString,
    Boolean,
    Object,
    Array,

    /// <summary>Any JSON value (a field of several types), <c>null</c> included.</summary>
    Any,
}

/// <summary>One field of a payload as its schema has it (generated with the payload record).</summary>
/// <param name="Name">lightningd's field name (<c>"[]"</c> for an array's items).</param>
/// <param name="Kind">The JSON kind it must have.</param>
/// <param name="Required">Whether the payload record requires it.</param>
/// <param name="Description">What its value must be, for the error message (<c>a node id</c>).</param>
/// <param name="Fields">For an object, its fields.</param>
/// <param name="Items">For an array, its items.</param>
internal sealed record PayloadField(string Name, PayloadKind Kind, bool Required, string Description, PayloadField[]? Fields = null, PayloadField? Items = null);

/// <summary>
/// Reads a notification's or hook's payload into its generated record: the payload's shape is checked
/// first, breadth first (every field of an object before the fields of its members), then the
/// source-generated metadata reads it. Anything that does not read throws
/// <see cref="PayloadFormatException"/> naming the field: <c>'id' is missing</c>,
/// <c>'direction' is not a string</c>, <c>'id' is not a node id</c>.
/// </summary>
internal static class PayloadReader
{
    /// <summary>Reads <paramref name="parameters"/> (or its object <paramref name="wrapper"/>) as <typeparamref name="T"/>.</summary>
    /// <exception cref="PayloadFormatException">The payload does not read.</exception>
    public static T Read<T>(JsonElement parameters, string? wrapper, JsonTypeInfo<T> typeInfo, PayloadField shape)
    {
        var payload = parameters;
        if (wrapper is not null && !(parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(wrapper, out payload)))
        {
            throw new PayloadFormatException(wrapper, "is not an object");
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadFormatException(wrapper ?? "params", "is not an object");
        }

        Check(payload, shape);
        try
        {
            return payload.Deserialize(typeInfo) ?? throw new PayloadFormatException(wrapper ?? "params", "is not an object");
        }
        catch (JsonException ex)
        {
            throw Describe(ex, shape);
        }
    }

    private static void Check(JsonElement root, PayloadField shape)
    {
        var pending = new Queue<(JsonElement Value, PayloadField Field)>();
        pending.Enqueue((root, shape));
        while (pending.TryDequeue(out var item))
        {
            var (value, field) = item;
            if (field.Kind == PayloadKind.Object && field.Fields is { } fields)
            {
                foreach (var member in fields)
                {
                    if (!value.TryGetProperty(member.Name, out var child) || (child.ValueKind == JsonValueKind.Null && member.Kind != PayloadKind.Any))
                    {
                        if (member.Required)
                        {
                            throw new PayloadFormatException(member.Name, member.Kind == PayloadKind.Object ? "is not an object" : "is missing");
                        }

                        continue;
                    }

                    CheckKind(child, member, member.Name);
                    pending.Enqueue((child, member));
                }
            }
            else if (field.Kind == PayloadKind.Array && field.Items is { } items)
            {
                int index = 0;
                foreach (var element in value.EnumerateArray())
                {
                    CheckKind(element, items, $"{field.Name}[{index++}]");
                    pending.Enqueue((element, items));
                }
            }
        }
    }

    private static void CheckKind(JsonElement value, PayloadField field, string name)
    {
        bool fits = field.Kind switch
        {
            PayloadKind.String => value.ValueKind == JsonValueKind.String,
            PayloadKind.Number => value.ValueKind == JsonValueKind.Number,
            PayloadKind.NumberOrString => value.ValueKind is JsonValueKind.Number or JsonValueKind.String,
            PayloadKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            PayloadKind.Object => value.ValueKind == JsonValueKind.Object,
            PayloadKind.Array => value.ValueKind == JsonValueKind.Array,
            _ => true,
        };
        if (!fits)
        {
            throw new PayloadFormatException(name, field.Kind switch
            {
                PayloadKind.String => "is not a string",
                PayloadKind.Number => "is not a number",
                PayloadKind.Boolean => "is not a boolean",
                PayloadKind.Object => "is not an object",
                PayloadKind.Array => "is not an array",
                _ => "is not " + field.Description,
            });
        }
    }

    /// <summary>A value the shape check let through but the reader refused (a bad node id, a negative u64): named by the reader's path.</summary>
    private static PayloadFormatException Describe(JsonException ex, PayloadField shape)
    {
        string path = ex.Path ?? "$";
        var field = shape;
        string name = "params";
        int i = 1;
        while (field is not null && i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                name = path[(i + 1)..(end < 0 ? path.Length : end)];
                field = field.Fields?.FirstOrDefault(f => f.Name == name);
                i = end < 0 ? path.Length : end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                int end = path.IndexOf("']", i, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                name = path[(i + 2)..end];
                field = field.Fields?.FirstOrDefault(f => f.Name == name);
                i = end + 2;
            }
            else if (path[i] == '[' && path.IndexOf(']', i) is > 0 and var close)
            {
                field = field.Items;
                i = close + 1;
            }
            else
            {
                field = null;
            }
        }

        return field is not null && field != shape
            ? new PayloadFormatException(name, "is not " + field.Description)
            : new PayloadFormatException(path.Length > 2 ? path[2..] : "params", ex.Message);
    }
}
