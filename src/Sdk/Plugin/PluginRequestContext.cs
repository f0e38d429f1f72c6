using System.Text.Json;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>A call from lightningd to one of the plugin's RPC methods or hooks.</summary>
public sealed class PluginRequestContext
{
    internal PluginRequestContext(string method, string requestId, JsonElement parameters, IServiceProvider services)
    {
        Method = method;
        RequestId = requestId;
        Params = parameters;
        Services = services;
    }

    /// <summary>The method or hook name.</summary>
    public string Method { get; }

    /// <summary>lightningd's request id (for example <c>cli:mycmd#12/cln:mycmd#34</c>), useful as a prefix for nested calls.</summary>
    public string RequestId { get; }

    /// <summary>The <c>params</c> as sent: an object (named) or an array (positional).</summary>
    public JsonElement Params { get; }

    /// <summary>The services of the scope created for this call.</summary>
    public IServiceProvider Services { get; }
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
