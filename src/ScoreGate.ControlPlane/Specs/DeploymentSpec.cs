using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>A deployment as its file describes it (Azure ML online deployment YAML plus ScoreGate's <c>backend</c>).</summary>
/// <param name="CondaFile">environment.conda_file as written (relative to the file): its packages are named in a note, since ScoreGate builds no environment.</param>
public sealed record DeploymentSpec(
    string Name,
    string EndpointName,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Urls,
    RequestSettings RequestSettings,
    ProbeSettings? LivenessProbe,
    ProbeSettings? ReadinessProbe,
    DeploymentProcess? Process,
    ModelRoute? ScoringRoute = null,
    IReadOnlyDictionary<string, string>? Properties = null,
    string? CondaFile = null);
