namespace Cln.ProtocolExtensions.Generated.Tests;

public class SmokeTests
{
    [Fact]
    public void PingRoundTrips()
    {
        var ping = new Ping(4, [1, 2, 3]) { Nonce = 42 };
        byte[] bytes = ping.ToArray();
        Assert.Equal(ping, Ping.Read(bytes));
    }
}
