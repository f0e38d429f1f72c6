namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>Paths in the repo the tests read: the schema data, the generated client and the generated payloads.</summary>
internal static class Repo
{
    public static string Root { get; } = Locate();

    public static string Schemas => Path.Combine(Root, "src", "RpcCodegen", "schemas", "lightningd");

    public static string Generated => Path.Combine(Root, "src", "Rpc", "Generated");

    public static string GeneratedPayloads => Path.Combine(Root, "src", "Sdk", "Plugin", "Generated");

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")) && Directory.Exists(Path.Combine(dir.FullName, "src", "RpcCodegen", "schemas", "lightningd")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("src/RpcCodegen/schemas/lightningd not found above " + AppContext.BaseDirectory);
    }
}
