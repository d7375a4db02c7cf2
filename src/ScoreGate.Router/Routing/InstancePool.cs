namespace ScoreGate.Router.Routing;

/// <summary>
/// Admission to a deployment's instances under its request settings: a request gets the ready
/// instance with the fewest requests in flight, if one is under
/// <see cref="RequestLimits.MaxConcurrentPerInstance"/>; otherwise it waits in a FIFO queue for
/// at most <see cref="RequestLimits.MaxQueueWait"/> and is then turned away (429). Instances
/// ejected after failed connections are passed over while another one can serve; when none can,
/// they are tried anyway, since a refused request helps nobody.
/// </summary>
public sealed class InstancePool
{
    /// <summary>Waiting requests per unit of capacity: enough for any burst a queue wait can absorb, and bounded.</summary>
    private const int QueuedPerSlot = 64;

    private readonly ModelInstance[] _instances;
    private readonly LinkedList<Waiter> _queue = [];
    private readonly Lock _gate = new();
    private readonly Func<long> _nowMs;
    private int _turn;

    public InstancePool(IReadOnlyList<ModelInstance> instances, RequestLimits limits, Func<long>? nowMs = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        _instances = [.. instances];
        Limits = limits;
        _nowMs = nowMs ?? (() => Environment.TickCount64);
    }

    public RequestLimits Limits { get; }

    public IReadOnlyList<ModelInstance> Instances => _instances;

    /// <summary>Requests waiting for a free instance now.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>A free instance now, or null: for mirrored copies, which never wait or take a live request's place in the queue.</summary>
    public Lease? TryAdmitNow()
    {
        lock (_gate)
        {
            return _queue.Count == 0 && TryTakeUnsynchronized() is { } instance ? new Lease(this, instance) : null;
        }
    }

    /// <summary>Waits for a free instance, at most the queue wait.</summary>
    /// <returns>A lease to dispose when the request is done, or why there is none.</returns>
    public async ValueTask<Admission> AdmitAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (!AnyReady())
            {
                return Admission.NoReadyInstance;
            }

            if (_queue.Count == 0 && TryTakeUnsynchronized() is { } instance)
            {
                return new Admission(new Lease(this, instance), AdmissionRefusal.None);
            }

            if (Limits.MaxQueueWait <= TimeSpan.Zero || _queue.Count >= QueuedPerSlot * Math.Max(1, _instances.Length * Limits.MaxConcurrentPerInstance))
            {
                return Admission.Busy;
            }

            waiter = new Waiter();
            waiter.Node = _queue.AddLast(waiter);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limits.MaxQueueWait);
        await using (timeout.Token.UnsafeRegister(static state => ((Waiter)state!).Completion.TrySetResult(null), waiter))
        {
            var given = await waiter.Completion.Task.ConfigureAwait(false);
            if (given is not null)
            {
                return new Admission(new Lease(this, given), AdmissionRefusal.None);
            }
        }

        // Given up: out of the queue, unless a release already took it out (and then found it gone).
        lock (_gate)
        {
            if (waiter.Node.List is not null)
            {
                _queue.Remove(waiter.Node);
            }
        }

        return cancellationToken.IsCancellationRequested ? Admission.ClientGone : Admission.Busy;
    }

    private void Release(ModelInstance instance)
    {
        instance.Leave();
        lock (_gate)
        {
            while (_queue.First is { } first && TryTakeUnsynchronized() is { } next)
            {
                _queue.RemoveFirst();
                if (!first.Value.Completion.TrySetResult(next))
                {
                    // That waiter had already given up.
                    next.Leave();
                }
            }
        }
    }

    /// <summary>The least-loaded ready instance under its limit, preferring those not ejected; ties go in turn.</summary>
    private ModelInstance? TryTakeUnsynchronized()
    {
        var now = _nowMs();
        ModelInstance? best = null;
        ModelInstance? bestEjected = null;
        var start = _turn++;
        for (var i = 0; i < _instances.Length; i++)
        {
            var candidate = _instances[(int)((uint)(start + i) % (uint)_instances.Length)];
            if (!candidate.Ready || candidate.Outstanding >= Limits.MaxConcurrentPerInstance)
            {
                continue;
            }

            if (candidate.IsEjected(now))
            {
                bestEjected = bestEjected is null || candidate.Outstanding < bestEjected.Outstanding ? candidate : bestEjected;
            }
            else if (best is null || candidate.Outstanding < best.Outstanding)
            {
                best = candidate;
            }
        }

        // Ejected instances serve only when every ready instance is ejected, not merely busy.
        var taken = best ?? (AnyReadyInTurn(now) ? null : bestEjected);
        taken?.Enter();
        return taken;
    }

    private bool AnyReady()
    {
        foreach (var instance in _instances)
        {
            if (instance.Ready)
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyReadyInTurn(long now)
    {
        foreach (var instance in _instances)
        {
            if (instance.Ready && !instance.IsEjected(now))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Waiter
    {
        public TaskCompletionSource<ModelInstance?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter> Node { get; set; } = null!;
    }

    /// <summary>One admitted request's hold on an instance; disposing it frees the slot for the next in the queue.</summary>
    public sealed class Lease(InstancePool pool, ModelInstance instance) : IDisposable
    {
        private int _disposed;

        public ModelInstance Instance { get; } = instance;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                pool.Release(Instance);
            }
        }
    }
}

/// <summary>Why a request was not admitted.</summary>
public enum AdmissionRefusal
{
    None,

    /// <summary>Every instance was busy for the whole queue wait, or the queue was full: 429.</summary>
    Busy,

    /// <summary>No instance is ready: 503.</summary>
    NoReadyInstance,

    /// <summary>The client went away while waiting.</summary>
    ClientGone,
}

/// <summary>The outcome of <see cref="InstancePool.AdmitAsync"/>: a lease, or why not.</summary>
public readonly record struct Admission(InstancePool.Lease? Lease, AdmissionRefusal Refusal)
{
    public static Admission Busy => new(null, AdmissionRefusal.Busy);

    public static Admission NoReadyInstance => new(null, AdmissionRefusal.NoReadyInstance);

    public static Admission ClientGone => new(null, AdmissionRefusal.ClientGone);
}
