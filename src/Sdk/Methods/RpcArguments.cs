using System.ComponentModel;
using System.Text.Json;
using Cln.ProtocolExtensions.Methods;

namespace Cln.ProtocolExtensions.CodeGeneration;

/// <summary>
/// The params of one RPC call matched to a method's parameter names, for source-generated binders.
/// It walks the values in the order lightningd's <c>param()</c> does, so the first problem reported is
/// the one lightningd would report: by position, the values in order, then "too many parameters"; by
/// name, the members in the order sent (an unknown or repeated name where it stands); then a missing
/// required parameter. A JSON <c>null</c> counts as not given.
/// For generated code only: it may change between versions of the SDK (see
/// <see cref="GeneratedCodeSupport.ContractVersion"/>).
/// </summary>
/// <example>
/// <code>
/// var args = RpcArguments.Bind(request.Params, Names, required: 1);
/// while (args.MoveNext(out int index))
/// {
///     switch (index) { case 0: peer = RpcValues.ReadPubKey(args[0], "peer"); break; ... }
/// }
/// args.ThrowIfMissing();
/// </code>
/// </example>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcArguments
{
    private readonly JsonElement _parameters;
    private readonly string[] _names;
    private readonly int _required;
    private readonly JsonElement[] _values;
    private readonly bool[] _given;
    private JsonElement.ArrayEnumerator _array;
    private JsonElement.ObjectEnumerator _object;
    private int _position;

    private RpcArguments(JsonElement parameters, string[] names, int required)
    {
        _parameters = parameters;
        _names = names;
        _required = required;
        _values = new JsonElement[names.Length];
        _given = new bool[names.Length];
        if (parameters.ValueKind == JsonValueKind.Array)
        {
            _array = parameters.EnumerateArray();
        }
        else if (parameters.ValueKind == JsonValueKind.Object)
        {
            _object = parameters.EnumerateObject();
        }
    }

    /// <summary>Starts binding <paramref name="parameters"/> to a method's parameters.</summary>
    /// <param name="parameters">The call's <c>params</c>: an array, an object, or absent/<c>null</c> for none.</param>
    /// <param name="names">The method's parameter names as callers write them, in declaration order.</param>
    /// <param name="required">How many of the first names are required (required parameters come first).</param>
    /// <exception cref="Plugin.PluginMethodException">The params are neither an array nor an object.</exception>
    public static RpcArguments Bind(JsonElement parameters, string[] names, int required)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (parameters.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw RpcRefusals.NotArrayOrObject();
        }

        return new RpcArguments(parameters, names, required);
    }

    /// <summary>The value given for parameter <paramref name="index"/> (valid after <see cref="MoveNext"/> returned that index).</summary>
    /// <param name="index">The parameter's position in the method.</param>
    public JsonElement this[int index] => _values[index];

    /// <summary>
    /// Moves to the next value given, in the order sent, and says which parameter it is for; false at
    /// the end. Values given as <c>null</c> are skipped.
    /// </summary>
    /// <param name="index">The parameter's position in the method.</param>
    /// <exception cref="Plugin.PluginMethodException">Too many positional values, or an unknown or repeated name.</exception>
    public bool MoveNext(out int index)
    {
        if (_parameters.ValueKind == JsonValueKind.Array)
        {
            while (_array.MoveNext())
            {
                int position = _position++;
                if (position == _names.Length)
                {
                    throw RpcRefusals.TooManyParameters(_parameters.GetArrayLength(), _names.Length);
                }

                if (_array.Current.ValueKind != JsonValueKind.Null)
                {
                    return Take(position, _array.Current, out index);
                }
            }
        }
        else if (_parameters.ValueKind == JsonValueKind.Object)
        {
            while (_object.MoveNext())
            {
                JsonProperty member = _object.Current;
                int position = Array.IndexOf(_names, member.Name);
                if (position < 0)
                {
                    throw RpcRefusals.UnknownParameter(member.Name);
                }

                if (_given[position] || (member.Value.ValueKind == JsonValueKind.Null && _values[position].ValueKind == JsonValueKind.Null))
                {
                    throw RpcRefusals.DuplicateParameter(member.Name);
                }

                if (member.Value.ValueKind != JsonValueKind.Null)
                {
                    return Take(position, member.Value, out index);
                }

                _values[position] = member.Value; // remembered only to spot a repeat
            }
        }

        index = -1;
        return false;
    }

    /// <summary>Refuses the call if a required parameter was not given.</summary>
    /// <exception cref="Plugin.PluginMethodException">A required parameter is missing.</exception>
    public void ThrowIfMissing()
    {
        for (int i = 0; i < _required; i++)
        {
            if (!_given[i])
            {
                throw RpcRefusals.MissingParameter(_names[i]);
            }
        }
    }

    private bool Take(int position, JsonElement value, out int index)
    {
        _given[position] = true;
        _values[position] = value;
        index = position;
        return true;
    }
}
