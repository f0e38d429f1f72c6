using System.Reflection;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Testing;

namespace Cln.ProtocolExtensions.Samples.Tests;

/// <summary>Starts the sample plugins on simulated nodes, in-process or as their real executables.</summary>
internal static class SamplePlugins
{
    /// <summary>The executable of a sample plugin, built next to its project (see samples/build/SamplePlugins.targets).</summary>
    public static string ExecutablePath(string assemblyName)
    {
        string? path = typeof(SamplePlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "ClnPlugin:" + assemblyName)?.Value;
        Assert.False(path is null, $"no ClnPlugin:{assemblyName} metadata in the test assembly");
        Assert.True(File.Exists(path), $"{path} does not exist");
        return path;
    }

    /// <summary>Runs a plugin in-process on the node, configured like its Program.cs does.</summary>
    public static Task<SimulatedPlugin> StartInProcessAsync(
        this SimulatedNode node, string name, Action<ClnPluginBuilder> configure, PluginStartOptions? options = null) =>
        node.StartPluginAsync(name, (input, output, cancellationToken) =>
        {
            ClnPluginBuilder builder = ClnPlugin.CreateBuilder([]);
            builder.UseStreams(input, output);
            configure(builder);
            return builder.Build().RunAsync(cancellationToken);
        }, options);
}
