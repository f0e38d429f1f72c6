using Cln.ProtocolExtensions.Generators.Messages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Cln.ProtocolExtensions.Generators.Tests.AnalyzerTest;

namespace Cln.ProtocolExtensions.Generators.Tests;

public class DiagnosticTests
{
    [Fact]
    public Task A_valid_message_has_no_diagnostics() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort NumPongBytes, [LengthPrefixed] byte[] Ignored)
        {
            [Tlv(1)] public ulong? Nonce { get; init; }
        }

        [WireSubtype]
        public partial record struct Hop([BigSize] ulong Amount, NBitcoin.PubKey Node);

        [CustomMessage(0x8003)]
        public partial record Route([LengthPrefixed(LengthPrefix.U8)] Hop[] Hops, [RestOfMessage] string Note);
        """);

    [Fact]
    public Task CLNX1001_not_partial() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public record {|#0:Ping|}(ushort A);
        """,
        Diagnostic(DiagnosticIds.NotPartial).WithLocation(0).WithArguments("Ping"));

    [Fact]
    public Task CLNX1002_generic() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record {|#0:Ping|}<T>(ushort A);
        """,
        Diagnostic(DiagnosticIds.Generic).WithLocation(0).WithArguments("Ping<T>"));

    [Fact]
    public Task CLNX1003_not_a_record() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial class {|#0:Ping|} { }
        """,
        Diagnostic(DiagnosticIds.NotRecord).WithLocation(0).WithArguments("Ping"));

    [Fact]
    public Task CLNX1004_containing_type_not_partial() => VerifyAsync("""
        public class Outer
        {
            [CustomMessage(0x8001)]
            public partial record {|#0:Ping|}(ushort A);
        }
        """,
        Diagnostic(DiagnosticIds.ContainingTypeNotPartial).WithLocation(0).WithArguments("Outer", "Outer.Ping"));

    [Fact]
    public Task CLNX1005_derived_record() => VerifyAsync("""
        public record Base(int X);

        [CustomMessage(0x8001)]
        public partial record {|#0:Ping|}(ushort A) : Base(1);
        """,
        Diagnostic(DiagnosticIds.DerivedRecord).WithLocation(0).WithArguments("Ping", "Base"));

    [Fact]
    public Task CLNX1006_message_and_subtype() => VerifyAsync("""
        [CustomMessage(0x8001), WireSubtype]
        public partial record {|#0:Ping|}(ushort A);
        """,
        Diagnostic(DiagnosticIds.MessageAndSubtype).WithLocation(0).WithArguments("Ping"));

    [Fact]
    public Task A_bool_and_an_ignored_member_are_valid() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Flags(bool Enabled, [WireIgnore] System.DateTimeOffset Seen)
        {
            [Tlv(1)] public bool? Verbose { get; init; }

            [WireIgnore] public System.DateTimeOffset ReceivedAt { get; set; }

            [WireIgnore] public ulong? NotATlv { get; set; }
        }
        """);

    [Fact]
    public Task CLNX2001_unsupported_member_type() => VerifyAsync("""
        public class Plain { }

        [CustomMessage(0x8001)]
        public partial record Ping(ushort A, System.DateTime {|#0:When|}, Plain {|#1:Other|});
        """,
        Diagnostic(DiagnosticIds.UnsupportedMemberType).WithLocation(0).WithArguments("When", "DateTime"),
        Diagnostic(DiagnosticIds.UnsupportedMemberType).WithLocation(1).WithArguments("Other", "Plain"));

    [Fact]
    public Task CLNX2002_missing_length_rule() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(byte[] {|#0:Data|}, ushort After)
        {
            public string {|#1:Name|} { get; init; } = "";
        }
        """,
        Diagnostic(DiagnosticIds.MissingLengthRule).WithLocation(0).WithArguments("Data"),
        Diagnostic(DiagnosticIds.MissingLengthRule).WithLocation(1).WithArguments("Name"));

    [Fact]
    public Task CLNX2003_truncated_outside_a_tlv() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping([Truncated] ulong {|#0:Amount|});

        [WireSubtype]
        public partial record Sub([Truncated] uint {|#1:First|}, byte Last);
        """,
        Diagnostic(DiagnosticIds.MisplacedTruncated).WithLocation(0).WithArguments("Amount"),
        Diagnostic(DiagnosticIds.MisplacedTruncated).WithLocation(1).WithArguments("First"));

    [Fact]
    public Task CLNX2004_duplicate_tlv_type() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort A)
        {
            [Tlv(1)] public ulong? First { get; init; }
            [{|#0:Tlv(1)|}] public uint? Second { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.DuplicateTlvType).WithLocation(0).WithArguments("Second", 1UL, "First"));

    [Fact]
    public Task CLNX2005_field_after_tlv() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort A)
        {
            [Tlv(1)] public ulong? Nonce { get; init; }
            public ushort {|#0:Late|} { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.FieldAfterTlv).WithLocation(0).WithArguments("Late", "Nonce"));

    [Fact]
    public Task CLNX2006_tlv_not_nullable() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort A)
        {
            [Tlv(1)] public ulong {|#0:Nonce|} { get; init; }
            [Tlv(3)] public byte[] {|#1:Data|} { get; init; } = [];
        }
        """,
        Diagnostic(DiagnosticIds.TlvNotNullable).WithLocation(0).WithArguments("Nonce"),
        Diagnostic(DiagnosticIds.TlvNotNullable).WithLocation(1).WithArguments("Data"));

    [Fact]
    public Task CLNX2007_rest_of_message_not_last() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping([RestOfMessage] byte[] {|#0:Data|}, ushort After);

        [CustomMessage(0x8003)]
        public partial record Pong([RestOfMessage] byte[] {|#1:Data|})
        {
            [Tlv(1)] public ulong? Nonce { get; init; }
        }

        [WireSubtype]
        public partial record Open([RestOfMessage] byte[] Tail);

        [CustomMessage(0x8005)]
        public partial record UsesOpen(Open {|#2:Value|}, ushort After);
        """,
        Diagnostic(DiagnosticIds.MisplacedRestOfMessage).WithLocation(0).WithArguments("Data"),
        Diagnostic(DiagnosticIds.MisplacedRestOfMessage).WithLocation(1).WithArguments("Data"),
        Diagnostic(DiagnosticIds.MisplacedRestOfMessage).WithLocation(2).WithArguments("Value"));

    [Fact]
    public Task CLNX2008_attribute_does_not_apply() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping([{|#0:LengthPrefixed|}] ushort A, [{|#1:BigSize|}] uint B, [LengthPrefixed, {|#2:FixedLength(3)|}] byte[] C)
        {
            [Tlv(1), {|#3:Truncated|}] public byte[]? D { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.InvalidEncodingAttribute).WithLocation(0).WithArguments("A", "LengthPrefixed", "ushort"),
        Diagnostic(DiagnosticIds.InvalidEncodingAttribute).WithLocation(1).WithArguments("B", "BigSize", "uint"),
        Diagnostic(DiagnosticIds.InvalidEncodingAttribute).WithLocation(2).WithArguments("C", "FixedLength", "byte[]"),
        Diagnostic(DiagnosticIds.InvalidEncodingAttribute).WithLocation(3).WithArguments("D", "Truncated", "byte[]"));

    [Fact]
    public Task CLNX2009_tlv_in_subtype() => VerifyAsync("""
        [WireSubtype]
        public partial record Sub(ushort A)
        {
            [Tlv(1)] public ulong? {|#0:Nonce|} { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.TlvInSubtype).WithLocation(0).WithArguments("Nonce"));

    [Fact]
    public Task CLNX2010_member_name_used_by_generated_code() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort {|#0:MessageType|}, byte Type)
        {
            public byte[] {|#1:ToArray|}() => [];
        }

        [WireSubtype]
        public partial record struct Hop(uint {|#2:GetWireLength|}, uint Read);
        """,
        Diagnostic(DiagnosticIds.ReservedMemberName).WithLocation(0).WithArguments("Ping", "MessageType"),
        Diagnostic(DiagnosticIds.ReservedMemberName).WithLocation(1).WithArguments("Ping", "ToArray"),
        Diagnostic(DiagnosticIds.ReservedMemberName).WithLocation(2).WithArguments("Hop", "GetWireLength"));

    [Fact]
    public Task CLNX2011_array_of_variable_size_elements_names_the_subtype_fix() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping([LengthPrefixed] string[] {|#0:Names|}, [LengthPrefixed(LengthPrefix.U8)] byte[][] {|#1:Blobs|})
        {
            [Tlv(1)] public string[]? {|#2:More|} { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.ArrayOfVariableSize).WithLocation(0).WithArguments("Names", "string"),
        Diagnostic(DiagnosticIds.ArrayOfVariableSize).WithLocation(1).WithArguments("Blobs", "byte[]"),
        Diagnostic(DiagnosticIds.ArrayOfVariableSize).WithLocation(2).WithArguments("More", "string"));

    [Fact]
    public Task CLNX2012_fixed_length_below_one() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping([FixedLength({|#0:-1|})] byte[] A, [FixedLength({|#1:0|})] ushort[] B, [FixedLength(1)] byte[] C);
        """,
        Diagnostic(DiagnosticIds.FixedLengthTooSmall).WithLocation(0).WithArguments("A", -1),
        Diagnostic(DiagnosticIds.FixedLengthTooSmall).WithLocation(1).WithArguments("B", 0));

    [Fact]
    public Task CLNX2013_nullable_member_that_is_not_a_tlv_record() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort A, ushort? {|#0:Maybe|})
        {
            public ulong? {|#1:Amount|} { get; init; }

            public string? {|#2:Note|} { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.NullableNotTlv).WithLocation(0).WithArguments("Maybe", "ushort?"),
        Diagnostic(DiagnosticIds.NullableNotTlv).WithLocation(1).WithArguments("Amount", "ulong?"),
        Diagnostic(DiagnosticIds.NullableNotTlv).WithLocation(2).WithArguments("Note", "string?"));

    [Fact]
    public Task CLNX2014_a_record_that_is_not_a_subtype() => VerifyAsync("""
        public record struct Plain(int X);

        public record Other(int X);

        [CustomMessage(0x8001)]
        public partial record Ping(Plain {|#0:Inner|}, [LengthPrefixed] Other[] {|#1:Others|});
        """,
        Diagnostic(DiagnosticIds.RecordNotSubtype).WithLocation(0).WithArguments("Inner", "Plain"),
        Diagnostic(DiagnosticIds.RecordNotSubtype).WithLocation(1).WithArguments("Others", "Other"));

    [Fact]
    public Task CLNX2015_ignored_member_with_a_wire_attribute() => VerifyAsync("""
        [CustomMessage(0x8001)]
        public partial record Ping(ushort A, [WireIgnore, {|#0:LengthPrefixed|}] byte[] B)
        {
            [WireIgnore, {|#1:Tlv(1)|}] public ulong? Nonce { get; init; }
        }
        """,
        Diagnostic(DiagnosticIds.IgnoredWithWireAttribute).WithLocation(0).WithArguments("B", "LengthPrefixed"),
        Diagnostic(DiagnosticIds.IgnoredWithWireAttribute).WithLocation(1).WithArguments("Nonce", "Tlv"));

    [Fact]
    public Task CLNX3001_bolt_and_cln_types() => VerifyAsync("""
        [CustomMessage({|#0:18|})]
        public partial record MyPing(ushort A);

        [CustomMessage({|#1:137|})]
        public partial record Blockheight(ushort A);

        [CustomMessage({|#2:387|})]
        public partial record OldOnion(ushort A);
        """,
        Diagnostic(DiagnosticIds.ReservedType).WithLocation(0).WithArguments("MyPing", 18, "ping", "BOLT #1"),
        Diagnostic(DiagnosticIds.ReservedType).WithLocation(1).WithArguments("Blockheight", 137, "update_blockheight", "Core Lightning"),
        Diagnostic(DiagnosticIds.ReservedType).WithLocation(2).WithArguments("OldOnion", 387, "obs2_onion_message", "Core Lightning v0.10.2-v22.08"));

    [Fact]
    public Task CLNX3002_blip_registered_type() => VerifyAsync("""
        [CustomMessage({|#0:37913|})]
        public partial record Lsps(ushort A);

        [CustomMessage(37913, ImplementsRegisteredProtocol = true)]
        public partial record RealLsps0([RestOfMessage] string Json);

        [CustomMessage({|#1:65535|})]
        public partial record Hosted(ushort A);
        """,
        Diagnostic(DiagnosticIds.BlipRegisteredType).WithLocation(0).WithArguments("Lsps", 37913, "lsps0_message_id", "bLIP-0050 LSPS0"),
        Diagnostic(DiagnosticIds.BlipRegisteredType).WithLocation(1).WithArguments("Hosted", 65535, "invoke_hosted_channel", "bLIP-0017 hosted channels"),
        Diagnostic(DiagnosticIds.DuplicateMessageType).WithLocation(0).WithArguments("Lsps", 37913, "RealLsps0"),
        Diagnostic(DiagnosticIds.DuplicateMessageType).WithSpan(6, 16, 6, 21).WithArguments("RealLsps0", 37913, "Lsps"));

    [Fact]
    public Task CLNX3003_below_custom_range() => VerifyAsync("""
        [CustomMessage({|#0:1001|})]
        public partial record Low(ushort A);
        """,
        Diagnostic(DiagnosticIds.BelowCustomRange).WithLocation(0).WithArguments("Low", 1001));

    [Fact]
    public Task CLNX3004_even_type_unless_allowed() => VerifyAsync("""
        [CustomMessage({|#0:0x8002|})]
        public partial record Even(ushort A);

        [CustomMessage(0x8004, AllowEven = true)]
        public partial record Allowed(ushort A);

        [CustomMessage({|#1:1000|})]
        public partial record LowEven(ushort A);
        """,
        Diagnostic(DiagnosticIds.EvenType).WithLocation(0).WithArguments("Even", 32770),
        Diagnostic(DiagnosticIds.BelowCustomRange).WithLocation(1).WithArguments("LowEven", 1000),
        Diagnostic(DiagnosticIds.EvenType).WithLocation(1).WithArguments("LowEven", 1000));

    [Fact]
    public Task CLNX3005_duplicate_types_across_files_and_namespaces() => VerifyAsync("""
        namespace A
        {
            [CustomMessage({|#0:0x8001|})]
            public partial record Ping(ushort X);
        }

        namespace B
        {
            [CustomMessage({|#1:32769|})]
            public partial record Ping(ushort X);

            [CustomMessage({|#2:0x8001|})]
            public partial record Third(ushort X);
        }
        """,
        Diagnostic(DiagnosticIds.DuplicateMessageType).WithLocation(0).WithArguments("A.Ping", 32769, "B.Ping, B.Third"),
        Diagnostic(DiagnosticIds.DuplicateMessageType).WithLocation(1).WithArguments("B.Ping", 32769, "A.Ping, B.Third"),
        Diagnostic(DiagnosticIds.DuplicateMessageType).WithLocation(2).WithArguments("B.Third", 32769, "A.Ping, B.Ping"));

    [Fact]
    public Task Diagnostics_are_suppressible_with_pragma() => VerifyAsync("""
        #pragma warning disable CLNX3004, CLNX3001
        [CustomMessage(0x8002)]
        public partial record Even(ushort A);

        [CustomMessage(16)]
        public partial record Init(ushort A);
        #pragma warning restore CLNX3004, CLNX3001
        """);

    [Fact]
    public Task Diagnostics_are_configurable_with_editorconfig()
    {
        var test = new AnalyzerTest("""
            [CustomMessage(0x8002)]
            public partial record Even(ushort A);

            [CustomMessage({|#0:1001|})]
            public partial record Low(ushort A);
            """,
            Diagnostic(DiagnosticIds.BelowCustomRange).WithLocation(0).WithArguments("Low", 1001));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            dotnet_diagnostic.CLNX3004.severity = none
            """));
        return test.RunAsync();
    }

    [Fact]
    public void Every_descriptor_has_a_help_link_and_a_documentation_page()
    {
        var analyzer = new MessageAnalyzer();
        string docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        string unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Equal(27, analyzer.SupportedDiagnostics.Length);
        Assert.Equal(
            typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetValue(null)!).OrderBy(s => s),
            analyzer.SupportedDiagnostics.Select(d => d.Id).OrderBy(s => s));
        foreach (DiagnosticDescriptor descriptor in analyzer.SupportedDiagnostics)
        {
            Assert.Matches("^CLNX[1239][0-9]{3}$", descriptor.Id);
            Assert.Equal($"https://github.com/cln-protocolextensions/Cln.ProtocolExtensions/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(docs, descriptor.Id + ".md")), descriptor.Id + " has no page");
            Assert.Contains(descriptor.Id + " |", unshipped);
            Assert.Contains($"[{descriptor.Id}]({descriptor.Id}.md)", File.ReadAllText(Path.Combine(docs, "README.md")));
        }
    }

    internal static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
