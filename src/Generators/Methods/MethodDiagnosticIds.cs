namespace Cln.ProtocolExtensions.Generators.Methods;

/// <summary>The IDs of the diagnostics about typed RPC methods (4xxx).</summary>
public static class MethodDiagnosticIds
{
    /// <summary>An <c>[RpcMethods]</c> class is not <c>partial</c>.</summary>
    public const string ClassNotPartial = "CLNX4001";

    /// <summary>An <c>[RpcMethods]</c> class is static, generic or nested.</summary>
    public const string ClassShape = "CLNX4002";

    /// <summary>An <c>[RpcMethod]</c> is declared in a class without <c>[RpcMethods]</c>.</summary>
    public const string MethodOutsideClass = "CLNX4003";

    /// <summary>A parameter's type can be neither bound nor injected.</summary>
    public const string UnsupportedParameterType = "CLNX4004";

    /// <summary>Two RPC methods in one compilation have one name.</summary>
    public const string DuplicateMethodName = "CLNX4005";

    /// <summary>A method name breaks lightningd's naming rule.</summary>
    public const string InvalidMethodName = "CLNX4006";

    /// <summary>A method name is lightningd's (or the runtime's) own.</summary>
    public const string MethodNameTaken = "CLNX4007";

    /// <summary>A required parameter follows an optional one.</summary>
    public const string RequiredAfterOptional = "CLNX4008";

    /// <summary>A result type is not listed on the serializer context.</summary>
    public const string ResultNotInContext = "CLNX4009";

    /// <summary>A result type needs a serializer context and the class names none.</summary>
    public const string ResultNeedsContext = "CLNX4010";

    /// <summary>Two parameters of one method bind to one name.</summary>
    public const string DuplicateParameterName = "CLNX4011";

    /// <summary>A method is generic or has <c>ref</c>, <c>out</c> or <c>in</c> parameters.</summary>
    public const string MethodShape = "CLNX4012";

    /// <summary>The type named as the serializer context is not a <c>JsonSerializerContext</c>.</summary>
    public const string NotAJsonContext = "CLNX4013";
}
