namespace ScoreGate.Router.Routing;

/// <summary>A deployment's request settings as the data plane enforces them (Azure ML's <c>request_settings</c>).</summary>
/// <param name="RequestTimeout">How long the model may take, from forwarding to the end of its answer.</param>
/// <param name="MaxConcurrentPerInstance">Requests one instance is given at once.</param>
/// <param name="MaxQueueWait">How long a request may wait for a free instance before it gets 429.</param>
public sealed record RequestLimits(TimeSpan RequestTimeout, int MaxConcurrentPerInstance, TimeSpan MaxQueueWait)
{
    /// <summary>Azure ML's defaults: 5 s, one request at a time, 500 ms in the queue.</summary>
    public static RequestLimits Default { get; } = new(TimeSpan.FromSeconds(5), 1, TimeSpan.FromMilliseconds(500));
}
