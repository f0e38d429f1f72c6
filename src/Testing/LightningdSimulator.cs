namespace Cln.ProtocolExtensions.Testing;

/// <summary>An in-memory lightningd for plugin tests.</summary>
public sealed class LightningdSimulator
{
}
