using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Api;

// The admin API's JSON shapes (camelCase on the wire). Views never carry keys, except Credentials.

/// <summary>POST /api/endpoints.</summary>
public sealed record CreateEndpointRequest(
    string? Name, string? AuthMode, string? Description = null, IReadOnlyDictionary<string, string>? Tags = null, IReadOnlyDictionary<string, string>? Properties = null,
    string? PublicNetworkAccess = null,
    AllowedCallersRequest? AllowedCallers = null);

/// <summary><c>allowed_callers</c> of an aad_token endpoint. On update, a list that is null stays; an empty one lifts that restriction.</summary>
public sealed record AllowedCallersRequest(List<string>? Roles = null, List<string>? Scopes = null, List<string>? Subjects = null);

/// <summary>PATCH /api/endpoints/{name}: what is null stays.</summary>
public sealed record UpdateEndpointRequest(
    Dictionary<string, int>? Traffic,
    Dictionary<string, int>? MirrorTraffic = null,
    string? Description = null,
    Dictionary<string, string>? Tags = null,
    string? AuthMode = null,
    Dictionary<string, string>? Properties = null,
    string? PublicNetworkAccess = null,
    AllowedCallersRequest? AllowedCallers = null);

/// <summary>POST /api/endpoints/{name}/regenerate-keys.</summary>
public sealed record RegenerateKeysRequest(string? KeyType);

/// <summary>POST /api/endpoints/{name}/deployments.</summary>
public sealed record CreateDeploymentRequest(string? Name, List<string>? Urls, RequestSettings? RequestSettings, DeploymentDetails? Details = null);

/// <summary>PATCH /api/endpoints/{name}/deployments/{deployment}: what is null stays.</summary>
public sealed record UpdateDeploymentRequest(List<string>? Urls, RequestSettings? RequestSettings, DeploymentDetails? Details = null);

public sealed record EndpointView(
    string Name,
    string AuthMode,
    IReadOnlyDictionary<string, int> Traffic,
    IReadOnlyDictionary<string, int> MirrorTraffic,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    string ScoringUri,
    string SwaggerUri,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Properties,
    string PublicNetworkAccess,
    AllowedCallers? AllowedCallers = null);

public sealed record DeploymentView(
    string Name,
    string EndpointName,
    IReadOnlyList<string> Urls,
    RequestSettings RequestSettings,
    DeploymentDetails Details,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<InstanceView> Instances);

/// <summary>One instance as this router sees it now.</summary>
/// <param name="Url">Where it listens.</param>
/// <param name="Ready">Whether it takes requests.</param>
/// <param name="Problem">Its last failed probe and why (a scoring script's failed init() shows here), until a probe passes.</param>
public sealed record InstanceView(string Url, bool Ready, string? Problem);

/// <summary>The shape of Azure ML's get-credentials output.</summary>
public sealed record Credentials(string PrimaryKey, string SecondaryKey);

/// <param name="Status">ok, or degraded while the store cannot be reached.</param>
/// <param name="Revision">The store revision this router serves.</param>
/// <param name="Store">Where the store is (never with a password).</param>
/// <param name="Message">While degraded: what is wrong and since when.</param>
public sealed record HealthView(string Status, long Revision, string Store, string? Message = null, OidcHealthView? Oidc = null);

/// <summary>The OpenID Connect provider as this router sees it; a problem here degrades nothing else.</summary>
/// <param name="Authority">oidcAuthority.</param>
/// <param name="Status">ok, problem (metadata cannot be fetched now; cached keys still verify) or pending (no fetch yet).</param>
/// <param name="KeyIds">The signing keys cached.</param>
/// <param name="Problem">What went wrong, and since when; null while ok.</param>
public sealed record OidcHealthView(string Authority, string Status, IReadOnlyList<string> KeyIds, string? Problem = null, DateTimeOffset? FetchedAt = null);

/// <summary>GET .../deployments/{name}/logs: the last lines its processes wrote, oldest first.</summary>
public sealed record DeploymentLogView(IReadOnlyList<string> Lines, string? Note);
