using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Cln.ProtocolExtensions.Methods;
using Cln.ProtocolExtensions.Wire;
using NBitcoin;

namespace Cln.ProtocolExtensions.CodeGeneration;

/// <summary>
/// Reads one RPC parameter value as a C# type, for source-generated binders. Numbers, booleans and
/// amounts are read from a JSON literal or from a string holding one, since lightning-cli sends an
/// argument as a literal only when it parses as one (<c>3</c>, <c>true</c>) and as a string otherwise;
/// lightningd's own <c>param_*</c> helpers read the token's text the same way. A value that does not
/// read is refused with <see cref="RpcRefusals.BadValue"/>.
/// For generated code only: it may change between versions of the SDK (see
/// <see cref="GeneratedCodeSupport.ContractVersion"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RpcValues
{
    /// <summary>Reads a string: a JSON string, or the text of a number or boolean literal (as lightningd's param_string does).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static string ReadString(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw RpcRefusals.BadValue(name, RpcRefusals.Problems.String, value),
    };

    /// <summary>Reads <c>true</c> or <c>false</c>, as a literal or a string.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static bool ReadBoolean(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.ValueEquals("true"u8) => true,
        JsonValueKind.String when value.ValueEquals("false"u8) => false,
        _ => throw RpcRefusals.BadValue(name, RpcRefusals.Problems.Boolean, value),
    };

    /// <summary>Reads a <see cref="sbyte"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static sbyte ReadSByte(JsonElement value, string name) =>
        (sbyte)ReadSigned(value, name, sbyte.MinValue, sbyte.MaxValue, RpcRefusals.Problems.SByte);

    /// <summary>Reads a <see cref="byte"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static byte ReadByte(JsonElement value, string name) =>
        (byte)ReadUnsigned(value, name, byte.MaxValue, RpcRefusals.Problems.Byte);

    /// <summary>Reads a <see cref="short"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static short ReadInt16(JsonElement value, string name) =>
        (short)ReadSigned(value, name, short.MinValue, short.MaxValue, RpcRefusals.Problems.Int16);

    /// <summary>Reads a <see cref="ushort"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static ushort ReadUInt16(JsonElement value, string name) =>
        (ushort)ReadUnsigned(value, name, ushort.MaxValue, RpcRefusals.Problems.UInt16);

    /// <summary>Reads an <see cref="int"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static int ReadInt32(JsonElement value, string name) =>
        (int)ReadSigned(value, name, int.MinValue, int.MaxValue, RpcRefusals.Problems.Int32);

    /// <summary>Reads a <see cref="uint"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static uint ReadUInt32(JsonElement value, string name) =>
        (uint)ReadUnsigned(value, name, uint.MaxValue, RpcRefusals.Problems.UInt32);

    /// <summary>Reads a <see cref="long"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static long ReadInt64(JsonElement value, string name) =>
        ReadSigned(value, name, long.MinValue, long.MaxValue, RpcRefusals.Problems.Int64);

    /// <summary>Reads a <see cref="ulong"/> (decimal, range-checked).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static ulong ReadUInt64(JsonElement value, string name) =>
        ReadUnsigned(value, name, ulong.MaxValue, RpcRefusals.Problems.UInt64);

    /// <summary>Reads a node id: 66 hex characters of a valid compressed public key.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static PubKey ReadPubKey(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: 66 } text
            && TryHex(text, out byte[] bytes)
            && PubKey.TryCreatePubKey(bytes, out PubKey? key)
            && key.IsCompressed)
        {
            return key;
        }

        throw RpcRefusals.BadValue(name, RpcRefusals.Problems.NodeId, value);
    }

    /// <summary>Reads a short channel id in lightningd's form <c>BxTxO</c>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static ShortChannelId ReadShortChannelId(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String && ShortChannelId.TryParse(value.GetString(), out ShortChannelId scid)
            ? scid
            : throw RpcRefusals.BadValue(name, RpcRefusals.Problems.ShortChannelId, value);

    /// <summary>Reads a 32-byte value from 64 hex characters (in NBitcoin's <see cref="uint256"/> text order).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static uint256 ReadUInt256(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: 64 } text
        && TryHex(text, out _)
        && uint256.TryParse(text, out uint256? hash)
            ? hash
            : throw RpcRefusals.BadValue(name, RpcRefusals.Problems.Hash, value);

    /// <summary>Reads bytes from hex (an even number of hex digits; empty is no bytes).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static byte[] ReadBytes(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String && TryHex(value.GetString()!, out byte[] bytes)
            ? bytes
            : throw RpcRefusals.BadValue(name, RpcRefusals.Problems.Hex, value);

    /// <summary>Reads an amount in any form lightningd accepts (<c>1000</c>, <c>"1000msat"</c>, <c>"1sat"</c>, <c>"0.001btc"</c>).</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    public static AmountMsat ReadAmountMsat(JsonElement value, string name)
    {
        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return AmountMsat.TryParse(text, out AmountMsat amount)
            ? amount
            : throw RpcRefusals.BadValue(name, RpcRefusals.Problems.Amount, value);
    }

    /// <summary>Takes any JSON value as it is.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name (unused: every value is accepted).</param>
    public static JsonElement ReadJsonElement(JsonElement value, string name) => value;

    /// <summary>Reads an enum member by its lightningd-style name (a JSON string).</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    /// <param name="names">The members' names as callers write them.</param>
    /// <param name="values">The members, in the order of <paramref name="names"/>.</param>
    public static TEnum ReadEnum<TEnum>(JsonElement value, string name, string[] names, TEnum[] values)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (value.ValueKind == JsonValueKind.String)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (value.ValueEquals(names[i]))
                {
                    return values[i];
                }
            }
        }

        throw RpcRefusals.BadValue(name, EnumProblem(names), value);
    }

    /// <summary>Reads a JSON array, each element with <paramref name="readElement"/> (refusals name the element as <c>name[i]</c>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="name">The parameter's name, for the refusal.</param>
    /// <param name="readElement">Reads one element.</param>
    public static T[] ReadArray<T>(JsonElement value, string name, Func<JsonElement, string, T> readElement)
    {
        ArgumentNullException.ThrowIfNull(readElement);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw RpcRefusals.BadValue(name, RpcRefusals.Problems.Array, value);
        }

        var result = new T[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement element in value.EnumerateArray())
        {
            result[i] = readElement(element, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"));
            i++;
        }

        return result;
    }

    /// <summary>"should be 'a', 'b' or 'c'", as lightningd's param_bool words its two choices.</summary>
    internal static string EnumProblem(string[] names) => names.Length switch
    {
        0 => "should be a string",
        1 => $"should be '{names[0]}'",
        _ => "should be '" + string.Join("', '", names[..^1]) + "' or '" + names[^1] + "'",
    };

    private static long ReadSigned(JsonElement value, string name, long min, long max, string problem)
    {
        string? text = NumberText(value);
        if (text is not null
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
            && number >= min
            && number <= max
            && text[0] != '+')
        {
            return number;
        }

        throw RpcRefusals.BadValue(name, problem, value);
    }

    private static ulong ReadUnsigned(JsonElement value, string name, ulong max, string problem)
    {
        string? text = NumberText(value);
        if (text is not null
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number)
            && number <= max)
        {
            return number;
        }

        throw RpcRefusals.BadValue(name, problem, value);
    }

    /// <summary>The text of a number literal, or of a string (which lightning-cli sends when an argument is not a literal).</summary>
    private static string? NumberText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        _ => null,
    };

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 2 != 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        bytes = Convert.FromHexString(text);
        return true;
    }
}
