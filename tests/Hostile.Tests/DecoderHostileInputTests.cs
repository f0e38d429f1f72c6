using Cln.ProtocolExtensions.Wire;

namespace Cln.ProtocolExtensions.Hostile.Tests;

/// <summary>
/// 100,000 random and mutated inputs per decoder (a fixed corpus), then 20,000 from the run's seed
/// (<see cref="TestSeed"/>): TryRead never throws, Read throws nothing but
/// <see cref="WireFormatException"/>, an error carries a kind and an offset inside the input, and
/// every input that does decode re-encodes to exactly the same bytes (canonical decoding).
/// </summary>
public class DecoderHostileInputTests
{
    private const int Inputs = 100_000;

    [Theory]
    [MemberData(nameof(CodecPropertyTests.Names), MemberType = typeof(CodecPropertyTests))]
    public void Random_and_mutated_inputs_fail_only_with_the_codec_error(string name)
    {
        MessageCase c = MessageCases.Get(name);
        Check(name, c, new Random(7919 * c.Type), Inputs); // the fixed corpus, the same every run
        TestSeed.Run(7919 * c.Type, random => Check(name, c, random, Inputs / 5)); // this run's own inputs
    }

    private static void Check(string name, MessageCase c, Random random, int inputs)
    {
        var seeds = Enumerable.Range(0, 64).Select(_ => CodecPropertyTests.Encode(c.Sample(random))).ToList();
        int decoded = 0, failed = 0;
        for (int i = 0; i < inputs; i++)
        {
            byte[] input = Mutator.Next(random, seeds);
            bool ok;
            ICustomMessage? value;
            WireError error;
            try
            {
                ok = c.TryRead(input, out value, out error);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{name}.TryRead threw {ex.GetType().Name} ({ex.Message}) for {Convert.ToHexString(input)}");
                return;
            }

            if (ok)
            {
                decoded++;
                byte[] again = CodecPropertyTests.Encode(value!);
                Assert.True(input.AsSpan().SequenceEqual(again), $"{name}: {Convert.ToHexString(input)} decoded but re-encodes to {Convert.ToHexString(again)}");
                if (decoded % 8 == 0 && seeds.Count < 512)
                {
                    // Valid mutants become seeds, as in a coverage-less mutational fuzzer.
                    seeds.Add(input);
                }
            }
            else
            {
                failed++;
                Assert.NotEqual(WireErrorKind.None, error.Kind);
                Assert.InRange(error.Offset, 0, input.Length);
            }

            if (i % 20 == 0)
            {
                // The throwing reader on a sample of the same inputs.
                try
                {
                    c.Read(input);
                    Assert.True(ok, $"{name}.Read accepted what TryRead refused: {Convert.ToHexString(input)}");
                }
                catch (WireFormatException ex)
                {
                    Assert.False(ok);
                    Assert.Equal(error.Kind, ex.Kind);
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{name}.Read threw {ex.GetType().Name} ({ex.Message}) for {Convert.ToHexString(input)}");
                }
            }
        }

        // Both outcomes must occur, or the mutator is not exercising this decoder.
        Assert.True(failed > 0, $"{name}: no input failed");
        Assert.True(decoded > 0 || name is "Empty", $"{name}: no mutated input decoded");
    }
}
