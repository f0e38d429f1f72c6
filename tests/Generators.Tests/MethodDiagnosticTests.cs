using Cln.ProtocolExtensions.Generators.Methods;
using static Cln.ProtocolExtensions.Generators.Tests.MethodAnalyzerTest;

namespace Cln.ProtocolExtensions.Generators.Tests;

public class MethodDiagnosticTests
{
    [Fact]
    public Task A_valid_class_has_no_diagnostics() => VerifyAsync($$"""
        public sealed record Pong(string Text);
        public sealed record Wrapper(Pong[] Pongs);

        [JsonSerializable(typeof(Wrapper))]
        {{Context}}

        [RpcMethods(typeof(Json))]
        public partial class Methods
        {
            [RpcMethod("my-ping")]
            public Task<Wrapper> PingAsync(PubKey peer, int count = 1, CancellationToken cancellationToken = default) => null!;

            [RpcMethod("my-pong")]
            public Pong[] Pongs(string? after) => [];

            [RpcMethod("my_raw")]
            public static JsonObject Raw(JsonElement any) => new();
        }
        """);

    /// <summary>A hand-written context: System.Text.Json's generator does not run in analyzer tests.</summary>
    private const string Context = "internal sealed partial class Json : JsonSerializerContext { public Json() : base(null) { } protected override JsonSerializerOptions? GeneratedSerializerOptions => null; public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(System.Type type) => null; }";

