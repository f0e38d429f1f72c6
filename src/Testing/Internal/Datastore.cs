using System.Text;

namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>One datastore record: its key parts, its bytes and its generation.</summary>
internal sealed record DatastoreEntry(string[] Key, byte[] Data, ulong Generation);

/// <summary>
/// A node's datastore as lightningd's wallet keeps it (wallet/datastore.c): one table keyed by the key
/// parts joined with NUL bytes, read in the order of those bytes (SQLite compares blobs with memcmp,
/// then by length), so a key's children follow it directly.
/// </summary>
internal sealed class Datastore
{
    private readonly SortedList<byte[], DatastoreEntry> _rows = new(BlobComparer.Instance);

    /// <summary>Serialises every read-modify-write of one command.</summary>
    public object Gate { get; } = new();

    /// <summary><c>db_datastore_get</c>: the record with exactly this key.</summary>
    public DatastoreEntry? Get(string[] key) => _rows.TryGetValue(Join(key), out var entry) ? entry : null;

    /// <summary>
    /// <c>db_datastore_first</c>/<c>next</c>: every record from <paramref name="startKey"/> on, in key
    /// order, while its key starts with <paramref name="startKey"/>; every record when null.
    /// </summary>
    public IEnumerable<DatastoreEntry> From(string[]? startKey)
    {
        int i = 0;
        if (startKey is not null)
        {
            byte[] start = Join(startKey);
            while (i < _rows.Count && BlobComparer.Instance.Compare(_rows.Keys[i], start) < 0)
                i++;
        }
        for (; i < _rows.Count; i++)
        {
            var entry = _rows.Values[i];
            if (startKey is not null && !StartsWith(entry.Key, startKey))
                yield break;
            yield return entry;
        }
    }

    /// <summary><c>db_datastore_create</c> (generation 0) or <c>db_datastore_update</c> (generation + 1).</summary>
    public void Put(DatastoreEntry entry) => _rows[Join(entry.Key)] = entry;

    /// <summary><c>db_datastore_remove</c>.</summary>
    public void Remove(string[] key) => _rows.Remove(Join(key));

    /// <summary><c>datastore_key_startswith</c>: does <paramref name="key"/> match <paramref name="prefix"/> as far as it goes?</summary>
    public static bool StartsWith(string[] key, string[] prefix) =>
        prefix.Length <= key.Length && key.AsSpan(0, prefix.Length).SequenceEqual(prefix);

    /// <summary><c>datastore_key_fmt</c>: <c>[a,b,c]</c>.</summary>
    public static string Format(string[] key) => "[" + string.Join(',', key) + "]";

    private static byte[] Join(string[] key) => Encoding.UTF8.GetBytes(string.Join('\0', key));

    private sealed class BlobComparer : IComparer<byte[]>
    {
        public static readonly BlobComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
