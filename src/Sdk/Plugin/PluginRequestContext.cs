using System.Text.Json;
using Cln.ProtocolExtensions.Plugin.Internal;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>A call from lightningd to one of the plugin's RPC methods or hooks.</summary>
public sealed class PluginRequestContext
{
    private readonly byte[] _rawId;
    private readonly ProtocolWriter? _writer;

    internal PluginRequestContext(string method, string requestId, byte[] rawId, JsonElement parameters, IServiceProvider services, ProtocolWriter? writer)
    {
        Method = method;
        RequestId = requestId;
        Params = parameters;
        Services = services;
        _rawId = rawId;
        _writer = writer;
    }

    /// <summary>The method or hook name.</summary>
    public string Method { get; }

    /// <summary>
    /// lightningd's request id (for example <c>cli:mycmd#12/cln:mycmd#34</c>). lightning-rpc calls the
    /// handler makes through <c>ILightningClient</c> are prefixed with it automatically.
    /// </summary>
    public string RequestId { get; }

    /// <summary>The <c>params</c> as sent: an object (named) or an array (positional).</summary>
    public JsonElement Params { get; }

    /// <summary>The services of the scope created for this call.</summary>
    public IServiceProvider Services { get; }

    /// <summary>
    /// Sends a <c>message</c> notification about this call: lightningd forwards it to the caller of
    /// the RPC method if the caller enabled notifications (<c>lightning-cli</c> prints it), and drops it
    /// otherwise (and for hooks). Use it for long-running commands, like pyln's <c>request.notify</c>.
    /// </summary>
    /// <param name="message">The text.</param>
    /// <param name="level">Its level (shown by the caller); default information.</param>
    public void NotifyMessage(string message, LogLevel level = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(message);
        _writer?.TryWriteNotification("message", (Id: _rawId, Level: ClnLoggerProvider.LevelName(level), Message: message), static (w, s) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("id"u8);
            w.WriteRawValue(s.Id, skipInputValidation: true);
            w.WriteString("level"u8, s.Level);
            w.WriteString("message"u8, s.Message);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Sends a <c>progress</c> notification about this call (forwarded like <see cref="NotifyMessage"/>),
    /// like pyln's <c>request.progress</c>: <paramref name="completed"/> of <paramref name="total"/> steps,
    /// optionally within stage <paramref name="stage"/> of <paramref name="stageCount"/>.
    /// </summary>
    /// <param name="completed">Steps done so far (0 or more).</param>
    /// <param name="total">Steps in all (more than 0, at least <paramref name="completed"/>).</param>
    /// <param name="stage">The current stage (0-based), or <see langword="null"/> for a single-stage task.</param>
    /// <param name="stageCount">How many stages; required with <paramref name="stage"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The numbers are inconsistent.</exception>
    public void NotifyProgress(int completed, int total, int? stage = null, int? stageCount = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(completed, total);
        if (stage is not null || stageCount is not null)
        {
            if (stage is not { } s || stageCount is not { } c || s < 0 || c <= 0 || s >= c)
            {
                throw new ArgumentOutOfRangeException(nameof(stage), "stage and stageCount go together, with 0 <= stage < stageCount.");
            }
        }

        _writer?.TryWriteNotification("progress", (Id: _rawId, completed, total, stage, stageCount), static (w, s) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("id"u8);
            w.WriteRawValue(s.Id, skipInputValidation: true);
            w.WriteNumber("num"u8, s.completed);
            w.WriteNumber("total"u8, s.total);
            if (s.stage is { } stage)
            {
                w.WriteStartObject("stage"u8);
                w.WriteNumber("num"u8, stage);
                w.WriteNumber("total"u8, s.stageCount!.Value);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        });
    }
}

/// <summary>A notification from lightningd on a topic the plugin subscribed to.</summary>
public sealed class PluginNotificationContext
{
    internal PluginNotificationContext(string topic, string? origin, JsonElement parameters, IServiceProvider services)
    {
        Topic = topic;
        Origin = origin;
        Params = parameters;
        Services = services;
        Payload = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(topic, out var inner) && inner.ValueKind == JsonValueKind.Object
            ? inner
            : parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("payload", out var legacy) && origin is not null
                ? legacy
                : parameters;
    }

    /// <summary>The topic (the notification's <c>method</c>).</summary>
    public string Topic { get; }

    /// <summary>For a custom notification from another plugin, that plugin's name; otherwise <see langword="null"/>.</summary>
    public string? Origin { get; }

    /// <summary>The <c>params</c> as sent.</summary>
    public JsonElement Params { get; }

    /// <summary>
    /// The notification's fields: the object named after the topic when present (lightningd wraps
    /// native notifications as <c>{"connect": {...}}</c>), the legacy <c>payload</c> of an old-style
    /// custom notification, or else <see cref="Params"/> itself.
    /// </summary>
    public JsonElement Payload { get; }

    /// <summary>The services of the scope created for this notification.</summary>
    public IServiceProvider Services { get; }
}
