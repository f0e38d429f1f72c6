using Cln.ProtocolExtensions;

namespace PingPong;

/// <summary>
/// Asks the peer to answer with a <see cref="Pong"/> carrying the same <see cref="Id"/>. Odd type: a
/// peer without this plugin ignores it ("it's ok to be odd").
/// </summary>
/// <param name="Id">Chosen at random by the sender; the pong echoes it so the sender can match them.</param>
/// <param name="Text">A short text the pong answers.</param>
[CustomMessage(48879)]
public partial record Ping(ulong Id, [LengthPrefixed] string Text);

/// <summary>
/// The answer to a <see cref="Ping"/>. An even type, to show how: a node only accepts an even type
/// that one of its plugins announced, and this plugin announces it because it handles it.
/// </summary>
/// <param name="Id">The <see cref="Ping.Id"/> being answered.</param>
/// <param name="Text">The answer.</param>
[CustomMessage(48880, AllowEven = true)]
public partial record Pong(ulong Id, [LengthPrefixed] string Text)
{
    /// <summary>
    /// The answering node's signature of <see cref="SignedText(ulong, string)"/>, as lightningd's
    /// <c>signmessage</c> writes it (zbase32 text, ASCII). An odd TLV record: a peer that does not know
    /// it still reads the pong.
    /// </summary>
    [Tlv(1)]
    public byte[]? Signature { get; init; }

    /// <summary>
    /// What the answering node signs: the ping's id and the pong's text, so a signature made for one
    /// pong cannot be replayed as the answer to another ping.
    /// </summary>
    /// <param name="id">The ping's id.</param>
    /// <param name="text">The pong's text.</param>
    public static string SignedText(ulong id, string text) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"pingpong pong {id:x16} {text}");
}
