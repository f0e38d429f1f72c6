using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Methods;

/// <summary>
/// The refusals of an RPC call's parameters, in lightningd's own words and code (common/json_param.c
/// and the <c>param_*</c> helpers): every generated binder reports through here, so a plugin's typed
/// methods refuse bad parameters exactly as lightningd's own commands do.
/// </summary>
public static class RpcRefusals
{
    /// <summary>JSON-RPC "invalid params", the code of every parameter refusal (lightningd's <c>JSONRPC2_INVALID_PARAMS</c>).</summary>
    public const int InvalidParams = -32602;

    /// <summary>A required parameter was not given (or given as <c>null</c>).</summary>
    /// <param name="name">The parameter's name.</param>
    public static PluginMethodException MissingParameter(string name) =>
        new(InvalidParams, $"missing required parameter: {name}");

    /// <summary>More positional parameters than the method takes.</summary>
    /// <param name="got">How many were given.</param>
    /// <param name="expected">How many the method takes.</param>
    public static PluginMethodException TooManyParameters(int got, int expected) =>
        new(InvalidParams, $"too many parameters: got {got}, expected {expected}");

    /// <summary>A named parameter the method does not take.</summary>
    /// <param name="name">The name as given.</param>
    public static PluginMethodException UnknownParameter(string name) =>
        new(InvalidParams, $"unknown parameter: {name}, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.");

    /// <summary>A named parameter given twice.</summary>
    /// <param name="name">The parameter's name.</param>
    public static PluginMethodException DuplicateParameter(string name) =>
        new(InvalidParams, $"duplicate json names: {name}");

    /// <summary>The params are neither an array nor an object.</summary>
    public static PluginMethodException NotArrayOrObject() =>
        new(InvalidParams, "Expected array or object for params");

    /// <summary>
    /// A value that does not parse: names the parameter, what it should be, and the value exactly as
    /// sent (lightningd's <c>command_fail_badparam</c>, in the detailed form it uses for <c>check</c>
    /// and developer nodes: a plugin has no log line to point the user to).
    /// </summary>
    /// <param name="name">The parameter's name (<c>name[i]</c> for an array element).</param>
    /// <param name="problem">What the value should be, for example <c>should be a node id</c>.</param>
    /// <param name="value">The value as sent.</param>
    public static PluginMethodException BadValue(string name, string problem, JsonElement value) =>
        new(InvalidParams, $"{name}: {problem}: invalid token '{value.GetRawText()}'");

    /// <summary>What a value should be, per type (the <c>param_*</c> helpers' words).</summary>
    public static class Problems
    {
        /// <summary>A string parameter given an object or array.</summary>
        public const string String = "should be a string";

        /// <summary>A <see cref="bool"/> (param_bool).</summary>
        public const string Boolean = "should be 'true' or 'false'";

        /// <summary>A <see cref="sbyte"/>.</summary>
        public const string SByte = "should be a signed 8 bit integer";

        /// <summary>A <see cref="byte"/>.</summary>
        public const string Byte = "should be an unsigned 8 bit integer";

        /// <summary>A <see cref="short"/>.</summary>
        public const string Int16 = "should be a signed 16 bit integer";

        /// <summary>A <see cref="ushort"/> (param_u16).</summary>
        public const string UInt16 = "should be an unsigned 16 bit integer";

        /// <summary>An <see cref="int"/>.</summary>
        public const string Int32 = "should be a signed 32 bit integer";

        /// <summary>A <see cref="uint"/> (param_u32).</summary>
        public const string UInt32 = "should be an unsigned 32 bit integer";

        /// <summary>A <see cref="long"/> (param_s64, whose "an sign" typo is not kept).</summary>
        public const string Int64 = "should be a signed 64 bit integer";

        /// <summary>A <see cref="ulong"/> (param_u64).</summary>
        public const string UInt64 = "should be an unsigned 64 bit integer";

        /// <summary>A node id (param_node_id).</summary>
        public const string NodeId = "should be a node id";

        /// <summary>A short channel id (param_short_channel_id).</summary>
        public const string ShortChannelId = "should be a short_channel_id of form NxNxN";

        /// <summary>A 32-byte value (param_sha256).</summary>
        public const string Hash = "should be a 32 byte hex value";

        /// <summary>Bytes as hex (param_bin_from_hex).</summary>
        public const string Hex = "should be a hex value";

        /// <summary>An amount (param_msat).</summary>
        public const string Amount = "should be a millisatoshi amount";

        /// <summary>An array (param_array).</summary>
        public const string Array = "should be an array";
    }
}
