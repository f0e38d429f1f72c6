using NBitcoin;

namespace Cln.ProtocolExtensions.Tests.Messages;

/// <summary>Request/response correlation by a random id, per peer, with a timeout.</summary>
public class PendingRepliesTests
{
    private static readonly PubKey s_alice = new Key(Enumerable.Repeat((byte)1, 32).ToArray()).PubKey;
    private static readonly PubKey s_bob = new Key(Enumerable.Repeat((byte)2, 32).ToArray()).PubKey;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task Reply_with_the_request_id_from_the_same_peer_completes_the_request()
    {
        var pending = new PendingReplies<string>(_time);
        ulong sentId = 0;
        Task<string> call = pending.SendAsync(s_bob, (id, _) => { sentId = id; return Task.CompletedTask; }, TimeSpan.FromSeconds(5));

        Assert.Equal(1, pending.Count);
        Assert.False(pending.TryComplete(s_bob, sentId + 1, "wrong id"));
        Assert.False(pending.TryComplete(s_alice, sentId, "wrong peer"));
        Assert.False(call.IsCompleted);

        Assert.True(pending.TryComplete(s_bob, sentId, "pong"));
        Assert.Equal("pong", await call);
        Assert.Equal(0, pending.Count);
        Assert.False(pending.TryComplete(s_bob, sentId, "again"));
    }

    [Fact]
    public async Task A_reply_can_arrive_before_the_send_returns()
    {
        var pending = new PendingReplies<string>(_time);
        string reply = await pending.SendAsync(s_bob, (id, _) =>
        {
            Assert.True(pending.TryComplete(s_bob, id, "fast"));
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(5));

        Assert.Equal("fast", reply);
    }

    [Fact]
    public async Task No_reply_times_out_and_forgets_the_id()
    {
        var pending = new PendingReplies<string>(_time);
        ulong sentId = 0;
        Task<string> call = pending.SendAsync(s_bob, (id, _) => { sentId = id; return Task.CompletedTask; }, TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal(0, pending.Count);
        Assert.False(pending.TryComplete(s_bob, sentId, "late"));
    }

    [Fact]
    public async Task A_failed_send_forgets_the_id()
    {
        var pending = new PendingReplies<string>(_time);
        await Assert.ThrowsAsync<IOException>(() => pending.SendAsync(s_bob, (_, _) => throw new IOException("gone"), TimeSpan.FromSeconds(5)));
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public async Task Ids_are_random_not_counted()
    {
        var pending = new PendingReplies<string>(_time);
        var ids = new List<ulong>();
        for (int i = 0; i < 200; i++)
        {
            using var cts = new CancellationTokenSource();
            Task<string> call = pending.SendAsync(s_bob, (id, _) => { ids.Add(id); return Task.CompletedTask; }, TimeSpan.FromSeconds(5), cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        // A counter would have consecutive ids; random 64-bit ids essentially never are.
        Assert.DoesNotContain(ids.Zip(ids.Skip(1)), pair => pair.Second - pair.First == 1);
    }

    [Fact]
    public async Task Before_the_timeout_the_request_still_waits_and_a_reply_completes_it()
    {
        var pending = new PendingReplies<string>(_time);
        ulong sentId = 0;
        Task<string> call = pending.SendAsync(s_bob, (id, _) => { sentId = id; return Task.CompletedTask; }, TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.False(call.IsCompleted);
        Assert.True(pending.TryComplete(s_bob, sentId, "just in time"));
        Assert.Equal("just in time", await call);
    }

    [Fact]
    public async Task The_timeout_message_names_the_peer()
    {
        var pending = new PendingReplies<string>(_time);
        Task<string> call = pending.SendAsync(s_bob, (_, _) => Task.CompletedTask, TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(2));
        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains(s_bob.ToHex(), error.Message, StringComparison.Ordinal);
        Assert.Contains("2000 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_and_forgets_the_id()
    {
        var pending = new PendingReplies<string>(_time);
        using var cts = new CancellationTokenSource();
        ulong sentId = 0;
        Task<string> call = pending.SendAsync(s_bob, (id, _) => { sentId = id; return Task.CompletedTask; }, Timeout.InfiniteTimeSpan, cts.Token);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, pending.Count);
        Assert.False(pending.TryComplete(s_bob, sentId, "late"));
    }

    [Fact]
    public async Task Concurrent_requests_to_one_peer_each_get_their_own_reply()
    {
        var pending = new PendingReplies<string>(_time);
        var ids = new ulong[2];
        Task<string> first = pending.SendAsync(s_bob, (id, _) => { ids[0] = id; return Task.CompletedTask; }, TimeSpan.FromSeconds(5));
        Task<string> second = pending.SendAsync(s_bob, (id, _) => { ids[1] = id; return Task.CompletedTask; }, TimeSpan.FromSeconds(5));

        Assert.Equal(2, pending.Count);
        Assert.True(pending.TryComplete(s_bob, ids[1], "second"));
        Assert.True(pending.TryComplete(s_bob, ids[0], "first"));
        Assert.Equal("first", await first);
        Assert.Equal("second", await second);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_non_positive_timeout_is_rejected_before_sending(int milliseconds)
    {
        var pending = new PendingReplies<string>(_time);
        bool sent = false;
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            pending.SendAsync(s_bob, (_, _) => { sent = true; return Task.CompletedTask; }, TimeSpan.FromMilliseconds(milliseconds)));
        Assert.False(sent);
        Assert.Equal(0, pending.Count);
    }
}
