using System.Text;
using System.Text.Json;
using Cln.ProtocolExtensions.Testing.Internal;

namespace Cln.ProtocolExtensions.Testing;

/// <summary><c>datastore</c>, <c>listdatastore</c> and <c>deldatastore</c> over the node's own store (lightningd/datastore.c).</summary>
public sealed partial class SimulatedNode
{
    private const int DatastoreDelDoesNotExist = 1200;
    private const int DatastoreDelWrongGeneration = 1201;
    private const int DatastoreUpdateAlreadyExists = 1202;
    private const int DatastoreUpdateDoesNotExist = 1203;
    private const int DatastoreUpdateWrongGeneration = 1204;
    private const int DatastoreUpdateHasChildren = 1205;
    private const int DatastoreUpdateNoChildren = 1206;

    [Flags]
    private enum DatastoreMode
    {
        CreateOrReplace = 0,
        MustExist = 1,
        MustNotExist = 2,
        Append = 4,
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Datastore _datastore = new();

    /// <summary><c>json_datastore</c>: the five modes, generations, and the rule that no key is both a value and a parent.</summary>
    private byte[] DatastorePut(string rawId, JsonElement p)
    {
        string[]? key = null;
        string? text = null;
        byte[]? data = null;
        var mode = DatastoreMode.MustNotExist;
        ulong? generation = null;
        var error = ParseParams(rawId, p,
            new ParamSpec("key", true, t => ParseKey(rawId, t, out key)),
            new ParamSpec("string", false, t =>
            {
                text = t.ValueKind == JsonValueKind.String ? Unescape(RawToken(t)) : null;
                return text is null ? BadParam(rawId, "string", t, "should be a string (without \\u)") : null;
            }),
            new ParamSpec("hex", false, t => { data = HexOrNull(t); return null; }),
            new ParamSpec("mode", false, t => ParseMode(rawId, t, out mode)),
            new ParamSpec("generation", false, t => ParseU64(rawId, "generation", t, out generation)));
        if (error is not null)
            return error;

        if (!TryHexOrString(rawId, ref data, text, out var dataError))
            return dataError;

        if (generation is not null && (mode & DatastoreMode.MustExist) == 0)
            return LightningdJson.Error(rawId, InvalidParams, "generation only valid with must-replace or must-append");

        DatastoreEntry stored;
        lock (_datastore.Gate)
        {
            // The first record at or after the key: the key itself, or one of its children.
            var first = _datastore.From(key).FirstOrDefault();
            DatastoreEntry? previous = null;
            if (first is not null)
            {
                if (first.Key.AsSpan().SequenceEqual(key))
                    previous = first;
                else if (Datastore.StartsWith(first.Key, key!))
                    return LightningdJson.Error(rawId, DatastoreUpdateHasChildren, "Key has children already");
            }

            if (previous is null)
            {
                for (int i = 1; i < key!.Length; i++)
                {
                    if (_datastore.Get(key[..i]) is not null)
                        return LightningdJson.Error(rawId, DatastoreUpdateNoChildren, $"Parent key {Datastore.Format(key[..i])} exists");
                }
            }

            if ((mode & DatastoreMode.MustNotExist) != 0 && previous is not null)
                return LightningdJson.Error(rawId, DatastoreUpdateAlreadyExists, "Key already exists");
            if ((mode & DatastoreMode.MustExist) != 0 && previous is null)
                return LightningdJson.Error(rawId, DatastoreUpdateDoesNotExist, "Key does not exist");
            if (generation is not null && previous!.Generation != generation)
                return LightningdJson.Error(rawId, DatastoreUpdateWrongGeneration, "generation is different");

            if ((mode & DatastoreMode.Append) != 0 && previous is not null)
                data = [.. previous.Data, .. data];
            stored = previous is null ? new DatastoreEntry(key!, data, 0) : new DatastoreEntry(key!, data, previous.Generation + 1);
            _datastore.Put(stored);
        }

        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            WriteDatastoreEntry(w, stored.Key, stored);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>json_listdatastore</c>: the records under the key (all when absent); deeper descendants are
    /// summarised by one entry with the key one level below, and no value.
    /// </summary>
    private byte[] DatastoreList(string rawId, JsonElement p)
    {
        string[]? key = null;
        if (ParseParams(rawId, p, new ParamSpec("key", false, t => ParseKey(rawId, t, out key))) is { } error)
            return error;

        List<DatastoreEntry> entries;
        lock (_datastore.Gate)
            entries = _datastore.From(key).ToList();

        int depth = key?.Length ?? 0;
        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("datastore");
            string[]? summarised = null;
            foreach (var entry in entries)
            {
                if (entry.Key.Length > depth + 1)
                {
                    if (summarised is null || !Datastore.StartsWith(entry.Key, summarised))
                    {
                        summarised = entry.Key[..(depth + 1)];
                        w.WriteStartObject();
                        WriteDatastoreEntry(w, summarised, null);
                        w.WriteEndObject();
                    }
                }
                else
                {
                    w.WriteStartObject();
                    WriteDatastoreEntry(w, entry.Key, entry);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary><c>json_deldatastore</c>: removes one record and answers with what it held.</summary>
    private byte[] DatastoreDelete(string rawId, JsonElement p)
    {
        string[]? key = null;
        ulong? generation = null;
        var error = ParseParams(rawId, p,
            new ParamSpec("key", true, t => ParseKey(rawId, t, out key)),
            new ParamSpec("generation", false, t => ParseU64(rawId, "generation", t, out generation)));
        if (error is not null)
            return error;

        DatastoreEntry? removed;
        lock (_datastore.Gate)
        {
            removed = _datastore.Get(key!);
            if (removed is null)
                return LightningdJson.Error(rawId, DatastoreDelDoesNotExist, "Key does not exist");
            if (generation is not null && removed.Generation != generation)
                return LightningdJson.Error(rawId, DatastoreDelWrongGeneration, "generation is different");
            _datastore.Remove(key!);
        }

        return LightningdJson.Result(rawId, w =>
        {
            w.WriteStartObject();
            WriteDatastoreEntry(w, removed.Key, removed);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>param_list_or_string</c>: a non-empty array of strings or other scalars, or one scalar; each
    /// part is the token's text as written (<c>json_strdup</c>: escapes are not resolved).
    /// </summary>
    private byte[]? ParseKey(string rawId, JsonElement token, out string[]? key)
    {
        key = null;
        if (token.ValueKind == JsonValueKind.Array)
        {
            if (token.GetArrayLength() == 0)
                return BadParam(rawId, "key", token, "should not be empty");
            var parts = new string[token.GetArrayLength()];
            int i = 0;
            foreach (var part in token.EnumerateArray())
            {
                if (part.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    return BadParam(rawId, "key", part, "should be string");
                parts[i++] = RawToken(part);
            }
            key = parts;
            return null;
        }
        if (token.ValueKind == JsonValueKind.Object)
            return BadParam(rawId, "key", token, "should be string or array");
        key = [RawToken(token)];
        return null;
    }

    private byte[]? ParseMode(string rawId, JsonElement token, out DatastoreMode mode)
    {
        DatastoreMode? parsed = RawToken(token) switch
        {
            "must-create" => DatastoreMode.MustNotExist,
            "must-replace" => DatastoreMode.MustExist,
            "create-or-replace" => DatastoreMode.CreateOrReplace,
            "must-append" => DatastoreMode.MustExist | DatastoreMode.Append,
            "create-or-append" => DatastoreMode.Append,
            _ => null,
        };
        mode = parsed ?? DatastoreMode.MustNotExist;
        return parsed is null
            ? BadParam(rawId, "mode", token, "should be 'must-create', 'must-replace', 'create-or-replace', 'must-append', or 'create-or-append'")
            : null;
    }

    /// <summary>
    /// <c>json_add_datastore</c>: the key; with a value, its generation, its hex and, when the bytes are
    /// UTF-8 without NUL (<c>utf8_str</c>), its text.
    /// </summary>
    private static void WriteDatastoreEntry(Utf8JsonWriter w, string[] key, DatastoreEntry? value)
    {
        w.WriteStartArray("key");
        foreach (var part in key)
            w.WriteStringValue(part);
        w.WriteEndArray();
        if (value is null)
            return;
        w.WriteNumber("generation", value.Generation);
        w.WriteString("hex", Convert.ToHexStringLower(value.Data));
        if (Array.IndexOf(value.Data, (byte)0) < 0 && TryUtf8(value.Data) is { } text)
            w.WriteString("string", text);
    }

    private static string? TryUtf8(byte[] data)
    {
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
