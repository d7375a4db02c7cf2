using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>An endpoint as its file describes it (Azure ML online endpoint YAML).</summary>
public sealed record EndpointSpec(
    string Name,
    string? AuthMode,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, int>? Traffic,
    IReadOnlyDictionary<string, int>? MirrorTraffic)
{
    /// <summary>Azure ML's free name/value pairs, kept and shown.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Azure ML's <c>public_network_access</c> as the file gives it (enabled or disabled), or null.</summary>
    public string? PublicNetworkAccess { get; init; }

    /// <summary>ScoreGate's <c>allowed_callers</c> (aad_token only), or null when the file has none.</summary>
    public AllowedCallers? AllowedCallers { get; init; }
}
