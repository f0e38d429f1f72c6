using System.Reflection;

namespace Cln.ProtocolExtensions.Samples.Tests;

/// <summary>Finds the sample plugins' executables, to start them as child processes.</summary>
internal static class SamplePlugins
{
    /// <summary>
    /// The executable of a sample plugin, built next to its project (see samples/build/SamplePlugins.targets),
    /// or, when <c>CLNX_SAMPLE_PUBLISH_DIR</c> names a folder, the one published there (to run the
    /// child-process tests against a Native AOT or ReadyToRun build: docs/publishing.md).
    /// </summary>
    public static string ExecutablePath(string assemblyName)
    {
        string? published = Environment.GetEnvironmentVariable("CLNX_SAMPLE_PUBLISH_DIR");
        string? path = !string.IsNullOrEmpty(published)
            ? Path.Combine(published, assemblyName)
            : typeof(SamplePlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "ClnPlugin:" + assemblyName)?.Value;
        Assert.False(path is null, $"no ClnPlugin:{assemblyName} metadata in the test assembly");
        Assert.True(File.Exists(path), $"{path} does not exist");
        return path;
    }
}
