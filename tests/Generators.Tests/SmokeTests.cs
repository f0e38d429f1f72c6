namespace Cln.ProtocolExtensions.Generators.Tests;

public class SmokeTests
{
    [Fact]
    public void GeneratorIsAnIncrementalGenerator() =>
        Assert.IsAssignableFrom<Microsoft.CodeAnalysis.IIncrementalGenerator>(new MessageGenerator());
}
