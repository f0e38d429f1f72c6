using System.Collections.Generic;

namespace Cln.ProtocolExtensions.Generators.Messages;

/// <summary>
/// How the emitter writes one message or subtype, decided from the model before any text is written:
/// which fields form the leading fixed-size head, which write and read paths exist, and how each TLV
/// record is sized, written and read. <see cref="MessageEmitter"/> only turns it into text.
/// </summary>
/// <remarks>Built during emission from a <see cref="MessageSpec"/> (never a pipeline value), so it needs no equality.</remarks>
/// <param name="Spec">The model.</param>
/// <param name="Owner">The type's name as exceptions name it (containing types included).</param>
/// <param name="HeadEnd">Fields [0, <see cref="HeadEnd"/>) are fixed-size run fields stored and loaded unchecked.</param>
/// <param name="HeadSize">The type prefix (2 bytes) plus the head fields.</param>
/// <param name="HeadFieldSizes">The head fields' sizes as the content of a UTF-8 literal, for error rebuilding.</param>
/// <param name="ConstantLength">The sizes of all fixed-size fields, folded into one constant (without the type prefix).</param>
/// <param name="FastWrite">
/// Every field is in the head and every declared TLV record has a direct encoding: a message without kept
/// records is written from one snapshot of each value, the rest by a second method.
/// </param>
/// <param name="Tail">What the full write path writes after the head.</param>
/// <param name="ExactRead">Every field is in the head: a message of exactly the head's length is decoded by unchecked loads, the rest by a second method.</param>
/// <param name="ReadsFieldsWithReader">The full read path needs a <c>WireReader</c> (fields after the head, or an end check).</param>
/// <param name="Segments">The fields in write order, as runs of fixed-size fields (one bounds check each) and single fields.</param>
/// <param name="Tlvs">The declared TLV records in type order.</param>
/// <param name="DeclaredTlvTypes">The declared TLV types as a <c>ulong</c> array expression, or <c>default</c>.</param>
internal sealed record MessagePlan(
    MessageSpec Spec,
    string Owner,
    int HeadEnd,
    int HeadSize,
    string HeadFieldSizes,
    int ConstantLength,
    bool FastWrite,
    TailWrite Tail,
    bool ExactRead,
    bool ReadsFieldsWithReader,
    IReadOnlyList<FieldSegment> Segments,
    IReadOnlyList<TlvPlan> Tlvs,
    string DeclaredTlvTypes);

/// <summary>What the full write path writes after the head.</summary>
internal enum TailWrite
{
    /// <summary>Nothing: every field is in the head and the message has no TLV extension.</summary>
    Nothing,

    /// <summary>Only kept unknown records (every field is in the head, no declared record).</summary>
    KeptRecordsOnly,

    /// <summary>The fields after the head and the TLV extension, through a checked writer.</summary>
    Writer,
}

/// <summary>Fields [<paramref name="Start"/>, <paramref name="End"/>) of the model, written together.</summary>
/// <param name="Start">The first field.</param>
/// <param name="End">One past the last field.</param>
/// <param name="IsRun">A run of fixed-size fields (one bounds check, unchecked stores); otherwise one field of another kind.</param>
/// <param name="Size">The run's size in bytes; -1 for a single variable field.</param>
internal sealed record FieldSegment(int Start, int End, bool IsRun, int Size);

/// <summary>How one declared TLV record is sized, written and read.</summary>
/// <param name="Tlv">The record's model.</param>
/// <param name="TypeLength">The length of its type as a <c>bigsize</c>.</param>
/// <param name="FixedSize">The value's size when it does not depend on the value, else -1.</param>
/// <param name="Length">How the encoded length counts the record.</param>
/// <param name="Write">How the record is written through the writer.</param>
/// <param name="Read">How its value is decoded from the record's bytes.</param>
/// <param name="TruncatedMax">For <see cref="TlvRead.Truncated"/>: the integer's most bytes.</param>
/// <param name="ReaderConsumesAll">For <see cref="TlvRead.Reader"/>: reading takes every byte left, so no end check follows.</param>
internal sealed record TlvPlan(
    TlvSpec Tlv,
    int TypeLength,
    int FixedSize,
    TlvLength Length,
    TlvWrite Write,
    TlvRead Read,
    int TruncatedMax,
    bool ReaderConsumesAll)
{
    /// <summary>The record's value can be written from one snapshot by unchecked stores (the fast write path).</summary>
    public bool IsDirect => Write == TlvWrite.Direct;
}

