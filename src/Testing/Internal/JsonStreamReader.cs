using System.Text;
using System.Text.Json;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>
/// Reads a plain concatenation of JSON objects from a stream, the way lightningd's incremental parser
/// (common/jsonrpc_io.c) reads a plugin's stdout and a lightning-rpc connection: no delimiter is needed,
/// whitespace between objects is skipped, and anything that is not JSON is an error.
/// </summary>
internal sealed class JsonStreamReader
{
    private readonly Stream _stream;
    private readonly Action<ReadOnlyMemory<byte>>? _onRead;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public JsonStreamReader(Stream stream, Action<ReadOnlyMemory<byte>>? onRead = null)
    {
        _stream = stream;
        _onRead = onRead;
    }

    /// <summary>The bytes read but not yet returned as a complete object.</summary>
    public string Pending => Encoding.UTF8.GetString(_buffer, _start, _end - _start);

    /// <summary>Returns the next complete JSON value, or <see langword="null"/> at end of stream.</summary>
    /// <exception cref="JsonFramingException">The bytes are not JSON.</exception>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = TryTake();
            if (value is not null)
                return value;

            if (_end == _buffer.Length)
            {
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                else
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
            }

            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return null;
            _onRead?.Invoke(_buffer.AsMemory(_end, read));
            _end += read;
        }
    }

    private byte[]? TryTake()
    {
        while (_start < _end && IsWhitespace(_buffer[_start]))
            _start++;
        if (_start == _end)
        {
            _start = _end = 0;
            return null;
        }

        var span = new ReadOnlySpan<byte>(_buffer, _start, _end - _start);
        if (span[0] != (byte)'{' && span[0] != (byte)'[')
            throw new JsonFramingException(Pending);
        try
        {
            var reader = new Utf8JsonReader(span, isFinalBlock: false, state: default);
            if (!reader.Read() || !reader.TrySkip())
                return null;
            int length = checked((int)reader.BytesConsumed);
            var value = span[..length].ToArray();
            _start += length;
            return value;
        }
        catch (JsonException)
        {
            throw new JsonFramingException(Pending);
        }
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';
}

/// <summary>The stream held bytes that are not JSON.</summary>
internal sealed class JsonFramingException(string buffer) : Exception("Failed to parse JSON")
{
    /// <summary>The unparsed bytes, as text.</summary>
    public string Buffer { get; } = buffer;
}
