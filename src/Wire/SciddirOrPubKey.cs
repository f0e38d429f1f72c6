using System.Diagnostics.CodeAnalysis;
using NBitcoin;

namespace Cln.ProtocolExtensions.Wire;

/// <summary>
/// A BOLT #1 <c>sciddir_or_pubkey</c>: either a node id (a 33-byte compressed point) or a
/// short channel id with a direction byte (0 = the channel's <c>node_id_1</c>, 1 = <c>node_id_2</c>),
/// 9 bytes. The first byte tells them apart: 0 or 1 for the short channel id form, 2 or 3 for a point.
/// </summary>
public readonly struct SciddirOrPubKey : IEquatable<SciddirOrPubKey>
{
    private readonly PubKey? _pubKey;
    private readonly ShortChannelId _shortChannelId;
    private readonly byte _direction;

    private SciddirOrPubKey(PubKey? pubKey, ShortChannelId shortChannelId, byte direction)
    {
        _pubKey = pubKey;
        _shortChannelId = shortChannelId;
        _direction = direction;
    }

    /// <summary>Creates the node id form.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pubKey"/> is null.</exception>
    public static SciddirOrPubKey FromPubKey(PubKey pubKey)
    {
        ArgumentNullException.ThrowIfNull(pubKey);
        return new(pubKey.IsCompressed ? pubKey : pubKey.Compress(), default, 0);
    }

    /// <summary>Creates the short channel id form.</summary>
    /// <param name="direction">0 for the channel's <c>node_id_1</c>, 1 for <c>node_id_2</c>.</param>
    /// <param name="shortChannelId">The channel.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not 0 or 1.</exception>
    public static SciddirOrPubKey FromShortChannelId(byte direction, ShortChannelId shortChannelId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(direction, (byte)1);
        return new(null, shortChannelId, direction);
    }

    /// <summary>Decodes the wire form (exactly 9 or 33 bytes).</summary>
    /// <exception cref="WireFormatException">The bytes are not a valid encoding.</exception>
    public SciddirOrPubKey(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        this = reader.ReadSciddirOrPubKey();
        reader.EnsureEnd();
    }

    /// <summary>Whether this is the node id form.</summary>
    [MemberNotNullWhen(true, nameof(PubKey))]
    public bool IsPubKey => _pubKey is not null;

    /// <summary>The node id, or <see langword="null"/> for the short channel id form.</summary>
    public PubKey? PubKey => _pubKey;

    /// <summary>The channel (only meaningful when <see cref="IsPubKey"/> is false).</summary>
    public ShortChannelId ShortChannelId => _shortChannelId;

    /// <summary>The direction byte, 0 or 1 (only meaningful when <see cref="IsPubKey"/> is false).</summary>
    public byte Direction => _direction;

    /// <summary>The encoded length: 33 for a node id, 9 for a short channel id with direction.</summary>
    public int EncodedLength => _pubKey is null ? 9 : WireSize.Point;

    /// <summary>Writes the wire form.</summary>
    /// <returns>The number of bytes written, <see cref="EncodedLength"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int WriteTo(Span<byte> destination)
    {
        var writer = new SpanWireWriter(destination);
        writer.WriteSciddirOrPubKey(this);
        return writer.Written;
    }

    /// <summary>The wire form as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>The wire form in lowercase hex.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToArray());

    /// <inheritdoc />
    public bool Equals(SciddirOrPubKey other) =>
        _pubKey is null
            ? other._pubKey is null && _direction == other._direction && _shortChannelId == other._shortChannelId
            : _pubKey.Equals(other._pubKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SciddirOrPubKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() =>
        _pubKey is null ? HashCode.Combine(_direction, _shortChannelId) : _pubKey.GetHashCode();

    /// <summary>Whether two values are equal.</summary>
    public static bool operator ==(SciddirOrPubKey left, SciddirOrPubKey right) => left.Equals(right);

    /// <summary>Whether two values differ.</summary>
    public static bool operator !=(SciddirOrPubKey left, SciddirOrPubKey right) => !left.Equals(right);
}
