using BenchmarkDotNet.Running;

namespace Cln.ProtocolExtensions.Benchmarks;

/// <summary>
/// Runs the suite: <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*Wire*' --job short</c>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
