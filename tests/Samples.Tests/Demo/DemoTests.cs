using System.Diagnostics;

namespace Cln.ProtocolExtensions.Samples.Tests.Demo;

/// <summary>The demo that README.md's first command runs.</summary>
public class DemoTests
{
    [Fact]
    public async Task Demo_shows_typed_messages_both_ways_an_even_type_and_an_lsps0_call()
    {
        var start = new ProcessStartInfo(SamplePlugins.ExecutablePath("Demo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the demo did not finish within 3 minutes:\n" + await stdout);
        }

        string output = await stdout;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{output}\n{await stderr}");

        // Alice pings bob and bob pings alice: odd pings, even pongs, each decoded.
        Assert.Contains("alice → bob    48879 odd", output, StringComparison.Ordinal);
        Assert.Contains("bob   → alice  48880 even", output, StringComparison.Ordinal);
        Assert.Contains("bob   → alice  48879 odd", output, StringComparison.Ordinal);
        Assert.Contains("alice → bob    48880 even", output, StringComparison.Ordinal);
        Assert.Contains("Pong { Id = ", output, StringComparison.Ordinal);
        // The transcript is in the order the nodes received the messages: every request before its answer.
        string[] flow = output.Split('\n').Where(l => l.Contains('→', StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4))).ToArray();
        Assert.Equal(
            [
                "alice → bob 48879", "bob → alice 48880", "alice → bob 48879", "bob → alice 48880",
                "bob → alice 48879", "alice → bob 48880",
                "alice → bob 37913", "bob → alice 37913", "alice → bob 37913", "bob → alice 37913",
            ],
            flow);
        Assert.Contains("\"received\":2,\"lost\":0", output, StringComparison.Ordinal);
        // LSPS0 over 37913: list_protocols answered, an unknown method refused with -32601.
        Assert.Contains("\"result\":{\"protocols\":[1,2]}", output, StringComparison.Ordinal);
        Assert.Contains("\"code\":-32601", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await stderr);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // NO_COLOR honoured
    }
}
