using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cln.ProtocolExtensions.Benchmarks.Harness;

/// <summary>
/// Process start to <c>getmanifest</c> answered, for each executable given as <c>label=path</c>
/// (default: the framework-dependent builds of tests/BenchPlugin and tests/BenchMinimalLoop).
/// Every executable runs <c>runs</c> times (first run dropped as disk-cache warm-up); prints min/median/max.
/// A label starting with <c>floor</c> marks a program that is not a plugin (a hello-world console app,
/// the runtime's own start-up cost): it is timed to its first line of output instead.
/// The executables are run in turn, one run of each per round, so a change in the machine's load
/// affects them all alike.
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
        var times = targets.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < runs; i++)
        {
            for (int t = 0; t < targets.Count; t++)
            {
                bool floor = targets[t].Label.StartsWith("floor", StringComparison.Ordinal);
                double ms = await MeasureAsync(targets[t].Path, floor);
                if (i > 0)
                {
                    times[t].Add(ms);
                }
            }
        }

        for (int t = 0; t < targets.Count; t++)
        {
            var sorted = times[t].Order().ToList();
            Console.WriteLine($"  {targets[t].Label,-40} min {sorted[0],7:N1} ms  median {sorted[sorted.Count / 2],7:N1} ms  max {sorted[^1],7:N1} ms");
        }

        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static async Task<double> MeasureAsync(string exe, bool floor)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        long start = Stopwatch.GetTimestamp();
        using var process = ChildPlugin.Start(exe, cpu: null);

        // lightningd writes getmanifest as soon as the process exists.
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(ChildPlugin.Manifest(0)), cts.Token);
            await process.StandardInput.BaseStream.FlushAsync(cts.Token);
        }
        catch (IOException) when (floor)
        {
            // A program that reads no input may have exited already.
        }

        string answer = floor
            ? await process.StandardOutput.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("no output")
            : await ChildPlugin.ReadAnswerAsync(process.StandardOutput, cts.Token);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!floor && !answer.Contains("cln:getmanifest#0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("unexpected answer: " + answer);
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException) when (floor)
        {
        }

        if (!process.WaitForExit(10_000))
        {
            process.Kill();
        }

        return ms;
    }
}
