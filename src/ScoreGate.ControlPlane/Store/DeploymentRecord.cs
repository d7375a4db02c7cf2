namespace ScoreGate.ControlPlane.Store;

/// <summary>A model deployment as stored: where its instances are and how requests to them are limited.</summary>
public sealed record DeploymentRecord(
    string EndpointName,
    string Name,
    IReadOnlyList<string> Urls,
    RequestSettings RequestSettings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
