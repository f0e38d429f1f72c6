using Microsoft.CodeAnalysis;

namespace Cln.ProtocolExtensions.Generators.Methods;

/// <summary>One descriptor per typed-RPC-method diagnostic; messages name the symbol involved.</summary>
internal static class MethodDescriptors
{
    private const string Category = "Cln.ProtocolExtensions.RpcMethods";

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: "https://github.com/cln-protocolextensions/Cln.ProtocolExtensions/blob/main/docs/diagnostics/" + id + ".md");

    public static readonly DiagnosticDescriptor ClassNotPartial = Create(
        MethodDiagnosticIds.ClassNotPartial, "RPC methods class must be partial",
        "'{0}' must be declared partial so that its RPC method binder can be generated");

    public static readonly DiagnosticDescriptor ClassShape = Create(
        MethodDiagnosticIds.ClassShape, "RPC methods class must be a top-level, non-generic, non-static class",
        "'{0}' is {1}; an [RpcMethods] class must be a top-level, non-generic, non-static class");

    public static readonly DiagnosticDescriptor MethodOutsideClass = Create(
        MethodDiagnosticIds.MethodOutsideClass, "RPC method outside an [RpcMethods] class",
        "'{0}' is marked [RpcMethod] but '{1}' is not marked [RpcMethods], so it is never registered");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Create(
        MethodDiagnosticIds.UnsupportedParameterType, "Parameter type cannot be bound",
        "Parameter '{0}' of '{1}' has type '{2}', which cannot be bound from the params (use string, bool, an integer, an enum, PubKey, ShortChannelId, uint256, byte[], AmountMsat, an array of these or JsonElement), or mark it [FromServices] if it is a service");

    public static readonly DiagnosticDescriptor DuplicateMethodName = Create(
        MethodDiagnosticIds.DuplicateMethodName, "RPC method name used twice",
        "RPC method name '{0}' is also used by '{1}'; lightningd refuses a plugin that registers a name twice");

    public static readonly DiagnosticDescriptor InvalidMethodName = Create(
        MethodDiagnosticIds.InvalidMethodName, "RPC method name is not one lightningd accepts",
        "RPC method name '{0}' must be lowercase alphanumeric, plus _ or -");

    public static readonly DiagnosticDescriptor MethodNameTaken = Create(
        MethodDiagnosticIds.MethodNameTaken, "RPC method name is lightningd's own",
        "RPC method name '{0}' is {1}; announcing it crashes lightningd or gets the plugin killed");

    public static readonly DiagnosticDescriptor RequiredAfterOptional = Create(
        MethodDiagnosticIds.RequiredAfterOptional, "Required parameter after an optional one",
        "Parameter '{0}' is required but follows the optional parameter '{1}', so it cannot be given by position; make it optional or move it before '{1}'");

    public static readonly DiagnosticDescriptor ResultNotInContext = Create(
        MethodDiagnosticIds.ResultNotInContext, "Result type is not in the serializer context",
        "'{0}' returns '{1}', which '{2}' does not list; add [JsonSerializable(typeof({1}))] to '{2}'");

    public static readonly DiagnosticDescriptor ResultNeedsContext = Create(
        MethodDiagnosticIds.ResultNeedsContext, "Result type needs a serializer context",
        "'{0}' returns '{1}', but '{2}' names no JsonSerializerContext; write [RpcMethods(typeof(YourJsonContext))] and list '{1}' on that context");

    public static readonly DiagnosticDescriptor DuplicateParameterName = Create(
        MethodDiagnosticIds.DuplicateParameterName, "Two parameters bind to one name",
        "Parameters '{0}' and '{1}' of '{2}' both bind to the name '{3}'");

    public static readonly DiagnosticDescriptor MethodShape = Create(
        MethodDiagnosticIds.MethodShape, "RPC method cannot be bound",
        "'{0}' {1}; an RPC method must be non-generic and take its parameters by value");

    public static readonly DiagnosticDescriptor NotAJsonContext = Create(
        MethodDiagnosticIds.NotAJsonContext, "Serializer context is not a JsonSerializerContext",
        "'{0}' is not a System.Text.Json.Serialization.JsonSerializerContext");
}
