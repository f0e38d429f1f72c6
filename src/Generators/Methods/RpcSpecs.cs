using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Messages;

namespace Cln.ProtocolExtensions.Generators.Methods;

// Equality contract: as for the message model, every type here is a record over strings, bools,
// enums, EquatableArray<T> and other model records, so that an unchanged class parses to an equal
// model and the pipeline caches it. No ISymbol, SyntaxNode, Location or Compilation.

/// <summary>How a bound parameter's JSON value is read (one <c>RpcValues.Read*</c> each).</summary>
internal enum RpcValueKind
{
    String,
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    PubKey,
    ShortChannelId,
    UInt256,
    Bytes,
    AmountMsat,
    JsonElement,
    Enum,
}

/// <summary>Where a parameter's value comes from.</summary>
internal enum RpcParameterSource
{
    /// <summary>Bound from the call's params.</summary>
    Bound,
    CancellationToken,
    RequestContext,
    /// <summary>A required service.</summary>
    Service,
    /// <summary>A service that may be absent (nullable parameter).</summary>
    OptionalService,
}

/// <summary>What the method returns, as the binder awaits it.</summary>
internal enum RpcReturnShape
{
    Void,
    Value,
    Task,
    TaskOfValue,
    ValueTask,
    ValueTaskOfValue,
}

/// <summary>How the returned value becomes the JSON result.</summary>
internal enum RpcResultKind
{
    /// <summary>No value: the result is <c>{}</c>.</summary>
    None,
    /// <summary>Serialized through the class's JsonSerializerContext.</summary>
    Serialized,
    /// <summary>A <c>JsonNode</c> (or subclass) written as it is.</summary>
    JsonNode,
    /// <summary>A <c>JsonElement</c> written as it is.</summary>
    JsonElement,
}

/// <summary>One parameter of an RPC method.</summary>
/// <param name="Source">Bound or injected.</param>
/// <param name="JsonName">The name callers write (bound parameters only).</param>
/// <param name="TypeName">The parameter's C# type, <c>global::</c>-qualified with its nullable annotation.</param>
/// <param name="Kind">How the value (or each element) is read.</param>
/// <param name="IsArray">Whether the value is a JSON array of <see cref="Kind"/> values.</param>
/// <param name="ElementTypeName">The element (or enum) type, <c>global::</c>-qualified.</param>
/// <param name="Optional">Whether callers may leave it out.</param>
/// <param name="DefaultValue">The C# expression of its value when left out.</param>
/// <param name="EnumNames">For enums: the names callers write.</param>
/// <param name="EnumMembers">For enums: the member names, in the order of <see cref="EnumNames"/>.</param>
internal sealed record RpcParameterSpec(
    RpcParameterSource Source,
    string JsonName,
    string TypeName,
    RpcValueKind Kind,
    bool IsArray,
    string ElementTypeName,
    bool Optional,
    string DefaultValue,
    EquatableArray<string> EnumNames,
    EquatableArray<string> EnumMembers);

/// <summary>One <c>[RpcMethod]</c>.</summary>
/// <param name="MethodName">The C# method name.</param>
/// <param name="RpcName">The command name.</param>
/// <param name="Usage">The usage string (<c>peer [count]</c>).</param>
/// <param name="Description">The description, or null for none.</param>
/// <param name="Deprecated">Whether the method is deprecated.</param>
/// <param name="IsStatic">Whether the method is static.</param>
/// <param name="Return">How its return value is awaited.</param>
/// <param name="Result">How its value becomes the result.</param>
/// <param name="ResultTypeName">The value's type, <c>global::</c>-qualified (empty when none).</param>
/// <param name="Parameters">The parameters in declaration order.</param>
internal sealed record RpcMethodSpec(
    string MethodName,
    string RpcName,
    string Usage,
    string? Description,
    bool Deprecated,
    bool IsStatic,
    RpcReturnShape Return,
    RpcResultKind Result,
    string ResultTypeName,
    EquatableArray<RpcParameterSpec> Parameters);

/// <summary>One <c>[RpcMethods]</c> class.</summary>
/// <param name="Namespace">Its namespace (empty for the global namespace).</param>
/// <param name="Name">Its name.</param>
/// <param name="Keyword">How it is declared: <c>class</c> or <c>record</c>.</param>
/// <param name="FullName">Its <c>global::</c>-qualified name.</param>
/// <param name="JsonContext">The <c>global::</c>-qualified serializer context, or empty.</param>
/// <param name="Methods">Its RPC methods in declaration order.</param>
internal sealed record RpcClassSpec(
    string Namespace,
    string Name,
    string Keyword,
    string FullName,
    string JsonContext,
    EquatableArray<RpcMethodSpec> Methods);
