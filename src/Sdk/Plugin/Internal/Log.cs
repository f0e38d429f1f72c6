using Microsoft.Extensions.Logging;
using NBitcoin;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// The runtime's own log lines (they reach lightningd's log through the <c>log</c> notification). None
/// is at Error or Critical (<c>broken</c>): lightningd and pyln-testing treat a <c>**BROKEN**</c> line as
/// a bug in the node. An expected refusal is at most debug; a handler's unexpected exception is one
/// Warning (<c>unusual</c>) line with its type and message, the stack at Debug.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Dropped a message of type {MessageName} ({MessageType}, {Length} bytes) from {Peer}: it does not decode ({Error})")]
    public static partial void DecodeFailed(ILogger logger, string messageName, ushort messageType, PubKey peer, int length, string error);

    [LoggerMessage(2, LogLevel.Warning, "The handler for {MessageName} (type {MessageType}) from {Peer} threw {ExceptionType}: {ExceptionMessage}")]
    public static partial void HandlerFailed(ILogger logger, string messageName, ushort messageType, PubKey peer, string exceptionType, string exceptionMessage);

    [LoggerMessage(3, LogLevel.Debug, "Ignored a custom message of type {MessageType} from {Peer}: no handler for that type")]
    public static partial void Unhandled(ILogger logger, ushort messageType, string peer);

    [LoggerMessage(4, LogLevel.Warning, "Dropped a custom message from {Peer}: the payload has {Length} byte(s), fewer than the 2-byte type")]
    public static partial void PayloadTooShort(ILogger logger, string peer, int length);

    [LoggerMessage(16, LogLevel.Warning, "Dropped a custom message from {Peer}: {Length} bytes is more than a BOLT #1 message can hold (65,535)")]
    public static partial void PayloadTooLong(ILogger logger, string peer, int length);

    [LoggerMessage(5, LogLevel.Warning, "Dropped a custommsg hook call: {Reason}")]
    public static partial void MalformedHook(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Peer {Peer} is sending faster than its handlers keep up: dropped {Dropped} message(s) so far (queue limit {Limit} messages / {LimitBytes} bytes)")]
    public static partial void QueueFull(ILogger logger, string peer, long dropped, int limit, long limitBytes);

    [LoggerMessage(7, LogLevel.Warning, "Ignored a line on stdin that is not a JSON-RPC object ({Length} bytes)")]
    public static partial void GarbageLine(ILogger logger, int length);

    [LoggerMessage(8, LogLevel.Warning, "lightningd called unknown method '{Method}'")]
    public static partial void UnknownMethod(ILogger logger, string method);

    [LoggerMessage(9, LogLevel.Warning, "The handler of '{Method}' threw {ExceptionType}: {ExceptionMessage}")]
    public static partial void MethodFailed(ILogger logger, string method, string exceptionType, string exceptionMessage);

    [LoggerMessage(10, LogLevel.Debug, "stdin closed: stopping")]
    public static partial void StdinClosed(ILogger logger);

    [LoggerMessage(11, LogLevel.Debug, "lightningd sent shutdown: stopping")]
    public static partial void ShutdownReceived(ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "Handlers did not finish within the shutdown grace period; abandoning them")]
    public static partial void HandlersAbandoned(ILogger logger);

    [LoggerMessage(13, LogLevel.Warning, "Dropped a line on stdin longer than {Limit} bytes")]
    public static partial void LineTooLong(ILogger logger, int limit);

    [LoggerMessage(14, LogLevel.Warning, "The subscriber to '{Topic}' threw {ExceptionType}: {ExceptionMessage}")]
    public static partial void SubscriberFailed(ILogger logger, string topic, string exceptionType, string exceptionMessage);

    [LoggerMessage(17, LogLevel.Warning, "Subscribers are slower than lightningd's notifications: dropped a '{Topic}' notification ({Dropped} so far; at most {Limit} wait)")]
    public static partial void NotificationsDropped(ILogger logger, string topic, long dropped, int limit);

    [LoggerMessage(18, LogLevel.Warning, "The handler of hook '{Hook}' did not answer within {TimeoutMs} ms; answered lightningd with the safe default and cancelled it")]
    public static partial void HookTimedOut(ILogger logger, string hook, double timeoutMs);

    [LoggerMessage(19, LogLevel.Warning, "A '{Method}' request has an id that is not valid UTF-8: no answer can echo it, so it is not answered")]
    public static partial void InvalidId(ILogger logger, string method);

    [LoggerMessage(15, LogLevel.Warning, "The handler of hook '{Hook}' threw {ExceptionType}: {ExceptionMessage}; answered lightningd with the safe default")]
    public static partial void HookFailed(ILogger logger, string hook, string exceptionType, string exceptionMessage);

    [LoggerMessage(20, LogLevel.Debug, "Where {What} failed")]
    public static partial void FailureStack(ILogger logger, Exception exception, string what);

    [LoggerMessage(21, LogLevel.Debug, "'{Method}' answered error {Code}: {ErrorMessage}")]
    public static partial void MethodRefused(ILogger logger, string method, int code, string errorMessage);

    [LoggerMessage(22, LogLevel.Debug, "'{Method}' was cancelled: the plugin is stopping")]
    public static partial void Cancelled(ILogger logger, string method);

    [LoggerMessage(23, LogLevel.Warning, "The '{Hook}' hook's payload does not read ({Error}); answered lightningd with the safe default")]
    public static partial void HookPayloadUnreadable(ILogger logger, string hook, string error);

    [LoggerMessage(24, LogLevel.Warning, "Skipped a '{Topic}' notification: its payload does not read ({Error})")]
    public static partial void NotificationUnreadable(ILogger logger, string topic, string error);

    /// <summary>
    /// A failure nobody expected: one <c>unusual</c> line with the exception's type and message (through
    /// <paramref name="line"/>), its stack at <c>debug</c>. Never <c>broken</c>: lightningd and
    /// pyln-testing read a <c>**BROKEN**</c> line as a bug in the node.
    /// </summary>
    public static void Unexpected(ILogger logger, Exception exception, string what, Action<ILogger, string, string> line)
    {
        line(logger, exception.GetType().Name, exception.Message);
        FailureStack(logger, exception, what);
    }
}
