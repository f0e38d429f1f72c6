using BenchmarkDotNet.Running;
using Cln.ProtocolExtensions.Benchmarks.Harness;

namespace Cln.ProtocolExtensions.Benchmarks;

/// <summary>
/// Codec (BenchmarkDotNet): <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*' --job short</c>.
/// Child-process harnesses, each reported next to its baseline measured in the same run:
/// <c>-- hooks</c> (custommsg hook path), <c>-- startup</c> (process start to getmanifest answered),
/// <c>-- generator</c> (build time of 500 messages with and without the generator). See README.md, "Performance".
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "hooks":
                return await HookPathHarness.RunAsync(args[1..]);
            case "startup":
                return await StartupHarness.RunAsync(args[1..]);
            case "generator":
                return await GeneratorBuildHarness.RunAsync(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
