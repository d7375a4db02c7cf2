using Microsoft.Extensions.Time.Testing;

namespace ScoreGate.Testing;

/// <summary>
/// The package's <see cref="FakeTimeProvider"/>, plus what it does not tell: which timers are
/// waiting and when they are due. A loop reads the clock and then sleeps; a test that jumps the
/// clock between the two leaves it asleep past the jump (commit 5a1973f), so the test first
/// waits for the timer of that very sleep (<see cref="HasTimerDueAt"/>).
/// </summary>
public sealed class TimerTrackingFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();

    /// <remarks>Acquire <see cref="_gate"/> before accessing.</remarks>
    private readonly List<TrackedTimer> _waiting = [];

    /// <summary>Whether a timer that has not fired nor been disposed is due exactly at <paramref name="at"/>.</summary>
    public bool HasTimerDueAt(DateTimeOffset at)
    {
        lock (_gate)
        {
            return _waiting.Any(t => t.DueAt == at);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, period);
        tracked.Track(dueTime);
        tracked.Inner = base.CreateTimer(s =>
        {
            tracked.Fired();
            callback(s);
        }, state, dueTime, period);
        return tracked;
    }

    private sealed class TrackedTimer(TimerTrackingFakeTimeProvider owner, TimeSpan period) : ITimer
    {
        private TimeSpan _period = period;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset DueAt { get; private set; }

        /// <summary>Waiting for <paramref name="dueTime"/> from now, or not at all when infinite.</summary>
        public void Track(TimeSpan dueTime)
        {
            lock (owner._gate)
            {
                owner._waiting.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner.GetUtcNow() + dueTime;
                    owner._waiting.Add(this);
                }
            }
        }

        /// <summary>A one-shot timer is done; a periodic one waits a period from now.</summary>
        public void Fired() => Track(_period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _period);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            Track(dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Track(Timeout.InfiniteTimeSpan);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
