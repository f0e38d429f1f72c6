using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cln.ProtocolExtensions.Benchmarks.Harness;

/// <summary>
/// The custommsg hook path through a real child process: lightningd's bytes for N hook calls,
/// pipelined with a bounded window of calls in flight, each answer matched to its call by id.
/// Runs the SDK plugin (tests/BenchPlugin) and the minimal Utf8JsonReader loop
/// (tests/BenchMinimalLoop) in alternation and prints hooks/s and p50/p99 latency for each.
/// Arguments: [count=200000] [window=256] [rounds=3] [cpu=1|none] [sdk=path] [minimal=path] [warmup=N]
/// (warmup: N calls through the same pipeline before the timed ones, for both children alike, to see
/// the steady state apart from JIT warm-up; each round reports the child's CPU time per timed hook too)
/// (the paths default to the framework-dependent builds; pass published ReadyToRun or AOT builds to compare).
/// </summary>
internal static class HookPathHarness
{
    private const string Peer = "02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc";

    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        int window = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        int? cpu = args.Length > 3 && args[3] == "none" ? null : args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        string sdk = args.FirstOrDefault(a => a.StartsWith("sdk=", StringComparison.Ordinal))?[4..] ?? ChildPlugin.BuiltExe("BenchPlugin");
        string minimal = args.FirstOrDefault(a => a.StartsWith("minimal=", StringComparison.Ordinal))?[8..] ?? ChildPlugin.BuiltExe("BenchMinimalLoop");
        int warmup = int.Parse(args.FirstOrDefault(a => a.StartsWith("warmup=", StringComparison.Ordinal))?[7..] ?? "0", CultureInfo.InvariantCulture);
        Console.WriteLine($"sdk: {sdk}\nminimal: {minimal}");
        Console.WriteLine($"hook path: {count:N0} custommsg hooks, window {window}, {rounds} rounds, {warmup:N0} untimed warm-up calls first, child pinned to cpu {(cpu is null ? "none" : cpu)}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

        var results = new Dictionary<string, List<Result>> { ["sdk"] = [], ["minimal"] = [] };
        for (int round = 0; round < rounds; round++)
        {
            results["minimal"].Add(await RunOneAsync(minimal, count, window, cpu, warmup));
            results["sdk"].Add(await RunOneAsync(sdk, count, window, cpu, warmup));
        }

        foreach (var (name, list) in results)
        {
            foreach (var r in list)
            {
                Console.WriteLine($"  {name,-8} {r.PerSecond,10:N0} hooks/s  p50 {r.P50Us,8:N1} us  p99 {r.P99Us,8:N1} us  child cpu {r.CpuNsPerHook,6:N0} ns/hook");
            }
        }

        Result bestSdk = results["sdk"].MaxBy(r => r.PerSecond)!;
        Result bestMin = results["minimal"].MaxBy(r => r.PerSecond)!;
        Console.WriteLine($"best: sdk {bestSdk.PerSecond:N0}/s (p50 {bestSdk.P50Us:N1} us, p99 {bestSdk.P99Us:N1} us); minimal {bestMin.PerSecond:N0}/s (p50 {bestMin.P50Us:N1} us, p99 {bestMin.P99Us:N1} us); minimal/sdk throughput = {bestMin.PerSecond / bestSdk.PerSecond:F2}x");
        double medianSdkCpu = Median(results["sdk"].Select(r => r.CpuNsPerHook));
        double medianMinCpu = Median(results["minimal"].Select(r => r.CpuNsPerHook));
        double medianRatio = Median(results["minimal"].Zip(results["sdk"], (m, s) => m.PerSecond / s.PerSecond));
        Console.WriteLine($"median: minimal/sdk throughput (per round pair) = {medianRatio:F2}x; child cpu per hook sdk {medianSdkCpu:N0} ns, minimal {medianMinCpu:N0} ns, sdk/minimal = {medianSdkCpu / medianMinCpu:F2}x");
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    /// <summary>One round: throughput, latency, and the child's CPU time (user + system, all threads) per hook.</summary>
    private sealed record Result(double PerSecond, double P50Us, double P99Us, double CpuNsPerHook);

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<Result> RunOneAsync(string exe, int count, int window, int? cpu, int warmup)
    {
        using var process = ChildPlugin.Start(exe, cpu);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdin = process.StandardInput.BaseStream;
        var stdout = process.StandardOutput.BaseStream;

        // Handshake like lightningd.
        var lines = new StreamReader(stdout, Encoding.UTF8, false, 1 << 16, leaveOpen: true);
        await stdin.WriteAsync(Encoding.UTF8.GetBytes(ChildPlugin.Manifest(0)), cts.Token);
        await stdin.FlushAsync(cts.Token);
        await ChildPlugin.ReadAnswerAsync(lines, cts.Token);
        await stdin.WriteAsync(Encoding.UTF8.GetBytes(ChildPlugin.Init(1)), cts.Token);
        await stdin.FlushAsync(cts.Token);
        await ChildPlugin.ReadAnswerAsync(lines, cts.Token);

        // lightningd's exact framing for each call; the payload is a 0x8001 message of 8 + 32 bytes.
        // The first `warmup` calls (if any) go through the same pipeline untimed.
        int total = warmup + count;
        byte[][] calls = new byte[total][];
        for (int i = 0; i < total; i++)
        {
            string payload = "8001" + ((ulong)i).ToString("x16", CultureInfo.InvariantCulture) + new string('a', 64);
            calls[i] = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#{i + 2}\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"{payload}\",\"peer_id\":\"{Peer}\"}}}}\n\n");
        }

        long[] sent = new long[total];
        long[] received = new long[total];
        var window_ = new SemaphoreSlim(window, window);

        async Task DriveAsync(int from, int to)
        {
            int answered = 0;
            var reading = Task.Run(async () =>
            {
                while (answered < to - from)
                {
                    string line = await ChildPlugin.ReadAnswerAsync(lines, cts.Token);
                    long now = Stopwatch.GetTimestamp();
                    int hash = line.IndexOf("custommsg#", StringComparison.Ordinal);
                    if (hash < 0)
                    {
                        continue;
                    }

                    int idStart = hash + "custommsg#".Length;
                    int idEnd = line.IndexOf('"', idStart);
                    int index = int.Parse(line.AsSpan(idStart, idEnd - idStart), CultureInfo.InvariantCulture) - 2;
                    if (!line.Contains("\"continue\"", StringComparison.Ordinal) || index < from || index >= to || received[index] != 0)
                    {
                        throw new InvalidOperationException("unexpected answer: " + line);
                    }

                    received[index] = now;
                    answered++;
                    window_.Release();
                }
            });

            var batch = new MemoryStream();
            for (int i = from; i < to;)
            {
                // Write what the window allows in one go, as lightningd writes whatever is queued.
                await window_.WaitAsync(cts.Token);
                int n = 1;
                while (n < 64 && i + n < to && window_.Wait(0))
                {
                    n++;
                }

                batch.SetLength(0);
                long now = Stopwatch.GetTimestamp();
                for (int k = 0; k < n; k++)
                {
                    batch.Write(calls[i + k]);
                    sent[i + k] = now;
                }

                await stdin.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), cts.Token);
                await stdin.FlushAsync(cts.Token);
                i += n;
            }

            await reading.WaitAsync(cts.Token);
        }

        if (warmup > 0)
        {
            await DriveAsync(0, warmup);
        }

        process.Refresh();
        TimeSpan cpuBegin = process.TotalProcessorTime;
        long begin = Stopwatch.GetTimestamp();
        await DriveAsync(warmup, total);
        long end = Stopwatch.GetTimestamp();
        process.Refresh();
        TimeSpan cpuEnd = process.TotalProcessorTime;
        stdin.Close();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
        }

        double[] latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            latencies[i] = (received[warmup + i] - sent[warmup + i]) * 1e6 / Stopwatch.Frequency;
        }

        Array.Sort(latencies);
        double seconds = (end - begin) / (double)Stopwatch.Frequency;
        return new Result(count / seconds, latencies[count / 2], latencies[(int)(count * 0.99)], (cpuEnd - cpuBegin).TotalNanoseconds / count);
    }
}
