using System.Text.Json;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// Carries a typed payload's read failure from a hook or subscription wrapper to the loop, which logs
/// it as such (one <c>unusual</c> line, no stack: the payload, not the plugin, is at fault) and does not
/// call the handler.
/// </summary>
internal sealed class PayloadUnreadableException(Exception inner) : Exception(inner.Message, inner)
{
    /// <summary>Reads a payload with <paramref name="read"/>; any failure becomes this exception.</summary>
    public static T Read<T>(JsonElement payload, Func<JsonElement, T> read)
    {
        try
        {
            return read(payload);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new PayloadUnreadableException(ex);
        }
    }
}
