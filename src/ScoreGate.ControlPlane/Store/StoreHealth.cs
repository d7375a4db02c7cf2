using System.Diagnostics.Metrics;
using ScoreGate.Router.Metrics;

namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// Whether the router can use its store. While it cannot (unreachable, or refusing writes: disk
/// full, file damaged or read-only), the router is degraded: it keeps serving the last
/// configuration and certificates it loaded, and says so (<c>/healthz</c>, <c>scoregate status</c>,
/// the <c>scoregate_store_up</c> gauge) until the store is back.
/// </summary>
public sealed class StoreHealth : IDisposable
{
    private readonly Meter _meter = new(RouterMetrics.MeterName);
    private volatile Outage? _outage;

    public StoreHealth(string description)
    {
        Description = description;
        _meter.CreateObservableGauge("scoregate.store.up", () => _outage is null ? 1 : 0, "1",
            "1 while the store answers and takes changes; 0 while the router is degraded (see /healthz for why).");
    }

    /// <summary>Where the store is, without secrets.</summary>
    public string Description { get; }

    /// <summary>Null while the store answers.</summary>
    public Outage? Current => _outage;

    /// <param name="problem">What is wrong, to follow "the store (...)": "cannot be reached: ...", "failed: ...".</param>
    /// <param name="now">When it was seen.</param>
    /// <param name="writeFailure">True when the store answers but refused a write: only a write that goes through ends it.</param>
    /// <returns>True when this starts an outage (so it is logged once).</returns>
    public bool Failed(string problem, DateTimeOffset now, bool writeFailure = false)
    {
        var started = _outage is null;
        _outage = new Outage(problem, _outage?.Since ?? now, writeFailure);
        return started;
    }

    /// <returns>True when this ends an outage.</returns>
    public bool Recovered() => Interlocked.Exchange(ref _outage, null) is not null;

    /// <summary>A write went through: ends an outage that a refused write started.</summary>
    /// <returns>True when this ends an outage.</returns>
    public bool RecoveredFromWriteFailure()
    {
        var outage = _outage;
        return outage is { WriteFailure: true } && Interlocked.CompareExchange(ref _outage, null, outage) == outage;
    }

    public void Dispose() => _meter.Dispose();

    public sealed record Outage(string Problem, DateTimeOffset Since, bool WriteFailure = false);
}