/// <summary>How the encoded length counts a present TLV record.</summary>
internal enum TlvLength
{
    /// <summary>A constant: type, one-byte length and a fixed-size value.</summary>
    Constant,

    /// <summary>A value of at most 9 bytes (truncated integer, bigsize): its length takes one byte.</summary>
    Small,

    /// <summary>The value is measured first, then its length's own size added.</summary>
    Measured,
}

/// <summary>How a present TLV record is written through the writer.</summary>
internal enum TlvWrite
{
    /// <summary>Header and value reserved together, the value stored unchecked.</summary>
    Direct,

    /// <summary>A header of a constant length, then the value through the writer.</summary>
    ConstantHeader,

    /// <summary>The value measured, the header written, then the value through the writer.</summary>
    MeasuredHeader,
}

/// <summary>How a declared TLV record's value is decoded from its span.</summary>
internal enum TlvRead
{
    /// <summary>A truncated integer, read without a reader.</summary>
    Truncated,

    /// <summary>One fixed-size run value, one length check then an unchecked load.</summary>
    Run,

    /// <summary>A subtype of fixed-size fields, one length check then unchecked loads.</summary>
    FixedLayout,

    /// <summary>Bytes to the end of the record: a copy.</summary>
    RestBytes,

    /// <summary>Anything else: through a reader bounded to the value.</summary>
    Reader,
}

/// <summary>
/// The names of the generated code's fixed locals, shared by the emitter's helpers (locals that need to be
/// unique within a file are numbered by the emitter instead).
/// </summary>
internal static class MessageLocals
{
    /// <summary>The length computed by the fast write path.</summary>
    public const string FastLength = "__length";

    /// <summary>The destination's first byte, in the fast write path.</summary>
    public const string FastDestination = "__f";

    /// <summary>The running offset of the fast write path.</summary>
    public const string FastOffset = "__o";

    /// <summary>The destination's first byte, in the full write path.</summary>
    public const string Destination = "__d";

    /// <summary>The message's first byte, in the exact read path.</summary>
    public const string ExactSource = "__s";

    /// <summary>The message's first byte, where the head is loaded in the full read path.</summary>
    public const string Head = "__h";

    /// <summary>The TLV stream being decoded.</summary>
    public const string Stream = "__stream";

    /// <summary>The offset of <see cref="Stream"/> in the message.</summary>
    public const string StreamOffset = "__streamOffset";

    /// <summary>The position in <see cref="Stream"/>.</summary>
    public const string Position = "__p";

    /// <summary>The type of the last record read.</summary>
    public const string LastType = "__last";

    /// <summary>The current record's type.</summary>
    public const string TlvType = "tlvType";

    /// <summary>The current record's value.</summary>
    public const string TlvBytes = "tlvBytes";

    /// <summary>A reader bounded to <see cref="TlvBytes"/>.</summary>
    public const string TlvValue = "tlvValue";

    /// <summary>A fixed-layout TLV value's first byte.</summary>
    public const string TlvValueStart = "__vs";

    /// <summary>The unknown records kept while decoding.</summary>
    public const string Unknown = "unknown";

    /// <summary>The index of the next kept record to write.</summary>
    public const string NextUnknown = "nextUnknown";

    /// <summary>The field that holds the kept records.</summary>
    public const string UnknownField = "__unknownTlvs";

    /// <summary>
    /// The offset in the message of the current TLV value, <see cref="TlvBytes"/>: computed where an error
    /// or a reader needs it, so the decoding loop does not keep it live.
    /// </summary>
    public const string TlvOffset = StreamOffset + " + " + Position + " - " + TlvBytes + ".Length";
}
