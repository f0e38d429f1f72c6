using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Wire;

public class WireErrorTests
{
    [Fact]
    public void ExceptionCarriesKindOffsetAndDetail()
    {
        var error = new WireError(WireErrorKind.NonCanonical, 7, "amount_msat");
        var ex = error.ToException();
        Assert.Equal(WireErrorKind.NonCanonical, ex.Kind);
        Assert.Equal(7, ex.Offset);
        Assert.Contains("amount_msat", ex.Message);
        Assert.Equal(error, ex.Error);
        Assert.True(error.IsError);
        Assert.False(WireError.None.IsError);
    }
}
