using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cln.ProtocolExtensions.Benchmarks.Harness;

/// <summary>
/// Process start to <c>getmanifest</c> answered, for each executable given as <c>label=path</c>
/// (default: the framework-dependent builds of tests/BenchPlugin and tests/BenchMinimalLoop).
/// Every executable runs <c>runs</c> times (first run dropped as disk-cache warm-up); prints min/median/max.
/// Arguments: [runs=11] [label=path ...].
/// </summary>
internal static class StartupHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) ? r : 11;
        var targets = args.Where(a => a.Contains('=', StringComparison.Ordinal))
            .Select(a => (Label: a[..a.IndexOf('=', StringComparison.Ordinal)], Path: a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToList();
        if (targets.Count == 0)
        {
            targets.Add(("sdk framework-dependent", ChildPlugin.BuiltExe("BenchPlugin")));
            targets.Add(("minimal loop framework-dependent", ChildPlugin.BuiltExe("BenchMinimalLoop")));
        }

        Console.WriteLine($"startup (process start -> getmanifest answered), {runs} runs each; load: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (label, path) in targets)
        {
            var times = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                double ms = await MeasureAsync(path);
                if (i > 0)
                {
                    times.Add(ms);
                }
            }

            times.Sort();
            Console.WriteLine($"  {label,-40} min {times[0],7:N1} ms  median {times[times.Count / 2],7:N1} ms  max {times[^1],7:N1} ms");
        }

        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static async Task<double> MeasureAsync(string exe)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        long start = Stopwatch.GetTimestamp();
        using var process = ChildPlugin.Start(exe, cpu: null);

        // lightningd writes getmanifest as soon as the process exists.
        await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(ChildPlugin.Manifest(0)), cts.Token);
        await process.StandardInput.BaseStream.FlushAsync(cts.Token);
        string answer = await ChildPlugin.ReadAnswerAsync(process.StandardOutput, cts.Token);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!answer.Contains("cln:getmanifest#0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("unexpected answer: " + answer);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
        }

        return ms;
    }
}
