using Cln.ProtocolExtensions.Generators.CodeFixes;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Cln.ProtocolExtensions.Generators.Tests;

public class CodeFixTests
{
    private const string Usings = "using Cln.ProtocolExtensions;\n";

    private static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<MessageAnalyzer, MessageCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
        };
        test.TestState.AdditionalReferences.AddRange(TestHelpers.References);
        test.FixedState.AdditionalReferences.AddRange(TestHelpers.References);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<MessageAnalyzer, MessageCodeFixProvider, DefaultVerifier>.Diagnostic(id);

    [Fact]
    public Task Adds_partial_after_the_modifiers() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public sealed record {|#0:Ping|}(ushort A);
        """, """
        [CustomMessage(0x8001)]
        public sealed partial record Ping(ushort A);
        """,
        Diagnostic(DiagnosticIds.NotPartial).WithLocation(0).WithArguments("Ping"));

    [Fact]
    public Task Adds_partial_to_a_type_without_modifiers() => VerifyAsync("""
        [CustomMessage(0x8001)]
        record struct {|#0:Ping|}(ushort A);
        """, """
        [CustomMessage(0x8001)]
        partial record struct Ping(ushort A);
        """,
        Diagnostic(DiagnosticIds.NotPartial).WithLocation(0).WithArguments("Ping"));

    [Fact]
    public Task Adds_partial_to_containing_types() => VerifyAsync("""
        public static class Outer
        {
            [CustomMessage(0x8001)]
            public partial record {|#0:Ping|}(ushort A);
        }
        """, """
        public static partial class Outer
        {
            [CustomMessage(0x8001)]
            public partial record Ping(ushort A);
        }
        """,
        Diagnostic(DiagnosticIds.ContainingTypeNotPartial).WithLocation(0).WithArguments("Outer", "Outer.Ping"));

    [Fact]
    public Task Makes_an_even_type_odd_keeping_hex() => VerifyAsync("""
        [CustomMessage({|#0:0x8002|})]
        public partial record Ping(ushort A);
        """, """
        [CustomMessage(0x8003)]
        public partial record Ping(ushort A);
        """,
        Diagnostic(DiagnosticIds.EvenType).WithLocation(0).WithArguments("Ping", 32770));

    [Fact]
    public Task Makes_an_even_decimal_type_odd() => VerifyAsync("""
        [CustomMessage({|#0:40000|})]
        public partial record Ping(ushort A);
        """, """
        [CustomMessage(40001)]
        public partial record Ping(ushort A);
        """,
        Diagnostic(DiagnosticIds.EvenType).WithLocation(0).WithArguments("Ping", 40000));
}
