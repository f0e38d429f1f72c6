using System.Diagnostics;
using Cln.ProtocolExtensions.RpcCodegen;

// Usage (from anywhere inside the repo):
//   dotnet run --project src/RpcCodegen -- reduce <lightning-checkout> <release>   schemas -> src/RpcCodegen/schemas/lightningd
//   dotnet run --project src/RpcCodegen -- generate                              src/RpcCodegen/schemas/lightningd -> src/Rpc/Generated, src/Sdk/Plugin/Generated
string root = Paths.RepoRoot(Directory.GetCurrentDirectory());
var clock = Stopwatch.StartNew();
switch (args)
{
    case ["reduce", var checkout, var release]:
        foreach (var line in Reducer.Run(Path.GetFullPath(checkout), release, Paths.Schemas(root)))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"reduced into {Paths.Schemas(root)} in {clock.ElapsedMilliseconds} ms");
        return 0;
    case ["generate"]:
        foreach (var (files, output) in new[]
                 {
                     (Generator.Generate(Paths.Schemas(root)), Paths.Generated(root)),
                     (Generator.GeneratePayloads(Paths.Schemas(root)), Paths.GeneratedPayloads(root)),
                 })
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            foreach (var (path, text) in files)
            {
                string target = Path.Combine(output, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, text);
            }

            Console.WriteLine($"generated {files.Count} files, {files.Values.Sum(t => t.Count(c => c == '\n'))} lines, " +
                $"{files.Values.Sum(t => System.Text.Encoding.UTF8.GetByteCount(t))} bytes into {output} in {clock.ElapsedMilliseconds} ms");
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: RpcCodegen reduce <lightning-checkout> <release> | RpcCodegen generate");
        return 2;
}

/// <summary>Where the schema data and the generated client live in the repo.</summary>
internal static class Paths
{
    /// <summary>The folder holding Sdk.sln, found from <paramref name="start"/> upwards.</summary>
    public static string RepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Sdk.sln in '{start}' or above: run the generator inside the repo.");
    }

    /// <summary>The schema data: src/RpcCodegen/schemas/lightningd.</summary>
    public static string Schemas(string root) => Path.Combine(root, "src", "RpcCodegen", "schemas", "lightningd");

    /// <summary>The generated client: src/Rpc/Generated.</summary>
    public static string Generated(string root) => Path.Combine(root, "src", "Rpc", "Generated");

    /// <summary>The generated notification and hook payloads: src/Sdk/Plugin/Generated.</summary>
    public static string GeneratedPayloads(string root) => Path.Combine(root, "src", "Sdk", "Plugin", "Generated");
}
