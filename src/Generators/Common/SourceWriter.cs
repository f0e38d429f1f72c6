using System;
using System.Text;

namespace Cln.ProtocolExtensions.Generators.Common;

/// <summary>A small indenting text writer for generated C#.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return;
        }

        _builder.Append(' ', _indent * 4).Append(text).Append('\n');
    }

    /// <summary>Writes a block of lines (e.g. a raw string literal), each at the current indentation.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }
    }

    public void Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
    }

    public void OpenBrace()
    {
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    public IDisposable Block(string text)
    {
        Open(text);
        return new Closer(this);
    }

    public override string ToString() => _builder.ToString();

    private sealed class Closer : IDisposable
    {
        private readonly SourceWriter _writer;

        public Closer(SourceWriter writer) => _writer = writer;

        public void Dispose() => _writer.Close();
    }
}
