using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cln.ProtocolExtensions.Benchmarks.Harness;

/// <summary>
/// The custommsg hook path through a real child process: lightningd's bytes for N hook calls,
/// pipelined with a bounded window of calls in flight, each answer matched to its call by id.
/// Runs the SDK plugin (tests/BenchPlugin) and the minimal Utf8JsonReader loop
/// (tests/BenchMinimalLoop) in alternation and prints hooks/s and p50/p99 latency for each.
/// Arguments: [count=200000] [window=256] [rounds=3] [cpu=1|none] [sdk=path] [minimal=path]
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
        Console.WriteLine($"sdk: {sdk}\nminimal: {minimal}");
        Console.WriteLine($"hook path: {count:N0} custommsg hooks, window {window}, {rounds} rounds, child pinned to cpu {(cpu is null ? "none" : cpu)}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

        var results = new Dictionary<string, List<Result>> { ["sdk"] = [], ["minimal"] = [] };
        for (int round = 0; round < rounds; round++)
        {
            results["minimal"].Add(await RunOneAsync(minimal, count, window, cpu));
            results["sdk"].Add(await RunOneAsync(sdk, count, window, cpu));
        }

        foreach (var (name, list) in results)
        {
            foreach (var r in list)
            {
                Console.WriteLine($"  {name,-8} {r.PerSecond,10:N0} hooks/s  p50 {r.P50Us,8:N1} us  p99 {r.P99Us,8:N1} us");
            }
        }

        Result bestSdk = results["sdk"].MaxBy(r => r.PerSecond)!;
        Result bestMin = results["minimal"].MaxBy(r => r.PerSecond)!;
        Console.WriteLine($"best: sdk {bestSdk.PerSecond:N0}/s (p50 {bestSdk.P50Us:N1} us, p99 {bestSdk.P99Us:N1} us); minimal {bestMin.PerSecond:N0}/s (p50 {bestMin.P50Us:N1} us, p99 {bestMin.P99Us:N1} us); minimal/sdk throughput = {bestMin.PerSecond / bestSdk.PerSecond:F2}x");
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private sealed record Result(double PerSecond, double P50Us, double P99Us);

    private static async Task<Result> RunOneAsync(string exe, int count, int window, int? cpu)
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
        byte[][] calls = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            string payload = "8001" + ((ulong)i).ToString("x16", CultureInfo.InvariantCulture) + new string('a', 64);
            calls[i] = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"cln:custommsg#{i + 2}\",\"method\":\"custommsg\",\"params\":{{\"payload\":\"{payload}\",\"peer_id\":\"{Peer}\"}}}}\n\n");
        }

        long[] sent = new long[count];
        long[] received = new long[count];
        int answered = 0;
        var window_ = new SemaphoreSlim(window, window);

        var reading = Task.Run(async () =>
        {
            while (answered < count)
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
                if (!line.Contains("\"continue\"", StringComparison.Ordinal) || received[index] != 0)
                {
                    throw new InvalidOperationException("unexpected answer: " + line);
                }

                received[index] = now;
                answered++;
                window_.Release();
            }
        });

        long begin = Stopwatch.GetTimestamp();
        var batch = new MemoryStream();
        for (int i = 0; i < count;)
        {
            // Write what the window allows in one go, as lightningd writes whatever is queued.
            await window_.WaitAsync(cts.Token);
            int n = 1;
            while (n < 64 && i + n < count && window_.Wait(0))
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
        long end = Stopwatch.GetTimestamp();
        stdin.Close();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
        }

        double[] latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            latencies[i] = (received[i] - sent[i]) * 1e6 / Stopwatch.Frequency;
        }

        Array.Sort(latencies);
        double seconds = (end - begin) / (double)Stopwatch.Frequency;
        return new Result(count / seconds, latencies[count / 2], latencies[(int)(count * 0.99)]);
    }
}
