using System.Diagnostics;
using System.Globalization;
using Cln.ProtocolExtensions.Fuzz;
using SharpFuzz;

// SharpFuzz targets. Instrument Cln.ProtocolExtensions.Wire.dll (the codec), Cln.ProtocolExtensions.dll (the hook
// parser) and this assembly's message types (the generated decoders live here: `sharpfuzz Cln.ProtocolExtensions.Fuzz.dll
// Cln.ProtocolExtensions.Generated.Tests Deep.Name.Space PingPong Lsps0`, never Program), then run under AFL++
// (README.md, "Performance", has the recipe):
//   Fuzz afl decoders|hook              AFL++ persistent fork server (Fuzzer.Run), input on stdin
//   Fuzz seeds <dir>                    writes seed corpora: <dir>/decoders, <dir>/hook
//   Fuzz random decoders|hook <n> [s]   without AFL: n mutational iterations from the seeds (seed s)
//   Fuzz replay decoders|hook <path>    runs one file or every file of a folder once (crash reproduction)
// A finding is an exception that escapes a target: anything but a clean refusal, a non-canonical
// decode, a hook loop that stops answering.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: afl decoders|hook | seeds <dir> | random decoders|hook <iterations> [seed] | replay decoders|hook <path>");
    return 2;
}

Action<byte[]> Target(string name) => name switch
{
    "decoders" => DecoderTarget.Run,
    "hook" => HookTarget.Run,
    _ => throw new ArgumentException("unknown target " + name),
};

switch (args[0])
{
    case "afl":
        {
            var target = Target(args[1]);
            Fuzzer.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                target(copy.ToArray());
            });
            return 0;
        }

    case "seeds":
        Seeds.Write(args[1]);
        return 0;

    case "random":
        {
            var target = Target(args[1]);
            long iterations = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
            int seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
            var random = new Random(seed);
            var corpus = args[1] == "decoders" ? Seeds.Decoders(random) : Seeds.Hook();
            var clock = Stopwatch.StartNew();
            for (long i = 0; i < iterations; i++)
            {
                byte[] input = Cln.ProtocolExtensions.Hostile.Tests.Mutator.Next(random, corpus);
                try
                {
                    target(input);
                }
                catch (Exception ex)
                {
                    string file = Path.Combine(Path.GetTempPath(), $"fuzz-{args[1]}-crash-{i}.bin");
                    File.WriteAllBytes(file, input);
                    Console.Error.WriteLine($"FINDING at iteration {i}: {ex.GetType().Name}: {ex.Message}\n  input saved to {file}");
                    return 1;
                }

                if (i > 0 && i % 100_000 == 0)
                {
                    Console.WriteLine($"{i:N0} inputs, {i / clock.Elapsed.TotalSeconds:N0}/s, no finding");
                }
            }

            Console.WriteLine($"done: {iterations:N0} inputs in {clock.Elapsed.TotalSeconds:N1} s, no finding");
            HookTarget.Stop();
            return 0;
        }

    case "replay":
        {
            var target = Target(args[1]);
            var files = Directory.Exists(args[2]) ? Directory.GetFiles(args[2]) : [args[2]];
            foreach (string file in files)
            {
                target(File.ReadAllBytes(file));
            }

            Console.WriteLine($"replayed {files.Length} input(s), no finding");
            HookTarget.Stop();
            return 0;
        }

    default:
        Console.Error.WriteLine("unknown command " + args[0]);
        return 2;
}
