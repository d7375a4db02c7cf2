using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Health;

/// <summary>
/// What the probes say about one instance. Readiness starts failing (an instance takes requests
/// only after its first good probe, as in Kubernetes); liveness starts passing. With URL backends
/// nothing can be restarted, so a failed liveness probe also keeps the instance out of turn.
/// </summary>
public sealed class InstanceHealth
{
    private readonly Lock _gate = new();
    private ProbeCounter? _readiness;
    private ProbeCounter? _liveness;

    private long _knownSinceMs = Environment.TickCount64;
    private long _nextReadinessMs;
    private long _nextLivenessMs;
    private bool _readinessProbing;
    private bool _livenessProbing;
    private volatile string? _readinessProblem;
    private volatile string? _livenessProblem;

    /// <summary>
    /// The last failed probe and its outcome ("readiness probe GET ... answered 503: ..."), until
    /// that kind of probe passes; for <c>deployment show</c>. Each kind keeps its own, so a passing
    /// liveness probe does not hide why the instance is not ready.
    /// </summary>
    public string? Problem => _readinessProblem ?? _livenessProblem;

    /// <summary>
    /// Claims the next probe of this kind if it is due: after the initial delay, a period after the
    /// last one, and never two at once.
    /// </summary>
    public bool TryBeginProbe(ProbeKind kind, ProbeSettings settings, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            ref var next = ref kind == ProbeKind.Readiness ? ref _nextReadinessMs : ref _nextLivenessMs;
            ref var probing = ref kind == ProbeKind.Readiness ? ref _readinessProbing : ref _livenessProbing;
            if (probing || nowMs < _knownSinceMs + (settings.InitialDelay * 1000L) || nowMs < next)
            {
                return false;
            }

            probing = true;
            next = nowMs + (settings.Period * 1000L);
            return true;
        }
    }

    /// <summary>Ends the probe begun by <see cref="TryBeginProbe"/> with its result.</summary>
    /// <param name="problem">What failed, when it failed.</param>
    /// <returns>True when this result made the probe's verdict turn to failing.</returns>
    public bool EndProbe(ProbeKind kind, bool success, ProbeSettings settings, string? problem = null)
    {
        lock (_gate)
        {
            if (kind == ProbeKind.Readiness)
            {
                _readinessProblem = success ? null : problem ?? _readinessProblem;
            }
            else
            {
                _livenessProblem = success ? null : problem ?? _livenessProblem;
            }

            if (kind == ProbeKind.Readiness)
            {
                _readinessProbing = false;
            }
            else
            {
                _livenessProbing = false;
            }

            ref var counter = ref kind == ProbeKind.Readiness ? ref _readiness : ref _liveness;
            counter ??= new ProbeCounter(passing: kind == ProbeKind.Liveness);
            return counter.Record(success, settings);
        }
    }

    /// <summary>
    /// After a restart: probes start over as for a new instance (initial delay, readiness to be
    /// passed again), so a model that is still starting is not judged by its predecessor.
    /// </summary>
    public void Restarted()
    {
        lock (_gate)
        {
            _readiness = null;
            _liveness = null;
            _knownSinceMs = Environment.TickCount64;
            _nextReadinessMs = 0;
            _nextLivenessMs = 0;
        }
    }

    /// <summary>Ready when every configured probe passes; a probe not configured does not count.</summary>
    public bool Passes(bool hasReadiness, bool hasLiveness)
    {
        lock (_gate)
        {
            return (!hasReadiness || _readiness?.Passing == true) && (!hasLiveness || _liveness?.Passing != false);
        }
    }
}

/// <summary>The two kinds of probe of Azure ML deployments.</summary>
public enum ProbeKind
{
    /// <summary>May this instance take requests now?</summary>
    Readiness,

    /// <summary>Is this instance alive at all?</summary>
    Liveness,
}
