using System.Text.Json;
using Cln.ProtocolExtensions.CodeGeneration;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>The binder runtime on its own: what the in-memory lightningd cannot send to a plugin.</summary>
public class RpcArgumentsTests
{
    private static readonly string[] Names = ["text", "count"];

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("3")]
    [InlineData("true")]
    public void Params_that_are_neither_an_array_nor_an_object_are_refused(string raw)
    {
        var e = Assert.Throws<PluginMethodException>(() => RpcArguments.Bind(JsonDocument.Parse(raw).RootElement, Names, 1));
        Assert.Equal(-32602, e.Code);
        Assert.Equal("Expected array or object for params", e.Message);
    }

    [Fact]
    public void Absent_params_bind_as_none_given()
    {
        var args = RpcArguments.Bind(default, Names, 1);
        Assert.False(args.MoveNext(out int index));
        Assert.Equal(-1, index);
        var e = Assert.Throws<PluginMethodException>(args.ThrowIfMissing);
        Assert.Equal("missing required parameter: text", e.Message);
    }

    [Fact]
    public void A_repeated_null_name_is_refused_like_any_repeated_name()
    {
        var args = RpcArguments.Bind(JsonDocument.Parse("""{"count":null,"count":null}""").RootElement, Names, 0);
        var e = Assert.Throws<PluginMethodException>(() => args.MoveNext(out _));
        Assert.Equal("duplicate json names: count", e.Message);
    }

    [Theory]
    [InlineData(new string[0], "should be a string")]
    [InlineData(new[] { "a" }, "should be 'a'")]
    [InlineData(new[] { "a", "b" }, "should be 'a' or 'b'")]
    [InlineData(new[] { "a", "b", "c" }, "should be 'a', 'b' or 'c'")]
    public void Enum_refusals_list_the_names_as_lightningd_lists_bool_choices(string[] names, string problem) =>
        Assert.Equal(problem, RpcValues.EnumProblem(names));
}
