namespace Cln.ProtocolExtensions.Testing;

/// <summary>A lightningd log level (common/status_levels.c).</summary>
public enum NodeLogLevel
{
    /// <summary><c>TRACE</c>.</summary>
    Trace,

    /// <summary><c>DEBUG</c>.</summary>
    Debug,

    /// <summary><c>INFO</c>.</summary>
    Info,

    /// <summary><c>UNUSUAL</c> (a plugin's <c>warn</c>).</summary>
    Unusual,

    /// <summary><c>**BROKEN**</c> (a plugin's <c>error</c>).</summary>
    Broken,
}

/// <summary>One line of a simulated node's log, as lightningd would print it.</summary>
/// <param name="Timestamp">When the line was logged.</param>
/// <param name="Level">The level.</param>
/// <param name="Source">Who logged it: <c>lightningd</c>, <c>plugin-NAME</c>, or <c>PEERID-connectd</c>.</param>
/// <param name="Message">The text.</param>
public sealed record NodeLogEntry(DateTimeOffset Timestamp, NodeLogLevel Level, string Source, string Message)
{
    /// <summary>The line in lightningd's format, without the timestamp: <c>INFO    plugin-x: text</c>.</summary>
    public override string ToString() => $"{LevelText(Level),-7} {Source}: {Message}";

    internal static string LevelText(NodeLogLevel level) => level switch
    {
        NodeLogLevel.Trace => "TRACE",
        NodeLogLevel.Debug => "DEBUG",
        NodeLogLevel.Info => "INFO",
        NodeLogLevel.Unusual => "UNUSUAL",
        _ => "**BROKEN**",
    };
}

/// <summary>Which way a transcript record went.</summary>
public enum TranscriptDirection
{
    /// <summary>lightningd to the plugin (its stdin).</summary>
    In,

    /// <summary>The plugin to lightningd (its stdout).</summary>
    Out,
}

/// <summary>
/// One write by the simulator to a plugin's stdin, or one read from its stdout: the same shape as the
/// recordings in <c>tests/Fixtures/cln-v26.06.6</c>.
/// </summary>
/// <param name="Direction">Which way the bytes went.</param>
/// <param name="Raw">The exact bytes.</param>
public sealed record TranscriptRecord(TranscriptDirection Direction, byte[] Raw)
{
    /// <summary>The bytes as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Raw);
}
