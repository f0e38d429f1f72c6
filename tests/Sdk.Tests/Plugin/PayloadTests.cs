using System.Reflection;
using System.Text.Json;
using Cln.ProtocolExtensions.Plugin;

namespace Cln.ProtocolExtensions.Tests.Plugin;

/// <summary>
/// The generated notification and hook payloads against lightningd v26.06.6's own bytes: every
/// notification and hook call in the recordings reads into its type, unwrapped the way the runtime
/// unwraps it; and the payloads keep the version rules of the client's models.
/// </summary>
public class PayloadTests
{
    private const string PeerA = ProtocolTests.PeerA;

    /// <summary>The generated payload types, by topic or hook name (reflection: test code only).</summary>
    private static Dictionary<string, Func<JsonElement, object>> Readers(Type contract, string nameProperty) =>
        typeof(ClnPluginBuilder).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == contract))
            .ToDictionary(
                t => (string)t.GetProperty(nameProperty, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!,
                t =>
                {
                    var fromJson = t.GetMethod("FromJson", BindingFlags.Public | BindingFlags.Static, [typeof(JsonElement)])!;
                    return (Func<JsonElement, object>)(e =>
                    {
                        try
                        {
                            return fromJson.Invoke(null, [e])!;
                        }
                        catch (TargetInvocationException ex) when (ex.InnerException is not null)
                        {
                            throw ex.InnerException;
                        }
                    });
                });

    private static IEnumerable<JsonElement> RecordedMessages() =>
        Directory.EnumerateFiles(Fixtures.Directory, "*.jsonl")
            .Where(f => f.EndsWith("plugin.jsonl", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("pyln_reference_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Fixtures.Transcript(Path.GetFileName(f)))
            .Where(r => r.Dir == "in")
            .SelectMany(r => r.Raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(m => JsonDocument.Parse(m).RootElement.Clone());

    [Fact]
    public void Every_recorded_notification_and_hook_call_reads_into_its_generated_payload()
    {
        var topics = Readers(typeof(IPluginNotification<>), "Topic");
        var hooks = Readers(typeof(IPluginHook<>), "HookName");
        var read = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in RecordedMessages())
        {
            string method = message.GetProperty("method").GetString()!;
            var parameters = message.GetProperty("params");
            object payload;
            if (message.TryGetProperty("id", out _))
            {
                if (method is "getmanifest" or "init")
                {
                    continue;
                }

                Assert.True(hooks.ContainsKey(method), $"lightningd called '{method}', which has no payload type");
                payload = hooks[method](parameters);
            }
            else
            {
                Assert.True(topics.ContainsKey(method), $"lightningd sent the topic '{method}', which has no payload type");

                // The runtime's own unwrapping: lightningd v26.06 wraps every native topic as {"<topic>": {...}}.
                var context = new PluginNotificationContext(method, null, parameters, null!);
                Assert.True(parameters.TryGetProperty(method, out var wrapped) && wrapped.ValueKind == JsonValueKind.Object, $"'{method}' is not wrapped");
                payload = topics[method](context.Payload);
            }

            Assert.NotNull(payload);
            string key = (message.TryGetProperty("id", out _) ? "hook " : "") + method;
            read[key] = read.GetValueOrDefault(key) + 1;
        }

        // What the recordings hold: six topics and the custommsg hook, each read every time it came.
        Assert.Equal(["connect", "custommsg", "disconnect", "hook custommsg", "plugin_started", "shutdown", "warning"], read.Keys.Order(StringComparer.Ordinal));
        Assert.True(read["hook custommsg"] >= 25 && read["custommsg"] >= 25, string.Join(", ", read));
    }

    [Fact]
    public void Recorded_payloads_keep_their_values()
    {
        var hook = RecordedMessages().First(m => m.TryGetProperty("id", out _) && m.GetProperty("method").GetString() == "custommsg");
        var call = CustomMessageHook.FromJson(hook.GetProperty("params"));
        Assert.Equal(hook.GetProperty("params").GetProperty("peer_id").GetString(), call.PeerId.ToHex());
        Assert.Equal(hook.GetProperty("params").GetProperty("payload").GetString(), Convert.ToHexStringLower(call.Payload));

        var started = RecordedMessages().First(m => m.GetProperty("method").GetString() == "plugin_started").GetProperty("params").GetProperty("plugin_started");
        var plugin = PluginStartedNotification.FromJson(started);
        Assert.Equal(started.GetProperty("plugin_path").GetString(), plugin.PluginPath);
    }

    [Fact]
    public void A_field_added_after_v23_11_may_be_absent_and_a_field_lightningd_adds_later_is_ignored()
    {
        // warning.timestamp came with v24.02: a v23.11 node omits it.
        using var old = JsonDocument.Parse("{\"level\":\"error\",\"time\":\"1700000000.5\",\"source\":\"lightningd\",\"log\":\"x\"}");
        var warning = WarningNotification.FromJson(old.RootElement);
        Assert.Null(warning.Timestamp);
        Assert.Equal(WarningNotificationLevel.Error, warning.Level);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500), warning.Time);

        using var newer = JsonDocument.Parse($"{{\"id\":\"{PeerA}\",\"direction\":\"sideways\",\"address\":{{\"type\":\"dns\",\"hostname\":\"x\"}},\"added_in_v99\":[1,2]}}");
        var connect = ConnectNotification.FromJson(newer.RootElement);
        Assert.Equal("sideways", connect.Direction.Value);   // an extensible enum keeps a value it does not list
        Assert.NotEqual(ConnectNotificationDirection.In, connect.Direction);
        Assert.Equal("dns", connect.Address.Type.Value);
    }

    [Theory]
    [InlineData("{\"level\":\"warn\",\"time\":\"soon\",\"source\":\"s\",\"log\":\"l\"}", "'time' is not a time in seconds since 1970")]
    [InlineData("{\"level\":\"warn\",\"time\":true,\"source\":\"s\",\"log\":\"l\"}", "'time' is not a time in seconds since 1970")]
    [InlineData("{\"level\":\"warn\",\"time\":\"1\",\"source\":null,\"log\":\"l\"}", "'source' is missing")]
    [InlineData("[]", "'params' is not an object")]
    public void A_notification_that_does_not_read_names_the_field(string json, string message)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(message, Assert.Throws<PayloadFormatException>(() => WarningNotification.FromJson(doc.RootElement)).Message);
    }

    [Theory]
    [InlineData("{\"peer_id\":\"" + PeerA + "\",\"payload\":\"8001zz\"}", "'payload' is not hex")]
    [InlineData("{\"data_version\":-1,\"writes\":[]}", "'data_version' is not an unsigned 32-bit integer")]
    [InlineData("{\"data_version\":1,\"writes\":[\"a\",2]}", "'writes[1]' is not a string")]
    public void A_hook_payload_that_does_not_read_names_the_field(string json, string message)
    {
        using var doc = JsonDocument.Parse(json);
        var error = Assert.Throws<PayloadFormatException>(() => json.Contains("writes", StringComparison.Ordinal)
            ? DbWriteHook.FromJson(doc.RootElement)
            : (object)CustomMessageHook.FromJson(doc.RootElement));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Hook_payloads_are_read_from_their_wrapping_object_where_lightningd_wraps_them()
    {
        using var doc = JsonDocument.Parse($"{{\"openchannel2_changed\":{{\"channel_id\":\"{new string('a', 64)}\",\"psbt\":\"cHNidP8=\",\"require_confirmed_inputs\":false}}}}");
        var changed = Openchannel2ChangedHook.FromJson(doc.RootElement);
        Assert.Equal("cHNidP8=", changed.Psbt);
        Assert.False(changed.RequireConfirmedInputs);
    }
}
