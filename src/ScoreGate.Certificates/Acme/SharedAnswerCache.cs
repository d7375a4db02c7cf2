namespace ScoreGate.Certificates.Acme;

/// <summary>
/// The answers of one challenge type that other routers put in the store, held in memory. The
/// CA's requests are unauthenticated, so a lookup must not cost a store query: a fresh snapshot
/// answers from memory, and a miss or a stale snapshot waits for the next refresh, one query
/// for every waiter, at most one every <see cref="RefreshInterval"/> (5 a second) however many
/// requests arrive. A CA validating through this router finds an answer placed elsewhere
/// within one interval; a cleaned-up answer is gone within one interval too.
/// </summary>
internal sealed class SharedAnswerCache(IChallengeAnswerStore store, string type, TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);

    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    private readonly object _gate = new();

    /// <remarks>Acquire <see cref="_gate"/> before accessing.</remarks>
    private Task<Snapshot>? _nextRefresh;

    /// <remarks>Acquire <see cref="_gate"/> before accessing.</remarks>
    private DateTimeOffset _lastRefreshAt = DateTimeOffset.MinValue;

    private Snapshot _snapshot = new(None, DateTimeOffset.MinValue);

    /// <returns>The answer for <paramref name="name"/>, or null when no router has one pending (or the store cannot say).</returns>
    public async ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (time.GetUtcNow() - snapshot.TakenAt < RefreshInterval && snapshot.Answers.TryGetValue(name, out var known))
        {
            return known;
        }

        snapshot = await NextRefresh().WaitAsync(cancellationToken);
        return snapshot.Answers.GetValueOrDefault(name);
    }

    private Task<Snapshot> NextRefresh()
    {
        lock (_gate)
        {
            return _nextRefresh ??= RefreshAsync(_lastRefreshAt + RefreshInterval - time.GetUtcNow());
        }
    }

    private async Task<Snapshot> RefreshAsync(TimeSpan wait)
    {
        // Never synchronous: NextRefresh stores this task under the lock before it may clear it.
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time);
        }
        else
        {
            await Task.Yield();
        }

        lock (_gate)
        {
            // A miss from now on may concern an answer saved after this query read: it waits for the next.
            _nextRefresh = null;
            _lastRefreshAt = time.GetUtcNow();
        }

        try
        {
            var answers = await store.ListChallengeAnswersAsync(type, CancellationToken.None);
            var snapshot = new Snapshot(answers, time.GetUtcNow());
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The store is down: only the answers other routers placed are lost, this router's own still work.
            return new Snapshot(None, DateTimeOffset.MinValue);
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, string> Answers, DateTimeOffset TakenAt);
}
