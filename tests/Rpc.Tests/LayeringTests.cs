using System.Reflection;
using Cln.ProtocolExtensions.Plugin;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>
/// The layers are assemblies that depend one way: Wire &lt;- Rpc &lt;- Plugin. The compiler enforces it
/// through the project references (src/Wire references no layer, src/Rpc only src/Wire); these tests
/// check the built assemblies, so a project reference added the wrong way, or a namespace that lands
/// in the wrong assembly, fails here.
/// </summary>
public class LayeringTests
{
    private const string WireAssembly = "Cln.ProtocolExtensions.Wire";
    private const string RpcAssembly = "Cln.ProtocolExtensions.Rpc";
    private const string PluginAssembly = "Cln.ProtocolExtensions";

    private static readonly Assembly Wire = typeof(WireReader).Assembly;
    private static readonly Assembly Rpc = typeof(ILightningClient).Assembly;
    private static readonly Assembly Plugin = typeof(ClnPluginBuilder).Assembly;

    [Fact]
    public void Each_layer_is_its_own_assembly()
    {
        Assert.Equal(WireAssembly, Wire.GetName().Name);
        Assert.Equal(RpcAssembly, Rpc.GetName().Name);
        Assert.Equal(PluginAssembly, Plugin.GetName().Name);
    }

    [Fact]
    public void The_wire_layer_references_neither_the_client_nor_the_plugin_runtime()
    {
        Assert.Empty(ProductReferences(Wire));
    }

    [Fact]
    public void The_lightningd_client_references_the_wire_layer_and_not_the_plugin_runtime()
    {
        Assert.Equal([WireAssembly], ProductReferences(Rpc));
    }

    [Fact]
    public void The_plugin_runtime_references_both_lower_layers()
    {
        Assert.Equal([RpcAssembly, WireAssembly], ProductReferences(Plugin));
    }

    [Fact]
    public void The_wire_primitives_and_the_message_contracts_live_in_the_wire_assembly()
    {
        Assert.Same(Wire, typeof(AmountMsat).Assembly);
        Assert.Same(Wire, typeof(ICustomMessage<>).Assembly);
        Assert.Same(Wire, typeof(CustomMessageAttribute).Assembly);
        Assert.Same(Wire, typeof(PendingReplies<>).Assembly);
        Assert.Same(Wire, typeof(ShortChannelId).Assembly);
    }

    [Theory]
    [InlineData("Cln.ProtocolExtensions.Wire", WireAssembly)]
    [InlineData("Cln.ProtocolExtensions.Rpc", RpcAssembly)]
    [InlineData("Cln.ProtocolExtensions.Plugin", PluginAssembly)]
    [InlineData("Cln.ProtocolExtensions.Methods", PluginAssembly)]
    public void Every_public_type_of_a_layer_namespace_lives_in_that_layer_assembly(string ns, string assembly)
    {
        var all = new[] { Wire, Rpc, Plugin }.SelectMany(a => a.GetExportedTypes()).Where(t => InNamespace(t, ns)).ToList();
        Assert.NotEmpty(all);
        Assert.All(all, t => Assert.Equal(assembly, t.Assembly.GetName().Name));
    }

    /// <summary>The names of the product assemblies (Cln.ProtocolExtensions*) that <paramref name="assembly"/> references, sorted.</summary>
    private static string[] ProductReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(n => n == PluginAssembly || n.StartsWith(PluginAssembly + ".", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static bool InNamespace(Type type, string ns) =>
        type.Namespace is { } name && (name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal));
}
