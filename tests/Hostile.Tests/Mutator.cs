namespace Cln.ProtocolExtensions.Hostile.Tests;

/// <summary>
/// Makes hostile inputs from valid ones, the way a mutational fuzzer does: bit flips, interesting
/// bytes (0x00, 0xff and the bigsize markers 0xfd..0xff), inserted, deleted and duplicated runs,
/// truncation, random tails, splices of two seeds, and wholly random bytes behind a valid type.
/// Deterministic for a given <see cref="Random"/>.
/// </summary>
public static class Mutator
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff];

    /// <summary>One hostile input derived from <paramref name="seeds"/>.</summary>
    public static byte[] Next(Random random, IReadOnlyList<byte[]> seeds)
    {
        byte[] seed = seeds[random.Next(seeds.Count)];
        int choice = random.Next(10);
        if (choice == 0)
        {
            // Random bytes after the seed's type prefix (the decoders reject other types at once).
            byte[] r = new byte[random.Next(0, 2 * seed.Length + 16)];
            random.NextBytes(r);
            if (r.Length >= 2 && seed.Length >= 2)
            {
                r[0] = seed[0];
                r[1] = seed[1];
            }

            return r;
        }

        var bytes = new List<byte>(seed);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations; m++)
        {
            Mutate(random, bytes, seeds);
        }

        return [.. bytes];
    }

    private static void Mutate(Random random, List<byte> b, IReadOnlyList<byte[]> seeds)
    {
        // Keep the type prefix most of the time so the mutation reaches the body.
        int from = b.Count > 2 && random.Next(8) != 0 ? 2 : 0;
        int Pos() => from + random.Next(Math.Max(1, b.Count - from));
        switch (random.Next(9))
        {
            case 0 when b.Count > from:
                b[Pos()] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when b.Count > from:
                b[Pos()] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2:
                b.Insert(Math.Min(Pos(), b.Count), (byte)random.Next(256));
                break;
            case 3 when b.Count > from:
                b.RemoveRange(Pos(), 1);
                break;
            case 4 when b.Count > from:
                {
                    int at = Pos();
                    b.RemoveRange(at, random.Next(b.Count - at + 1));
                    break;
                }

            case 5:
                {
                    byte[] tail = new byte[random.Next(1, 40)];
                    random.NextBytes(tail);
                    b.AddRange(tail);
                    break;
                }

            case 6 when b.Count > from:
                {
                    int at = Pos();
                    int len = Math.Min(random.Next(1, 16), b.Count - at);
                    b.InsertRange(at, b.GetRange(at, len));
                    break;
                }

            case 7:
                {
                    byte[] other = seeds[random.Next(seeds.Count)];
                    int cut = Math.Min(Pos(), b.Count);
                    int otherCut = random.Next(other.Length + 1);
                    b.RemoveRange(cut, b.Count - cut);
                    b.AddRange(other.AsSpan(otherCut).ToArray());
                    break;
                }

            case 8 when b.Count > from + 1:
                {
                    // A plausible length or count: overwrite two bytes with a small or huge big-endian value.
                    int at = Math.Min(Pos(), b.Count - 2);
                    ushort v = random.Next(3) switch { 0 => (ushort)random.Next(4), 1 => (ushort)random.Next(256), _ => ushort.MaxValue };
                    b[at] = (byte)(v >> 8);
                    b[at + 1] = (byte)v;
                    break;
                }

            default:
                b.Add((byte)random.Next(256));
                break;
        }
    }
}
