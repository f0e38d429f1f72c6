namespace Cln.ProtocolExtensions;

/// <summary>
/// Keeps a member of a <see cref="CustomMessageAttribute"/> or <see cref="WireSubtypeAttribute"/> record
/// off the wire: it is neither written nor read, and decoding leaves it at its default (a positional
/// parameter gets <see langword="default"/>, a property keeps its initializer).
/// </summary>
/// <remarks>
/// For data that belongs to the record but not to the message, such as the time it was received.
/// The generated <c>Equals</c> and <c>GetHashCode</c> compare what goes on the wire, so an ignored
/// member does not take part in them: a decoded message equals the one that was sent. <c>ToString</c>
/// still prints it, as it prints every public member.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class WireIgnoreAttribute : Attribute
{
}
