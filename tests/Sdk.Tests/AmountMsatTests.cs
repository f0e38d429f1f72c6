using System.Text.Json;
using Xunit;

namespace Cln.ProtocolExtensions.Tests;

public class AmountMsatTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("1000", 1000UL)]
    [InlineData("1000msat", 1000UL)]
    [InlineData("1sat", 1000UL)]
    [InlineData("21sat", 21_000UL)]
    [InlineData("0.001btc", 100_000_000UL)]
    [InlineData("1btc", 100_000_000_000UL)]
    [InlineData("1.5btc", 150_000_000_000UL)]
    [InlineData("0.00000000001btc", 1UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("18446744073709551615msat", ulong.MaxValue)]
    [InlineData("18446744073709551sat", 18_446_744_073_709_551_000UL)]
    public void ParsesEveryFormLightningdAccepts(string text, ulong expected)
    {
        Assert.True(AmountMsat.TryParse(text, out AmountMsat amount));
        Assert.Equal(expected, amount.Millisatoshis);
        Assert.Equal(expected, AmountMsat.Parse(text).Millisatoshis);
    }

    [Theory]
    [InlineData("")]
    [InlineData("msat")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1.5")]
    [InlineData("1.5sat")]
    [InlineData("1.5msat")]
    [InlineData("1.btc")]
    [InlineData(".5btc")]
    [InlineData("0.000000000001btc")] // 12 decimals: finer than a millisatoshi
    [InlineData("1MSAT")]
    [InlineData("1bits")]
    [InlineData("1msatx")]
    [InlineData("18446744073709551616")] // 2^64
    [InlineData("18446744073709552sat")]
    [InlineData("184467441btc")]
    public void RefusesWhatLightningdRefuses(string text)
    {
        Assert.False(AmountMsat.TryParse(text, out _));
        FormatException error = Assert.Throws<FormatException>(() => AmountMsat.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void FormatsAsLightningdWritesText()
    {
        AmountMsat amount = new(1234);
        Assert.Equal("1234msat", amount.ToString());
        Span<char> buffer = stackalloc char[8];
        Assert.True(amount.TryFormat(buffer, out int written, default, null));
        Assert.Equal("1234msat", buffer[..written].ToString());
        Assert.False(amount.TryFormat(buffer[..7], out _, default, null));
        Assert.Equal(1UL, amount.Satoshis);
        Assert.Equal(new AmountMsat(5_000), AmountMsat.FromSatoshis(5));
    }

    [Fact]
    public void JsonReadsNumbersAndStringsAndWritesNumbers()
    {
        Assert.Equal(new AmountMsat(1000), JsonSerializer.Deserialize<AmountMsat>("1000"));
        Assert.Equal(new AmountMsat(1000), JsonSerializer.Deserialize<AmountMsat>("\"1sat\""));
        Assert.Equal(new AmountMsat(100_000_000), JsonSerializer.Deserialize<AmountMsat>("\"0.001btc\""));
        Assert.Equal("1000", JsonSerializer.Serialize(new AmountMsat(1000)));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AmountMsat>("-1"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AmountMsat>("1.5"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AmountMsat>("\"1.5sat\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AmountMsat>("true"));
    }

    [Fact]
    public void ArithmeticIsCheckedAndComparisonsFollowTheValue()
    {
        AmountMsat one = new(1), two = new(2);
        Assert.Equal(new AmountMsat(3), one + two);
        Assert.Equal(one, two - one);
        Assert.Throws<OverflowException>(() => one - two);
        Assert.Throws<OverflowException>(() => new AmountMsat(ulong.MaxValue) + one);
        Assert.Throws<OverflowException>(() => AmountMsat.FromSatoshis(ulong.MaxValue));
        Assert.True(one < two && two > one && one <= two && two >= one && new AmountMsat(2) <= two && one != two);
        Assert.Equal(-1, one.CompareTo(two));
    }
}
