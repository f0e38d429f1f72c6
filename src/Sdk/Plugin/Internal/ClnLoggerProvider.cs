using Microsoft.Extensions.Logging;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>Turns <see cref="ILogger"/> calls into lightningd <c>log</c> notifications.</summary>
internal sealed class ClnLoggerProvider(ProtocolWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ClnLogger(writer);

    public void Dispose()
    {
    }

    /// <summary>
    /// lightningd's level names (common/status_levels.c): warn = unusual, error = broken. A plugin's own
    /// <c>LogError</c>/<c>LogCritical</c> is <c>broken</c>, which lightningd and pyln-testing read as a bug
    /// in the node; the runtime itself never logs at those levels (see <see cref="Log"/>).
    /// </summary>
    internal static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "unusual",
        _ => "broken",
    };

    private sealed class ClnLogger(ProtocolWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = string.IsNullOrEmpty(message) ? exception.ToString() : message + ": " + exception;
            }

            if (!string.IsNullOrEmpty(message))
            {
                try
                {
                    writer.WriteLog(LevelName(logLevel), message);
                }
                catch (Exception)
                {
                    // Logging never throws into the caller; there is nowhere else to report it.
                }
            }
        }
    }
}