    [Fact]
    public Task CLNX4001_not_partial() => VerifyAsync("""
        [RpcMethods]
        public class {|#0:Methods|}
        {
            [RpcMethod("my-a")] public void A() { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.ClassNotPartial).WithLocation(0).WithArguments("Methods"));

    [Fact]
    public Task CLNX4002_static_generic_or_nested() => VerifyAsync("""
        [RpcMethods]
        public static partial class {|#0:StaticMethods|}
        {
            [RpcMethod("my-a")] public static void A() { }
        }

        [RpcMethods]
        public partial class {|#1:GenericMethods|}<T>
        {
            [RpcMethod("my-b")] public void B() { }
        }

        public partial class Outer
        {
            [RpcMethods]
            public partial class {|#2:Inner|}
            {
                [RpcMethod("my-c")] public void C() { }
            }
        }
        """,
        Diagnostic(MethodDiagnosticIds.ClassShape).WithLocation(0).WithArguments("StaticMethods", "static"),
        Diagnostic(MethodDiagnosticIds.ClassShape).WithLocation(1).WithArguments("GenericMethods", "generic"),
        Diagnostic(MethodDiagnosticIds.ClassShape).WithLocation(2).WithArguments("Inner", "nested in 'Outer'"));

    [Fact]
    public Task CLNX4003_rpc_method_outside_an_rpc_methods_class() => VerifyAsync("""
        public partial class Plain
        {
            [RpcMethod("my-a")] public void {|#0:A|}() { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.MethodOutsideClass).WithLocation(0).WithArguments("A", "Plain"));

    [Fact]
    public Task CLNX4004_unsupported_parameter_type() => VerifyAsync("""
        public sealed class Thing;

        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod("my-a")] public void A({|#0:Thing|} thing, {|#1:double|} ratio, {|#2:System.Collections.Generic.List<int>|} list, [FromServices] Thing service) { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.UnsupportedParameterType).WithLocation(0).WithArguments("thing", "A", "Thing"),
        Diagnostic(MethodDiagnosticIds.UnsupportedParameterType).WithLocation(1).WithArguments("ratio", "A", "double"),
        Diagnostic(MethodDiagnosticIds.UnsupportedParameterType).WithLocation(2).WithArguments("list", "A", "List<int>"));

    [Fact]
    public Task CLNX4005_two_methods_with_one_name_in_one_compilation() => VerifyAsync("""
        [RpcMethods]
        public partial class First
        {
            [RpcMethod({|#0:"my-ping"|})] public void Ping() { }
        }

        [RpcMethods]
        public partial class Second
        {
            [RpcMethod({|#1:"my-ping"|})] public void Ping2() { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.DuplicateMethodName).WithLocation(0).WithArguments("my-ping", "Second.Ping2"),
        Diagnostic(MethodDiagnosticIds.DuplicateMethodName).WithLocation(1).WithArguments("my-ping", "First.Ping"));

    [Theory]
    [InlineData("MyPing")]
    [InlineData("my ping")]
    [InlineData("my.ping")]
    [InlineData("")]
    public Task CLNX4006_a_name_lightningd_refuses(string name) => VerifyAsync($$"""
        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod({|#0:"{{name}}"|})] public void Ping() { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.InvalidMethodName).WithLocation(0).WithArguments(name));

    [Theory]
    [InlineData("getinfo", "a command of lightningd v26.06.6")]
    [InlineData("pay", "a command of lightningd v26.06.6")]
    [InlineData("check", "a command of lightningd v26.06.6")]
    [InlineData("getmanifest", "a method of the plugin protocol, which the runtime answers")]
    [InlineData("init", "a method of the plugin protocol, which the runtime answers")]
    public Task CLNX4007_a_name_lightningd_or_the_runtime_owns(string name, string owner) => VerifyAsync($$"""
        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod({|#0:"{{name}}"|})] public void Ping() { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.MethodNameTaken).WithLocation(0).WithArguments(name, owner));

    [Fact]
    public Task CLNX4008_required_after_optional() => VerifyAsync("""
        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod("my-a")] public void A(string? note, int {|#0:count|}, CancellationToken ct = default) { }
            [RpcMethod("my-b")] public void B(PubKey peer, int? max, AmountMsat? fee, string {|#1:label|}) { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.RequiredAfterOptional).WithLocation(0).WithArguments("count", "note"),
        Diagnostic(MethodDiagnosticIds.RequiredAfterOptional).WithLocation(1).WithArguments("label", "max"));

    [Fact]
    public Task CLNX4009_result_not_in_the_context() => VerifyAsync($$"""
        public sealed record Listed(int A);
        public sealed record Missing(int B);

        [JsonSerializable(typeof(Listed))]
        {{Context}}

        [RpcMethods(typeof(Json))]
        public partial class Methods
        {
            [RpcMethod("my-a")] public Listed A() => new(1);
            [RpcMethod("my-b")] public {|#0:Task<Missing>|} BAsync() => null!;
        }
        """,
        Diagnostic(MethodDiagnosticIds.ResultNotInContext).WithLocation(0).WithArguments("BAsync", "Missing", "Json"));

    [Fact]
    public Task CLNX4010_result_needs_a_context() => VerifyAsync("""
        public sealed record Result(int A);

        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod("my-a")] public {|#0:ValueTask<Result>|} AAsync() => default;
            [RpcMethod("my-b")] public JsonNode B() => new JsonObject();
        }
        """,
        Diagnostic(MethodDiagnosticIds.ResultNeedsContext).WithLocation(0).WithArguments("AAsync", "Result", "Methods"));

    [Fact]
    public Task CLNX4011_two_parameters_bind_to_one_name() => VerifyAsync("""
        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod("my-a")] public void A(string peerId, [RpcParameter("peer_id")] string {|#0:other|}) { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.DuplicateParameterName).WithLocation(0).WithArguments("peerId", "other", "A", "peer_id"));

    [Fact]
    public Task CLNX4012_generic_method_or_by_reference_parameter() => VerifyAsync("""
        [RpcMethods]
        public partial class Methods
        {
            [RpcMethod("my-a")] public void {|#0:A|}<T>() { }
            [RpcMethod("my-b")] public void B(ref int {|#1:count|}) { }
        }
        """,
        Diagnostic(MethodDiagnosticIds.MethodShape).WithLocation(0).WithArguments("A", "is generic"),
        Diagnostic(MethodDiagnosticIds.MethodShape).WithLocation(1).WithArguments("B", "takes 'count' by reference"));

    [Fact]
    public Task CLNX4013_context_is_not_a_json_serializer_context() => VerifyAsync("""
        public sealed record Result(int A);
        public sealed class NotAContext;

        [RpcMethods({|#0:typeof(NotAContext)|})]
        public partial class Methods
        {
            [RpcMethod("my-a")] public Result A() => new(1);
        }
        """,
        Diagnostic(MethodDiagnosticIds.NotAJsonContext).WithLocation(0).WithArguments("NotAContext"));

    [Fact]
    public Task Diagnostics_can_be_suppressed_with_a_pragma() => VerifyAsync("""
        [RpcMethods]
        public partial class Methods
        {
        #pragma warning disable CLNX4007
            [RpcMethod("getinfo")] public void A() { }
        #pragma warning restore CLNX4007
        }
        """);
}
