using System.Text.Json;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>
/// A typed notification payload: its topic and how to read it from the notification's fields
/// (<see cref="PluginNotificationContext.Payload"/>). Subscribe with
/// <see cref="ClnPluginBuilder.Subscribe{TNotification}(Func{TNotification, PluginNotificationContext, CancellationToken, ValueTask})"/>.
/// Every topic of lightningd's schemas has one, generated from them (<c>ConnectNotification</c>,
/// <c>BlockAddedNotification</c>, ...: src/Sdk/Plugin/Generated). Implement it for your own or other
/// plugins' custom topics too.
/// </summary>
/// <typeparam name="TSelf">The payload type itself.</typeparam>
public interface IPluginNotification<TSelf>
    where TSelf : IPluginNotification<TSelf>
{
    /// <summary>The topic (notification method).</summary>
    static abstract string Topic { get; }

    /// <summary>Reads the payload. Throwing (for example on a missing field) skips this notification, logged.</summary>
    /// <param name="payload">The notification's fields (<see cref="PluginNotificationContext.Payload"/>: unwrapped from the object named after the topic).</param>
    /// <exception cref="PayloadFormatException">The payload does not read (the generated payloads throw only this).</exception>
    static abstract TSelf FromJson(JsonElement payload);
}
