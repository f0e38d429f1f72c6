using Cln.ProtocolExtensions.Generators.Common;
using Cln.ProtocolExtensions.Generators.Messages;

namespace Cln.ProtocolExtensions.Generators.Tests;

/// <summary>MessageEmitter output from hand-built models, without Roslyn parsing.</summary>
public class EmitterTests
{
    private static WireTypeSpec Simple(WireKind kind, string clr) => new(kind, clr, false, LengthKind.None, 0, null);

    private static MessageSpec Message(string ns, FieldSpec[] fields, TlvSpec[] tlvs, params ContainingTypeSpec[] containing) => new(
        ns, "M", (ns.Length > 0 ? "global::" + ns + "." : "global::") + string.Concat(containing.Select(c => c.Name + ".")) + "M",
        "record", false, false, new EquatableArray<ContainingTypeSpec>(containing), 0x8001,
        new EquatableArray<FieldSpec>(fields), new EquatableArray<TlvSpec>(tlvs), tlvs.Length > 0, false, false, null,
        new EquatableArray<string>(fields.Where(f => f.IsParameter).Select(f => f.Name).Concat(tlvs.Where(t => t.IsParameter).Select(t => t.Name)).ToArray()),
        false);

    [Fact]
    public void Hint_names_join_namespace_containing_types_and_name()
    {
        Assert.Equal("A.B.Outer.M.g.cs", MessageEmitter.HintName(Message("A.B", [], [], new ContainingTypeSpec("class", "Outer"))));
        Assert.Equal("M.g.cs", MessageEmitter.HintName(Message(string.Empty, [], [])));
    }

    [Fact]
    public void Fields_are_read_and_written_in_declaration_order()
    {
        string source = MessageEmitter.Emit(Message("N", [
            new FieldSpec("A", Simple(WireKind.U16, "ushort"), true),
            new FieldSpec("B", Simple(WireKind.Point, "global::NBitcoin.PubKey"), true),
            new FieldSpec("C", Simple(WireKind.BigSize, "ulong"), false),
        ], []));
        Assert.True(source.IndexOf("TryReadU16", StringComparison.Ordinal) < source.IndexOf("TryReadPoint", StringComparison.Ordinal));
        Assert.True(source.IndexOf("TryReadPoint", StringComparison.Ordinal) < source.IndexOf("TryReadBigSize", StringComparison.Ordinal));
        Assert.True(source.IndexOf("WriteU16(this.A)", StringComparison.Ordinal) < source.IndexOf("WritePoint(this.B)", StringComparison.Ordinal));
        Assert.Contains("C = __f", source);
        Assert.Contains("if (!reader.TryEnsureEnd())", source);
        Assert.DoesNotContain("TlvReader", source);
        Assert.DoesNotContain("Equals(", source);
    }

    [Fact]
    public void Tlv_records_interleave_kept_records_before_each_known_type()
    {
        string source = MessageEmitter.Emit(Message("N", [], [
            new TlvSpec("X", 1, Simple(WireKind.TU64, "ulong"), false),
            new TlvSpec("Y", 65537, Simple(WireKind.U32, "uint"), false),
        ]));
        Assert.Contains("global::Cln.ProtocolExtensions.CodeGeneration.TlvRecords.ReserveTlvRecord(ref writer, this.__unknownTlvs, ref nextUnknown, 1UL, ", source);
        Assert.Contains("global::Cln.ProtocolExtensions.CodeGeneration.TlvRecords.ReserveTlvRecord(ref writer, this.__unknownTlvs, ref nextUnknown, 65537UL, 4)", source);
        Assert.Contains("WriteRemainingTlvRecords(this.__unknownTlvs, ref nextUnknown)", source);
        Assert.Contains("case 65537:", source);
        Assert.Contains("if ((tlvType & 1) == 0) return global::Cln.ProtocolExtensions.CodeGeneration.TlvRecords.UnknownEvenFailure(tlvType, tlvBytes.Length, __streamOffset + __p - tlvBytes.Length, out error);", source);
        Assert.Contains("unknown = global::Cln.ProtocolExtensions.CodeGeneration.GeneratedCodeSupport.AddUnknownRecord(unknown, tlvType, tlvBytes);", source);
        Assert.Contains("public virtual bool Equals(global::N.M? other)", source);
    }

    [Fact]
    public void Output_is_a_pure_function_of_the_model()
    {
        MessageSpec a = Message("N", [new FieldSpec("A", Simple(WireKind.U16, "ushort"), true)], []);
        MessageSpec b = Message("N", [new FieldSpec("A", Simple(WireKind.U16, "ushort"), true)], []);
        MessageSpec c = Message("N", [new FieldSpec("A", Simple(WireKind.U32, "uint"), true)], []);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        // Equal models give equal text, even with another emission in between (no state carried over);
        // a model that differs in one field's type gives different text.
        string first = MessageEmitter.Emit(a);
        string other = MessageEmitter.Emit(c);
        Assert.Equal(first, MessageEmitter.Emit(b));
        Assert.NotEqual(first, other);
        Assert.Contains("ReadU16(", first, StringComparison.Ordinal);
        Assert.Contains("ReadU32(", other, StringComparison.Ordinal);
    }
}
