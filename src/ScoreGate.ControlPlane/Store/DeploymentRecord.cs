using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Store;

/// <summary>A model deployment as stored: where its instances are and how requests to them are limited.</summary>
public sealed record DeploymentRecord(
    string EndpointName,
    string Name,
    IReadOnlyList<string> Urls,
    RequestSettings RequestSettings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Description, tags and probes, from deployment files or the API.</summary>
    public DeploymentDetails Details { get; init; } = DeploymentDetails.Empty;

    /// <summary>The row version this record was read at; a write naming an older one is refused (see <see cref="EndpointRecord.Version"/>).</summary>
    public long Version { get; init; }
}

/// <param name="Description">Free text.</param>
/// <param name="Tags">Free name/value pairs.</param>
/// <param name="LivenessProbe">Azure ML's liveness probe, if given.</param>
/// <param name="ReadinessProbe">Azure ML's readiness probe, if given.</param>
/// <param name="Process">For a process deployment (backend.command or a scoring script): what the router starts; null when the deployment has URLs.</param>
public sealed record DeploymentDetails(
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    ProbeSettings? LivenessProbe,
    ProbeSettings? ReadinessProbe,
    DeploymentProcess? Process = null)
{
    /// <summary>Where scoring requests go on each instance (<c>inference_config.scoring_route</c>); null for /score.</summary>
    public ModelRoute? ScoringRoute { get; init; }

    /// <summary>Azure ML's <c>properties</c>: free name/value pairs, kept and shown.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public static DeploymentDetails Empty { get; } = new(null, new Dictionary<string, string>(), null, null);
}
