using System.Text.Json;

namespace Cln.ProtocolExtensions.Tests.Wire;

/// <summary>
/// The BOLT #1 Appendix A-D vectors from tests/Fixtures/bolt1-vectors.json (transcribed from
/// lightning/bolts 01-messaging.md; checked against the spec text).
/// </summary>
internal static class Bolt1Vectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bolt1-vectors.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> BigSizeDecoding => Root.GetProperty("bigsize").GetProperty("decoding").EnumerateArray();

    public static IEnumerable<JsonElement> BigSizeEncoding => Root.GetProperty("bigsize").GetProperty("encoding").EnumerateArray();

    public static IEnumerable<JsonElement> Tlv => Root.GetProperty("tlv").GetProperty("vectors").EnumerateArray();

    public static IEnumerable<JsonElement> InitExtension => Root.GetProperty("message_extension_init").GetProperty("vectors").EnumerateArray();

    public static IEnumerable<JsonElement> SignedIntegers => Root.GetProperty("signed_integers").EnumerateArray();

    public static JsonElement TlvByName(string name) => Tlv.Single(v => v.GetProperty("name").GetString() == name);

    public static byte[] Hex(this JsonElement vector) => Convert.FromHexString(vector.GetProperty("hex").GetString()!);

    public static string Str(this JsonElement vector, string property) => vector.GetProperty(property).GetString()!;

    public static string[] Namespaces(this JsonElement vector) =>
        vector.GetProperty("applies_to_namespaces").EnumerateArray().Select(e => e.GetString()!).ToArray();
}
