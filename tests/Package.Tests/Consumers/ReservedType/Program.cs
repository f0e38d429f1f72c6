using Cln.ProtocolExtensions;

Console.WriteLine(new Ping(1));

/// <summary>Type 18 is BOLT #1's ping: lightningd handles it itself, so the analyzer refuses it.</summary>
[CustomMessage(18)]
public partial record Ping(ushort NumPongBytes);
