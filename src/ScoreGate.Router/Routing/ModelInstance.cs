namespace ScoreGate.Router.Routing;

/// <summary>
/// One model instance and what the router knows of it: requests in flight (for least-outstanding
/// balancing and the concurrency limit), readiness (from its probe), and passive ejection after
/// failed connections. Shared across route-table rebuilds while its deployment keeps its URL,
/// so a configuration change never forgets requests in flight.
/// </summary>
/// <param name="url">The instance's base URL.</param>
/// <param name="scoring">Where it scores, when not on /score at its base URL (inference_config.scoring_route).</param>
public sealed class ModelInstance(Uri url, ModelRoute? scoring = null)
{
    /// <summary>The first ejection after a failed connection; each further failure doubles it.</summary>
    public static readonly TimeSpan FirstEjection = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestEjection = TimeSpan.FromSeconds(30);

    private int _outstanding;
    private int _failures;
    private long _ejectedUntil;
    private volatile bool _ready = true;
    private readonly Uri _scoreTarget = scoring?.On(url) ?? Target(url, ScoringPath.Score, null);
    private readonly Uri _swaggerTarget = Target(url, ScoringPath.Swagger, null);

    public Uri Url { get; } = url;

    /// <summary>Its scoring route, if not the default.</summary>
    public ModelRoute? Scoring { get; } = scoring;

    /// <summary>Where a call to the model goes. The two model paths are built once, not per request: parsing a Uri costs.</summary>
    /// <param name="modelPath"><see cref="ScoringPath.Score"/> or <see cref="ScoringPath.Swagger"/>.</param>
    /// <param name="query">The caller's query string, with its '?', or empty.</param>
    public Uri TargetFor(string modelPath, string? query) =>
        modelPath == ScoringPath.Score ? (string.IsNullOrEmpty(query) ? _scoreTarget : new Uri(string.Concat(_scoreTarget.AbsoluteUri, query)))
        : !string.IsNullOrEmpty(query) ? Target(Url, modelPath, query)
        : modelPath == ScoringPath.Swagger ? _swaggerTarget
        : Target(Url, modelPath, null);

    private static Uri Target(Uri instance, string modelPath, string? query) =>
        new(string.Concat(instance.AbsoluteUri.AsSpan().TrimEnd('/'), modelPath, query));

    /// <summary>For instances the router runs itself: ends the process so it is started again (a failed liveness probe calls it).</summary>
    public Action? Restart { get; init; }

    /// <summary>For instances the router runs itself: whether the process runs now. While it does not, no probe can make the instance ready.</summary>
    public Func<bool>? Running { get; init; }

    /// <summary>What its probes say, kept with the instance across route-table rebuilds.</summary>
    public Health.InstanceHealth Health { get; } = new();

    /// <summary>Requests forwarded to it and not yet finished.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>False while its readiness probe fails (or has not yet passed); never given requests then.</summary>
    public bool Ready
    {
        get => _ready;
        set => _ready = value;
    }

    /// <summary>True while recent connection failures keep it out of turn (other instances are preferred).</summary>
    public bool IsEjected(long nowMs) => nowMs < Volatile.Read(ref _ejectedUntil);

    internal int Enter() => Interlocked.Increment(ref _outstanding);

    internal void Leave() => Interlocked.Decrement(ref _outstanding);

    /// <summary>A connection could not be made: keep it out of turn for a while, longer each time.</summary>
    public void ReportConnectionFailure(long nowMs)
    {
        var failures = Math.Min(Interlocked.Increment(ref _failures), 6);
        var ejection = Math.Min((long)FirstEjection.TotalMilliseconds << (failures - 1), (long)LongestEjection.TotalMilliseconds);
        Volatile.Write(ref _ejectedUntil, nowMs + ejection);
    }

    /// <summary>It answered: back in turn at once.</summary>
    public void ReportAnswer()
    {
        if (Volatile.Read(ref _failures) != 0)
        {
            Volatile.Write(ref _failures, 0);
            Volatile.Write(ref _ejectedUntil, 0);
        }
    }

    public override string ToString() => Url.ToString();
}
