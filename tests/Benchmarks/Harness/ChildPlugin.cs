using System.Diagnostics;

namespace Cln.ProtocolExtensions.Benchmarks.Harness;

/// <summary>Locates the repository and starts plugin executables the way lightningd does (pipes, env).</summary>
internal static class ChildPlugin
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The apphost of a built project: tests/{project}/bin/Release/net10.0/{project}.</summary>
    public static string BuiltExe(string project)
    {
        string path = Path.Combine(RepoRoot(), "tests", project, "bin", "Release", "net10.0", project);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Build it first: dotnet build -c Release tests/{project}", path);
        }

        return path;
    }

    /// <summary>Starts <paramref name="exe"/> with redirected stdin/stdout, optionally pinned to one CPU with taskset.</summary>
    public static Process Start(string exe, int? cpu)
    {
        var psi = new ProcessStartInfo
        {
            FileName = cpu is null ? exe : "taskset",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (cpu is not null)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(cpu.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(exe);
            psi.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        }

        psi.Environment["LIGHTNINGD_PLUGIN"] = "1";
        psi.Environment["LIGHTNINGD_VERSION"] = "v26.06.6";
        var process = Process.Start(psi)!;
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        return process;
    }

    public static string Manifest(int id) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"cln:getmanifest#{id}\",\"method\":\"getmanifest\",\"params\":{{\"allow-deprecated-apis\":false}}}}\n\n";

    public static string Init(int id) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":\"cln:init#{id}\",\"method\":\"init\",\"params\":{{\"options\":{{}},\"configuration\":{{\"lightning-dir\":\"/tmp\",\"rpc-file\":\"lightning-rpc\",\"startup\":true,\"network\":\"regtest\",\"feature_set\":{{\"init\":\"0800\"}}}}}}}}\n\n";

    /// <summary>Reads one "\n\n"-terminated object with an "id" (skipping log notifications) and returns it.</summary>
    public static async Task<string> ReadAnswerAsync(StreamReader reader, CancellationToken ct)
    {
        while (true)
        {
            string? line = await reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("the plugin closed stdout");
            if (line.Length > 0 && line.Contains("\"id\"", StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
