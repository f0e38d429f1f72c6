using System.Text.Json;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// The names lightningd v26.06.6 already uses (tests/Fixtures/cln-v26.06.6/lightningd_names.json, recorded
/// from <c>help</c>, <c>lightningd --help</c> and <c>listconfigs</c>): the compiled list must equal the
/// recording (commands: the recording and the commands of lightningd's schemas in
/// src/RpcCodegen/schemas/lightningd/rpc, which a default node's <c>help</c> may not list), and the builder
/// must refuse every one of them before lightningd sees the manifest.
/// </summary>
public class LightningdNameTests
{
    private static readonly JsonElement Recording = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cln-v26.06.6", "lightningd_names.json"))).RootElement.Clone();

    private static string[] Names(string list) =>
        Recording.GetProperty(list).EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The command names of lightningd's schemas, as the repository keeps them.</summary>
    private static IEnumerable<string> SchemaCommands()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        string rpc = Path.Combine(dir.FullName, "src", "RpcCodegen", "schemas", "lightningd", "rpc");
        string[] files = Directory.GetFiles(rpc, "*.json");
        Assert.NotEmpty(files);
        return files.Select(f => JsonNode.Parse(File.ReadAllText(f))!["rpc"]!.GetValue<string>());
    }

    private static ClnPluginBuilder NewBuilder()
    {
        var b = ClnPlugin.CreateBuilder([]);
        b.UseStreams(new MemoryStream(), new MemoryStream());
        return b;
    }

    private static ValueTask<JsonNode?> NoResult(PluginRequestContext context, CancellationToken cancellationToken) => ValueTask.FromResult<JsonNode?>(null);

    [Fact]
    public void The_compiled_command_list_is_the_recorded_one_and_the_schemas_in_ordinal_order()
    {
        // Ordinal order matters too: IsCommand is a binary search.
        Assert.Equal(Names("commands").Union(SchemaCommands()).Order(StringComparer.Ordinal), LightningdNames.Commands);
        Assert.Equal("v26.06.6", LightningdNames.Version);
    }

    [Fact]
    public void The_compiled_option_list_is_the_recorded_one_in_ordinal_order()
    {
        Assert.Equal(Names("options"), LightningdNames.Options);
    }

    [Fact]
    public void A_method_named_like_any_lightningd_command_is_refused_at_registration()
    {
        var accepted = new List<string>();
        foreach (var command in Names("commands"))
        {
            try
            {
                NewBuilder().AddMethod(command, NoResult);
                accepted.Add(command);
            }
            catch (ArgumentException e)
            {
                Assert.Equal("name", e.ParamName);
                Assert.Contains($"'{command}'", e.Message, StringComparison.Ordinal);
                Assert.Contains("FATAL SIGNAL 11", e.Message, StringComparison.Ordinal);
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void An_option_named_like_any_of_lightningds_is_refused_by_every_option_method()
    {
        var accepted = new List<string>();
        foreach (var option in Names("options"))
        {
            var b = NewBuilder();
            foreach (var (method, add) in new (string, Action)[]
            {
                ("AddOption", () => b.AddOption(option, PluginOptionType.String, "d")),
                ("AddStringOption", () => b.AddStringOption(option, "d")),
                ("AddIntegerOption", () => b.AddIntegerOption(option, "d")),
                ("AddBooleanOption", () => b.AddBooleanOption(option, "d")),
                ("AddFlagOption", () => b.AddFlagOption(option, "d")),
            })
            {
                try
                {
                    add();
                    accepted.Add($"{method}({option})");
                }
                catch (ArgumentException e)
                {
                    Assert.Equal("name", e.ParamName);
                    Assert.Contains($"option name '{option}' is already taken", e.Message, StringComparison.Ordinal);
                }
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void The_names_the_issue_saw_harm_a_node_are_among_the_refused()
    {
        // Tried against lightningd v26.06.6 (PROTOCOL.md §0 items 13-14): these crashed it, got the plugin killed, or stopped it from starting.
        foreach (var command in new[] { "getinfo", "sendcustommsg", "help", "check", "stop", "plugin", "pay" })
            Assert.True(LightningdNames.IsCommand(command), command);
        foreach (var option in new[] { "alias", "log-level" })
            Assert.True(LightningdNames.IsOption(option), option);
    }

    [Fact]
    public void A_prefixed_name_is_still_accepted()
    {
        var b = NewBuilder();
        b.AddMethod("pingpong-getinfo", NoResult);
        b.AddStringOption("pingpong-alias", "d");
        Assert.False(LightningdNames.IsCommand("pingpong-getinfo"));
        Assert.False(LightningdNames.IsOption("pingpong-alias"));
    }

    [Fact]
    public void Hook_filters_lightningd_refuses_are_refused_at_registration()
    {
        var b = NewBuilder();
        static ValueTask<JsonNode> Continue(PluginRequestContext c, CancellationToken ct) => ValueTask.FromResult<JsonNode>(new JsonObject { ["result"] = "continue" });

        // Recorded (manifest_violations.jsonl row 19): lightningd kills a plugin that filters a hook without filters.
        var e = Assert.Throws<ArgumentException>(() => b.AddHook("peer_connected", Continue, filters: [1]));
        Assert.Contains("Hook peer_connected does not allow filters", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => b.AddHook("rpc_command", Continue, filters: [1]));
        Assert.Equal("filters", e.ParamName);

        b.AddHook("rpc_command", Continue, filters: ["pay"]);
        b.AddHook("peer_connected", Continue);
    }
}
