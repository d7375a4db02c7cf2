namespace ScoreGate.Testing;

/// <summary>
/// A clock tests move by hand (the Microsoft.Extensions.TimeProvider.Testing package is not in
/// our registry): it says what the test set, and timers made from it (<c>Task.Delay(d, time)</c>)
/// fire only when <see cref="Advance"/> moves the clock past them. No test waits on the wall clock.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now = now;

    public FakeTimeProvider()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>
    /// Jumps the clock forward and then fires, in due order, each timer that came due: once, late,
    /// as after a machine that slept. Jumping is what lets a test cross years in one step while a
    /// loop under test wakes hourly.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        List<FakeTimer> due;
        lock (_gate)
        {
            _now += by;
            due = [.. _timers.Where(t => t.DueAt <= _now).OrderBy(t => t.DueAt)];
            foreach (var timer in due)
            {
                timer.Rearm();
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>
    /// Whether a timer is due at or after <paramref name="at"/>. A loop reads the clock and then
    /// sleeps; a test that jumps the clock between the two leaves it asleep past the jump, so it
    /// waits for the loop's timer first.
    /// </summary>
    public bool HasTimerDueAtOrAfter(DateTimeOffset at)
    {
        lock (_gate)
        {
            return _timers.Any(t => t.DueAt >= at);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                _period = period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner._now + dueTime;
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        /// <summary>After firing: a periodic timer's next period starts now; a one-shot timer is done.</summary>
        /// <remarks>Called with the owner's lock held.</remarks>
        public void Rearm()
        {
            owner._timers.Remove(this);
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            {
                DueAt = owner._now + _period;
                owner._timers.Add(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
