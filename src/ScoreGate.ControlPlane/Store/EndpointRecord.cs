using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Store;

/// <summary>An endpoint as stored. Keys are plaintext here; the store encrypts them on the way to disk.</summary>
public sealed record EndpointRecord(
    string Name,
    EndpointAuthMode AuthMode,
    string PrimaryKey,
    string SecondaryKey,
    IReadOnlyDictionary<string, int> Traffic,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
