namespace Cln.ProtocolExtensions.TestSupport;

/// <summary>
/// The random seed of one test run. The random and mutation tests run their fixed corpus (the same inputs
/// every run) and then inputs from this seed, which differs from run to run so that each run explores new
/// inputs. A failure in the varying part names the seed; <c>CLNX_TEST_SEED=&lt;seed&gt;</c> replays it.
/// </summary>
internal static class TestSeed
{
    /// <summary>The environment variable that fixes the run's seed (to replay a failure).</summary>
    public const string Variable = "CLNX_TEST_SEED";

    /// <summary>This run's seed: <see cref="Variable"/> when set, else a fresh one.</summary>
    public static int Value { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(Variable), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int seed)
            ? seed
            : Random.Shared.Next();

    /// <summary>
    /// A generator for one test's varying inputs: the run's seed mixed with <paramref name="key"/> (a constant
    /// of the test, so tests do not share one stream). Deterministic for a given run seed and key.
    /// </summary>
    public static Random For(int key) => new(unchecked((Value * 486187739) ^ (key * 16777619)));

    /// <summary>Runs <paramref name="body"/> with <see cref="For"/>(<paramref name="key"/>); a failure names the seed to replay.</summary>
    public static void Run(int key, Action<Random> body)
    {
        try
        {
            body(For(key));
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"Failed with the run's random inputs; replay with {Variable}={Value}.{Environment.NewLine}{e.Message}", e);
        }
    }

    /// <summary>The asynchronous form of <see cref="Run"/>.</summary>
    public static async Task RunAsync(int key, Func<Random, Task> body)
    {
        try
        {
            await body(For(key)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"Failed with the run's random inputs; replay with {Variable}={Value}.{Environment.NewLine}{e.Message}", e);
        }
    }
}
