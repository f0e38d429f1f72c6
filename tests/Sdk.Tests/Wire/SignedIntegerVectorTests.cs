using System.Text.Json;
using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>BOLT #1 Appendix D: every signed integer vector, decoded and encoded at its width.</summary>
public class SignedIntegerVectorTests
{
    public static TheoryData<string> Hexes => new(Bolt1Vectors.SignedIntegers.Select(v => v.Str("hex")));

    [Fact]
    public void FixtureHoldsEveryAppendixDVector() => Assert.Equal(23, Bolt1Vectors.SignedIntegers.Count());

    [Theory]
    [MemberData(nameof(Hexes))]
    public void DecodesAndEncodes(string hex)
    {
        JsonElement vector = Bolt1Vectors.SignedIntegers.Single(v => v.Str("hex") == hex);
        long expected = vector.GetProperty("value").GetInt64();
        byte[] bytes = Convert.FromHexString(hex);
        var output = new byte[bytes.Length];
        var writer = new SpanWireWriter(output);
        var reader = new WireReader(bytes);
        long decoded;

        switch (vector.Str("type"))
        {
            case "s8":
                decoded = reader.ReadS8();
                writer.WriteS8((sbyte)expected);
                break;
            case "s16":
                decoded = reader.ReadS16();
                writer.WriteS16((short)expected);
                break;
            case "s32":
                decoded = reader.ReadS32();
                writer.WriteS32((int)expected);
                break;
            case "s64":
                decoded = reader.ReadS64();
                writer.WriteS64(expected);
                break;
            default:
                throw new InvalidOperationException(vector.Str("type"));
        }

        Assert.Equal(expected, decoded);
        Assert.True(reader.IsEmpty);
        Assert.Equal(bytes.Length, writer.Written);
        Assert.Equal(bytes, output);
    }
}
