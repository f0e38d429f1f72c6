using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Internal;

namespace Cln.ProtocolExtensions.Testing;

/// <summary>lightningd's parameter parsing (common/json_param.c), for the simulated commands.</summary>
public sealed partial class SimulatedNode
{
    /// <summary>Parses one parameter's token; returns the error answer, or null when it was accepted.</summary>
    private delegate byte[]? ParamCallback(JsonElement token);

    /// <summary>One <c>p_req</c>/<c>p_opt</c> entry.</summary>
    private readonly record struct ParamSpec(string Name, bool Required, ParamCallback Parse);

    /// <summary>
    /// <c>param()</c>: positional params skip JSON nulls; named params are parsed in the order they
    /// appear, nulls included, with unknown and duplicate names refused; each callback runs as its
    /// parameter is reached, and only then are missing required parameters reported, in spec order.
    /// </summary>
    private static byte[]? ParseParams(string rawId, JsonElement p, params ReadOnlySpan<ParamSpec> spec)
    {
        Span<bool> set = stackalloc bool[spec.Length];
        if (p.ValueKind == JsonValueKind.Array)
        {
            int count = p.GetArrayLength();
            int i = 0;
            foreach (var token in p.EnumerateArray())
            {
                if (i == spec.Length)
                    return LightningdJson.Error(rawId, InvalidParams, $"too many parameters: got {count}, expected {spec.Length}");
                if (token.ValueKind != JsonValueKind.Null)
                {
                    set[i] = true;
                    if (spec[i].Parse(token) is { } error)
                        return error;
                }
                i++;
            }
        }
        else if (p.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in p.EnumerateObject())
            {
                int i = IndexOf(spec, member.Name);
                if (i < 0)
                {
                    return LightningdJson.Error(rawId, InvalidParams,
                        $"unknown parameter: {member.Name}, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.");
                }
                if (set[i])
                    return LightningdJson.Error(rawId, InvalidParams, $"duplicate json names: {spec[i].Name}");
                set[i] = true;
                if (spec[i].Parse(member.Value) is { } error)
                    return error;
            }
        }
        else
        {
            return LightningdJson.Error(rawId, InvalidParams, "Expected array or object for params");
        }

        for (int i = 0; i < spec.Length && spec[i].Required; i++)
        {
            if (!set[i])
                return LightningdJson.Error(rawId, InvalidParams, $"missing required parameter: {spec[i].Name}");
        }
        return null;
    }

    private static int IndexOf(ReadOnlySpan<ParamSpec> spec, string name)
    {
        for (int i = 0; i < spec.Length; i++)
        {
            if (spec[i].Name == name)
                return i;
        }
        return -1;
    }

    /// <summary>
    /// The token's text as lightningd's <c>param_string</c> takes it: the bytes between the quotes of a
    /// string, escapes left as written, or the literal text of any other token.
    /// </summary>
    private static string RawToken(JsonElement token)
    {
        string raw = token.GetRawText();
        return token.ValueKind == JsonValueKind.String ? raw[1..^1] : raw;
    }

    /// <summary>
    /// <c>json_escape_unescape_len</c> (<c>param_escaped_string</c>): JSON escapes resolved, except
    /// <c>\u</c>, which lightningd refuses (null).
    /// </summary>
    private static string? Unescape(string raw)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
            return raw;
        var text = new System.Text.StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                text.Append(raw[i]);
                continue;
            }
            if (++i == raw.Length)
                return null;
            char c = raw[i] switch
            {
                'n' => '\n',
                'b' => '\b',
                'f' => '\f',
                't' => '\t',
                'r' => '\r',
                '/' or '\\' or '"' => raw[i],
                _ => '\0',
            };
            if (c == '\0')
                return null;
            text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>
    /// <c>json_tok_bin_from_hex</c>: the token's text as hex (either case, even length; empty is zero
    /// bytes), or null. <c>param_bin_from_hex</c> in v26.06.6 never refuses a token: it passes this null on.
    /// </summary>
    private static byte[]? HexOrNull(JsonElement token)
    {
        string text = RawToken(token);
        if (text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
            return null;
        return Convert.FromHexString(text);
    }

    /// <summary>
    /// The value of <c>datastore</c> and <c>makesecret</c>: exactly one of <c>hex</c> and <c>string</c>
    /// (a string becomes its bytes); false with the error answer otherwise.
    /// </summary>
    private static bool TryHexOrString(string rawId, [NotNullWhen(true)] ref byte[]? data, string? text, [NotNullWhen(false)] out byte[]? error)
    {
        error = null;
        if (text is not null)
        {
            if (data is not null)
                error = LightningdJson.Error(rawId, InvalidParams, "Cannot have both hex and string");
            else
                data = System.Text.Encoding.UTF8.GetBytes(text);
        }
        else if (data is null)
        {
            error = LightningdJson.Error(rawId, InvalidParams, "Must have either hex or string");
        }
        return error is null;
    }

    /// <summary><c>param_u64</c>: the value, or the error answer.</summary>
    private byte[]? ParseU64(string rawId, string name, JsonElement token, out ulong? value)
    {
        value = null;
        if (!TryParseU64(token, out ulong parsed))
            return BadParam(rawId, name, token, "should be an unsigned 64 bit integer");
        value = parsed;
        return null;
    }

    /// <summary>
    /// <c>json_to_u64</c>: C's <c>strtoull(text, &amp;end, 0)</c> over the token's text, which must be used
    /// up: leading white space, a sign (a minus wraps around), <c>0x</c> for hex, a leading 0 for octal;
    /// an empty text is 0; a value past 2^64-1 is refused.
    /// </summary>
    private static bool TryParseU64(JsonElement token, out ulong value)
    {
        string s = RawToken(token);
        value = 0;
        int i = 0;
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
            i++;
        bool negative = false;
        if (i < s.Length && s[i] is '+' or '-')
            negative = s[i++] == '-';
        int radix = 10;
        if (i + 1 < s.Length && s[i] == '0' && s[i + 1] is 'x' or 'X' && i + 2 < s.Length && char.IsAsciiHexDigit(s[i + 2]))
        {
            radix = 16;
            i += 2;
        }
        else if (i < s.Length && s[i] == '0')
        {
            radix = 8;
        }

        int digitsStart = i;
        for (; i < s.Length; i++)
        {
            int d = s[i] is >= '0' and <= '9' ? s[i] - '0' : s[i] is >= 'a' and <= 'f' ? s[i] - 'a' + 10 : s[i] is >= 'A' and <= 'F' ? s[i] - 'A' + 10 : 99;
            if (d >= radix)
                break;
            if (value > (ulong.MaxValue - (ulong)d) / (ulong)radix)
                return false; // ERANGE
            value = value * (ulong)radix + (ulong)d;
        }

        // No digits: strtoull leaves end at the start of the text, which is the end only when it is empty.
        if (i == digitsStart)
        {
            value = 0;
            return s.Length == 0;
        }
        if (i != s.Length)
            return false;
        if (negative)
            value = unchecked(0 - value);
        return true;
    }
}
