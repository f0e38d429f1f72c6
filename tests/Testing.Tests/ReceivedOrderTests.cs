namespace Cln.ProtocolExtensions.Testing.Tests;

/// <summary><see cref="ReceivedCustomMessage.Sequence"/> and <see cref="ReceivedCustomMessage.ReceivedAt"/>.</summary>
public class ReceivedOrderTests
{
    /// <summary>A clock that shows whatever time the test sets.</summary>
    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Messages_of_every_node_are_numbered_in_the_order_they_were_received_and_stamped_with_the_simulator_clock()
    {
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new SetClock(start);
        await using var ln = new LightningdSimulator(new LightningdSimulatorOptions { TimeProvider = clock });
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        // Each message is awaited before the next, so the flow is alice→bob, bob→alice, alice→bob.
        (SimulatedNode From, SimulatedNode To, string Hex)[] flow =
        [
            (alice, bob, "800101"),
            (bob, alice, "800302"),
            (alice, bob, "800503"),
        ];
        for (int i = 0; i < flow.Length; i++)
        {
            clock.Now = start.AddSeconds(i + 1);
            await flow[i].From.Rpc.SendCustomMessageAsync(flow[i].To.Id, Convert.FromHexString(flow[i].Hex));
            string hex = flow[i].Hex;
            await flow[i].To.WaitForCustomMessageAsync(m => m.Hex == hex);
        }

        var all = alice.ReceivedCustomMessages.Concat(bob.ReceivedCustomMessages).OrderBy(m => m.Sequence).ToList();
        Assert.Equal(["800101", "800302", "800503"], all.Select(m => m.Hex));
        Assert.Equal([1L, 2L, 3L], all.Select(m => m.Sequence));
        Assert.Equal([start.AddSeconds(1), start.AddSeconds(2), start.AddSeconds(3)], all.Select(m => m.ReceivedAt));
        Assert.Equal([alice.Id, bob.Id, alice.Id], all.Select(m => m.PeerId));
    }

    [Fact]
    public async Task Without_a_clock_the_time_is_system_time_and_each_simulator_counts_from_one()
    {
        await using var ln = new LightningdSimulator();
        var alice = ln.AddNode("alice");
        var bob = ln.AddNode("bob");
        await ln.ConnectAsync(alice, bob);

        DateTimeOffset before = DateTimeOffset.UtcNow;
        await alice.Rpc.SendCustomMessageAsync(bob.Id, new byte[] { 0x80, 0x01 });
        ReceivedCustomMessage received = await bob.WaitForCustomMessageAsync(0x8001);
        DateTimeOffset after = DateTimeOffset.UtcNow;

        Assert.Equal(1, received.Sequence);
        Assert.InRange(received.ReceivedAt, before, after);
    }
}
