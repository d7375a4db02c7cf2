using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Store;

/// <summary>A deployment's request limits, with Azure ML's defaults and field names.</summary>
/// <param name="RequestTimeoutMs">How long the model may take to answer.</param>
/// <param name="MaxConcurrentRequestsPerInstance">Requests one instance handles at once.</param>
/// <param name="MaxQueueWaitMs">How long a request may wait for a free instance.</param>
public sealed record RequestSettings(int RequestTimeoutMs = 5000, int MaxConcurrentRequestsPerInstance = 1, int MaxQueueWaitMs = 500)
{
    public static RequestSettings Default { get; } = new();

    public RequestLimits ToLimits() => new(
        TimeSpan.FromMilliseconds(RequestTimeoutMs),
        MaxConcurrentRequestsPerInstance,
        TimeSpan.FromMilliseconds(MaxQueueWaitMs));
}
