using Cln.ProtocolExtensions;
using Lsps0.Protocol;

namespace Lsps0;

/// <summary>
/// The one message of LSPS0 (bLIP-0050), type 37913: its whole body is a UTF-8 JSON-RPC 2.0 object,
/// checked by <see cref="Lsps0Payload"/> rather than by the wire codec.
/// </summary>
/// <param name="Payload">The JSON bytes: no length prefix, no terminator.</param>
[CustomMessage(Lsps0Constants.MessageType, ImplementsRegisteredProtocol = true)]
public partial record Lsps0Message([RestOfMessage] byte[] Payload);
