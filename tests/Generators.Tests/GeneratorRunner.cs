using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>Runs the generator over sources and compiles its output.</summary>
internal static class GeneratorRunner
{
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        CSharpCompilation compilation = TestHelpers.Compile(sources);
        GeneratorDriver driver = TestHelpers.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>Diagnostics of the whole output compilation at warning level and above (generated code included).</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation output) =>
        [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
}
