using System.Text.Json.Nodes;
using Cln.ProtocolExtensions.Plugin.Internal;

namespace Cln.ProtocolExtensions.Plugin;

/// <summary>Emits custom notifications declared with <see cref="ClnPluginBuilder.AddNotificationTopic"/>.</summary>
public interface IPluginNotifier
{
    /// <summary>
    /// Sends a custom notification. The fields are sent both at the top of <c>params</c> and wrapped
    /// in an object named after the topic, so subscribers on lightningd before and after v25.09 (and
    /// pyln-client and cln-plugin subscribers) all read them.
    /// </summary>
    /// <param name="topic">A topic declared with <see cref="ClnPluginBuilder.AddNotificationTopic"/>.</param>
    /// <param name="payload">The notification's fields.</param>
    /// <exception cref="InvalidOperationException">The topic was not declared (lightningd would drop it).</exception>
    void Notify(string topic, JsonObject payload);
}

internal sealed class PluginNotifier(ProtocolWriter writer, PluginDefinition definition) : IPluginNotifier
{
    public void Notify(string topic, JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!definition.NotificationTopics.Contains(topic))
        {
            throw new InvalidOperationException($"Notification topic '{topic}' was not declared with AddNotificationTopic.");
        }

        writer.TryWriteNotification(topic, (topic, payload), static (w, s) =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in s.payload)
            {
                if (name == s.topic)
                {
                    continue;
                }

                w.WritePropertyName(name);
                if (value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    value.WriteTo(w);
                }
            }

            w.WritePropertyName(s.topic);
            s.payload.WriteTo(w);
            w.WriteEndObject();
        });
    }
}
