using System.Text.Json;
using Cln.ProtocolExtensions.Rpc;
using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// How a method (or <c>check</c>) whose handler threw is answered and logged: a refusal the handler
/// meant (<see cref="PluginMethodException"/>) or lightningd's own refusal passed through
/// (<see cref="ClnRpcException"/>: lightningd's code, message and data) is the answer, logged at debug;
/// a cancellation because the plugin stops is error -5 (lightningd's <c>LIGHTNINGD_SHUTDOWN</c>), at
/// debug; a timeout, another cancellation or any other exception is the failure code with
/// its message, logged as one unusual line (the stack at debug). Never a <c>broken</c> line.
/// The failure code is -32600 for a method (as pyln-client), -32602 for <c>check</c>.
/// </summary>
internal static class MethodErrors
{
    /// <summary>lightningd's <c>LIGHTNINGD_SHUTDOWN</c> (common/jsonrpc_errors.h).</summary>
    public const int ShuttingDown = -5;

    public static void Answer(ProtocolWriter writer, ILogger logger, ReadOnlySpan<byte> rawId, string method, Exception exception, bool stopping, int failureCode)
    {
        switch (exception)
        {
            case PluginMethodException refused:
                Log.MethodRefused(logger, method, refused.Code, refused.Message);
                writer.TryWriteError(rawId, refused.Code, refused.Message, refused.ErrorData is null ? null : w => refused.ErrorData.WriteTo(w));
                break;
            case ClnRpcException { Code: int code, ClnMessage: string message } fromLightningd:
                // lightningd answered (a connection failure has neither a code nor a message: it is unexpected).
                Log.MethodRefused(logger, method, code, message);
                writer.TryWriteError(rawId, code, message, DataWriter(fromLightningd.ErrorData));
                break;
            case OperationCanceledException when stopping:
                Log.Cancelled(logger, method);
                writer.TryWriteError(rawId, ShuttingDown, $"{method} was cancelled: the plugin is stopping");
                break;
            case TimeoutException:
                Log.Unexpected(logger, exception, method, (l, type, message) => Log.MethodFailed(l, method, type, message));
                writer.TryWriteError(rawId, failureCode, $"{method} timed out: {exception.Message}");
                break;
            case OperationCanceledException:
                Log.Unexpected(logger, exception, method, (l, type, message) => Log.MethodFailed(l, method, type, message));
                writer.TryWriteError(rawId, failureCode, $"{method} was cancelled: {exception.Message}");
                break;
            default:
                Log.Unexpected(logger, exception, method, (l, type, message) => Log.MethodFailed(l, method, type, message));
                writer.TryWriteError(rawId, failureCode, $"{method} failed: {exception.Message}");
                break;
        }
    }

    /// <summary>Writes lightningd's <c>data</c> as it came (re-escaped like everything else), or as a string if it is not JSON.</summary>
    private static Action<Utf8JsonWriter>? DataWriter(string? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            var element = document.RootElement.Clone();
            return w => element.WriteTo(w);
        }
        catch (JsonException)
        {
            return w => w.WriteStringValue(data);
        }
    }
}
