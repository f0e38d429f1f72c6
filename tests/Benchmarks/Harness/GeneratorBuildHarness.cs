using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cln.ProtocolExtensions.Benchmarks.Harness;

/// <summary>
/// Build time of a project with 500 messages, with the generator (as an analyzer, as users get it)
/// and without it (the same records, attributes only). Writes both projects to a temp folder,
/// restores and builds once, then times <c>runs</c> full rebuilds of each (referenced projects not rebuilt).
/// Arguments: [messages=500] [runs=3].
/// </summary>
internal static class GeneratorBuildHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string repo = ChildPlugin.RepoRoot();
        string root = Path.Combine(Path.GetTempPath(), "cln-genbench-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            string source = Source(messages);
            string with = Write(root, "WithGenerator", source,
                $"<Import Project=\"{repo}/src/Generators/build/UseLocalGenerator.props\" />");
            string without = Write(root, "WithoutGenerator", source,
                $"<ItemGroup><ProjectReference Include=\"{repo}/src/Sdk/Cln.ProtocolExtensions.csproj\" /></ItemGroup>");

            Console.WriteLine($"generator: {messages} messages ({source.Length / 1024:N0} KiB of source), {runs} timed rebuilds each; load: {File.ReadAllText("/proc/loadavg").Trim()}");
            foreach (string project in new[] { with, without })
            {
                await DotnetAsync($"build -c Release \"{project}\"", check: true);
            }

            var times = new Dictionary<string, List<double>> { [with] = [], [without] = [] };
            for (int i = 0; i < runs; i++)
            {
                foreach (string project in new[] { without, with })
                {
                    times[project].Add(await DotnetAsync($"build -c Release --no-restore --no-dependencies --no-incremental \"{project}\"", check: true));
                }
            }

            double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);
            Console.WriteLine($"  without generator: median {Median(times[without]):N1} s ({string.Join(", ", times[without].Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  with generator:    median {Median(times[with]):N1} s ({string.Join(", ", times[with].Select(t => t.ToString("N1", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  generator cost: +{Median(times[with]) - Median(times[without]):N1} s ({Median(times[with]) / Median(times[without]):F2}x)");
            Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Write(string root, string name, string source, string reference)
    {
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Messages.cs"), source);
        string project = Path.Combine(dir, name + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              {reference}
            </Project>
            """);
        return project;
    }

    /// <summary>500 messages in the three benchmark shapes: fixed fields, fixed plus TLVs, subtype arrays.</summary>
    private static string Source(int messages)
    {
        var sb = new StringBuilder("using Cln.ProtocolExtensions;\nusing Cln.ProtocolExtensions.Wire;\n\nnamespace GenBench;\n\n");
        for (int i = 0; i < messages; i++)
        {
            int type = 0x8001 + (2 * i);
            switch (i % 3)
            {
                case 0:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"[CustomMessage({type})] public sealed partial record M{i}(ushort A, uint B, ulong C, ShortChannelId D, ChannelId E);");
                    break;
                case 1:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"[CustomMessage({type})] public sealed partial record M{i}(ChannelId A, ulong B, [LengthPrefixed] byte[] C) {{ [Tlv(1), Truncated] public ulong? D {{ get; init; }} [Tlv(3)] public ShortChannelId? E {{ get; init; }} [Tlv(5)] public byte[]? F {{ get; init; }} }}");
                    break;
                default:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"[WireSubtype] public partial record struct H{i}(ShortChannelId A, ulong B, uint C);");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"[CustomMessage({type})] public sealed partial record M{i}(ulong Id, [LengthPrefixed] H{i}[] Hops);");
                    break;
            }
        }

        return sb.ToString();
    }

    private static async Task<double> DotnetAsync(string arguments, bool check)
    {
        var psi = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        long start = Stopwatch.GetTimestamp();
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments} failed:\n{await output}\n{await error}");
        }

        return seconds;
    }
}
