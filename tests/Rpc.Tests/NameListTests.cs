using System.Reflection;
using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Rpc.Tests;

/// <summary>The name lists the runtime refuses or accepts come from lightningd's schemas.</summary>
public class NameListTests
{
    private static IEnumerable<string> Names(string kind) =>
        Directory.GetFiles(Path.Combine(Repo.Schemas, kind), "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))![kind]!.GetValue<string>());

    [Fact]
    public void Every_command_of_the_schemas_is_a_refused_method_name()
    {
        var missing = Names("rpc").Where(n => !LightningdNames.IsCommand(n)).ToList();
        Assert.True(missing.Count == 0, "not refused: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_hook_and_topic_lists_are_the_schemas()
    {
        Assert.Equal(Names("hook").Order(StringComparer.Ordinal), LightningdSchema.Hooks);
        Assert.Equal(Names("notification").Order(StringComparer.Ordinal), LightningdSchema.NotificationTopics);
        Assert.Contains("custommsg", LightningdSchema.NativeNotificationTopics);
        Assert.DoesNotContain("pay_part_start", LightningdSchema.NativeNotificationTopics); // xpay's, not lightningd's
        Assert.Equal(22, LightningdSchema.NativeNotificationTopics.Length);
        Assert.True(LightningdSchema.IsHook("htlc_accepted"));
        Assert.False(LightningdSchema.IsHook("no_such_hook"));
    }

    /// <summary>The topic or hook name of every generated payload type implementing <paramref name="contract"/> (reflection: test code only).</summary>
    private static IEnumerable<string> PayloadNames(Type contract, string nameProperty) =>
        typeof(IPluginNotification<>).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == contract))
            .Select(t => (string)t.GetProperty(nameProperty, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!);

    [Fact]
    public void Every_topic_and_hook_of_the_schemas_has_exactly_one_generated_payload_type()
    {
        Assert.Equal(Names("notification").Order(StringComparer.Ordinal), PayloadNames(typeof(IPluginNotification<>), "Topic").Order(StringComparer.Ordinal));
        Assert.Equal(Names("hook").Order(StringComparer.Ordinal), PayloadNames(typeof(IPluginHook<>), "HookName").Order(StringComparer.Ordinal));
        Assert.Equal(24, Names("notification").Count());
        Assert.Equal(15, Names("hook").Count());
    }
}
