namespace Cln.ProtocolExtensions.Testing.Internal;

/// <summary>An append-only list a test can wait on.</summary>
internal sealed class ObservableList<T>
{
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(T item)
    {
        TaskCompletionSource changed;
        lock (_items)
        {
            _items.Add(item);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_items) return _items.ToArray();
    }

    public int Count
    {
        get { lock (_items) return _items.Count; }
    }

    /// <summary>Waits until an item at index <paramref name="from"/> or later matches.</summary>
    /// <exception cref="TimeoutException">Nothing matched in time; the message lists what was there.</exception>
    public async Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan timeout, string what, CancellationToken cancellationToken, int from = 0)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        int next = from;
        while (true)
        {
            Task changed;
            lock (_items)
            {
                for (; next < _items.Count; next++)
                {
                    if (predicate(_items[next]))
                        return _items[next];
                }
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var seen = Snapshot();
                string listing = seen.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine + "  ", seen.TakeLast(40));
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalMilliseconds:0} ms waiting for {what}. Seen so far:{Environment.NewLine}  {listing}");
            }
        }
    }
}
