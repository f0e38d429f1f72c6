using Cln.ProtocolExtensions.Rpc.Json;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Cln.ProtocolExtensions.Rpc;

/// <summary>
/// StreamJsonRpc's System.Text.Json formatter, with requests escaped as lightningd escapes JSON
/// (<see cref="ClnJson"/>). The base class writes through a <c>Utf8JsonWriter</c> of its own with
/// the default encoder, whatever its serializer options say (<c>it\u0027s h\u00E9llo</c>), so each
/// message it serializes is re-encoded on the way out; a message without a backslash (a
/// <c>sendcustommsg</c>: hex and a node id) is copied as is.
/// </summary>
[RequiresUnreferencedCode("StreamJsonRpc's SystemTextJsonFormatter is not trim-safe; the client resolves every type through RpcJsonContext.")]
[RequiresDynamicCode("StreamJsonRpc's SystemTextJsonFormatter is not AOT-safe; the client resolves every type through RpcJsonContext.")]
internal sealed class LightningdJsonFormatter : SystemTextJsonFormatter, IJsonRpcMessageFormatter
{
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly Lock _lock = new();

    /// <summary>Serializes <paramref name="message"/> with the base class, then re-encodes its strings.</summary>
    void IJsonRpcMessageFormatter.Serialize(IBufferWriter<byte> bufferWriter, JsonRpcMessage message)
    {
        // StreamJsonRpc serializes one message at a time per connection; the lock only makes that explicit.
        lock (_lock)
        {
            _scratch.ResetWrittenCount();
            Serialize(_scratch, message);
            ClnJson.Reencode(_scratch.WrittenSpan, bufferWriter);
        }
    }
}
