using Cln.ProtocolExtensions;

namespace MyPlugin;

/// <summary>
/// A greeting for a peer that runs this plugin. The source generator writes its BOLT #1 serializer;
/// the analyzer checks the type number at compile time. Odd: a peer without the plugin ignores it.
/// </summary>
/// <param name="Text">The greeting, UTF-8 with a 2-byte length prefix on the wire.</param>
[CustomMessage(32801)]
public partial record Greeting([LengthPrefixed] string Text);
