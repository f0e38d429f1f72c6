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
public partial record Pong(ulong Id, [LengthPrefixed] string Text);
