namespace Cln.ProtocolExtensions.Testing.Tests;

public class SmokeTests
{
    [Fact]
    public void SimulatorCanBeCreated() => Assert.NotNull(new LightningdSimulator());
}
