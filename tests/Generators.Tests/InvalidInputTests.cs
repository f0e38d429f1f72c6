using System.Collections.Immutable;
using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>
/// An invalid declaration produces its CLNX diagnostic and nothing else: the whole build (generator,
/// analyzer, compiler over the generated code) is compiled and its complete diagnostic list compared.
/// </summary>
public class InvalidInputTests
{
    private const string Usings = "using Cln.ProtocolExtensions;\n";

    public static TheoryData<string, string, string[]> Cases() => new()
    {
        {
            "a TLV record in a subtype that messages, arrays and other subtypes use",
            """
            [WireSubtype]
            internal partial record Sub(ushort A)
            {
                [Tlv(1)] public ulong? Nonce { get; init; }
            }

            [WireSubtype]
            internal partial record Outer(Sub Inner, byte B);

            [CustomMessage(0x8001)]
            internal partial record UsesSub(Sub Value);

            [CustomMessage(0x8003)]
            internal partial record UsesSubs([LengthPrefixed] Sub[] Values);

            [CustomMessage(0x8005)]
            internal partial record UsesOuter(Outer Value)
            {
                [Tlv(1)] public Sub? Optional { get; init; }
            }
            """,
            [DiagnosticIds.TlvInSubtype]
        },
        {
            "a truncated integer that is not last in a subtype that a message uses",
            """
            [WireSubtype]
            internal partial record struct Amounts([Truncated] ulong First, ushort Last);

            [CustomMessage(0x8001)]
            internal partial record UsesAmounts(Amounts Value, [LengthPrefixed] Amounts[] More);
            """,
            [DiagnosticIds.MisplacedTruncated]
        },
        {
            "an array of strings",
            """
            [CustomMessage(0x8001)]
            internal partial record Names([LengthPrefixed] string[] Values);
            """,
            [DiagnosticIds.ArrayOfVariableSize]
        },
        {
            "a negative fixed length",
            """
            [CustomMessage(0x8001)]
            internal partial record Blob([FixedLength(-1)] byte[] Value);
            """,
            [DiagnosticIds.FixedLengthTooSmall]
        },
        {
            "a nullable field without [Tlv]",
            """
            [CustomMessage(0x8001)]
            internal partial record Maybe(ushort A)
            {
                public ulong? Amount { get; init; }
            }
            """,
            [DiagnosticIds.NullableNotTlv]
        },
        {
            "a record that is not a subtype",
            """
            internal record Plain(int X);

            [CustomMessage(0x8001)]
            internal partial record UsesPlain(Plain Value);
            """,
            [DiagnosticIds.RecordNotSubtype]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_invalid_type_gets_only_its_own_diagnostic(string what, string source, string[] expected)
    {
        (GeneratorDriverRunResult result, Compilation output) = GeneratorRunner.Run(Usings + source);
        Assert.Empty(result.Diagnostics);
        ImmutableArray<Diagnostic> all = await output
            .WithAnalyzers([new MessageAnalyzer()])
            .GetAllDiagnosticsAsync();

        string[] reported = [.. all.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id)];
        Assert.True(expected.SequenceEqual(reported), $"{what}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", reported)}]\n{string.Join("\n", all.Select(d => d.Severity + " " + d.ToString()))}");
    }
}
