namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>A change to an endpoint: each part that is null stays as it is.</summary>
public sealed record EndpointUpdate(
    IReadOnlyDictionary<string, int>? Traffic,
    IReadOnlyDictionary<string, int>? MirrorTraffic,
    string? Description,
    IReadOnlyDictionary<string, string>? Tags,
    string? AuthMode = null,
    IReadOnlyDictionary<string, string>? Properties = null,
    string? PublicNetworkAccess = null,
    AllowedCallersChange? AllowedCallers = null);
