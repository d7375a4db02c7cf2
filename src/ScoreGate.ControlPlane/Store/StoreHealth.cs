namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// Whether the router can reach its store. While it cannot, the router is degraded: it keeps
/// serving the last configuration and certificates it loaded, and says so (<c>/healthz</c>,
/// <c>scoregate status</c>) until it reconnects.
/// </summary>
public sealed class StoreHealth(string description)
{
    private volatile Outage? _outage;

    /// <summary>Where the store is, without secrets.</summary>
    public string Description { get; } = description;

    /// <summary>Null while the store answers.</summary>
    public Outage? Current => _outage;

    /// <returns>True when this starts an outage (so it is logged once).</returns>
    public bool Failed(string problem, DateTimeOffset now)
    {
        var started = _outage is null;
        _outage = new Outage(problem, _outage?.Since ?? now);
        return started;
    }

    /// <returns>True when this ends an outage.</returns>
    public bool Recovered() => Interlocked.Exchange(ref _outage, null) is not null;

    public sealed record Outage(string Problem, DateTimeOffset Since);
}
