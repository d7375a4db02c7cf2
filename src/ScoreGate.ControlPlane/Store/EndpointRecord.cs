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
    DateTimeOffset UpdatedAt)
{
    /// <summary>What people read (description, tags) and the mirror, from endpoint files or the API.</summary>
    public EndpointDetails Details { get; init; } = EndpointDetails.Empty;

    /// <summary>
    /// The row version this record was read at. A write names it and is refused when the row has
    /// moved on since, so two changes made from the same read can never silently undo each other.
    /// </summary>
    public long Version { get; init; }

    /// <summary>
    /// Random, drawn when the endpoint is created: tokens are bound to it, so an endpoint deleted and
    /// created again under the same name refuses the old one's tokens. Empty for endpoints stored
    /// before schema 7, whose tokens name the endpoint alone.
    /// </summary>
    public string Incarnation { get; init; } = string.Empty;
}

/// <param name="Description">Free text.</param>
/// <param name="Tags">Free name/value pairs.</param>
/// <param name="MirrorTraffic">Percent of live requests copied to one deployment (Azure ML's <c>mirror_traffic</c>); at most one entry.</param>
public sealed record EndpointDetails(string? Description, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, int> MirrorTraffic)
{
    /// <summary>Azure ML's <c>properties</c>: free name/value pairs, kept and shown.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Azure ML's <c>public_network_access</c>: enabled, or disabled (only <c>privateNetworks</c> may score); null (stored before it existed) means enabled.</summary>
    public string? PublicNetworkAccess { get; init; }

    /// <summary>With <c>aad_token</c>: the roles, scopes or subjects a token needs (<c>allowed_callers</c>); null admits any token of the provider.</summary>
    public AllowedCallers? AllowedCallers { get; init; }

    public static EndpointDetails Empty { get; } = new(null, new Dictionary<string, string>(), new Dictionary<string, int>());
}
