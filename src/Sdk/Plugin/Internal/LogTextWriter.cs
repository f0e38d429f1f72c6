using System.Text;

namespace Cln.ProtocolExtensions.Plugin.Internal;

/// <summary>
/// Replaces <see cref="Console.Out"/> in a real plugin process: stdout belongs to the protocol, so
/// whatever code writes to the console goes to lightningd's log instead, one line per notification.
/// </summary>
internal sealed class LogTextWriter(ProtocolWriter writer) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                FlushLine();
            }
            else if (value != '\r')
            {
                _line.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_line)
        {
            foreach (var c in value)
            {
                if (c == '\n')
                {
                    FlushLine();
                }
                else if (c != '\r')
                {
                    _line.Append(c);
                }
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_line)
        {
            Write(value);
            FlushLine();
        }
    }

    public override void Flush()
    {
        lock (_line)
        {
            if (_line.Length > 0)
            {
                FlushLine();
            }
        }
    }

    private void FlushLine()
    {
        var text = _line.ToString();
        _line.Clear();
        if (text.Length > 0)
        {
            writer.WriteLog("info", text);
        }
    }
}
