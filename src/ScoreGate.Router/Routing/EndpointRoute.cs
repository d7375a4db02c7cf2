using ScoreGate.Router.Auth;

namespace ScoreGate.Router.Routing;

/// <summary>
/// One endpoint as the data plane sees it: how callers authenticate and how traffic is split.
/// </summary>
public sealed class EndpointRoute
{
    private readonly Dictionary<string, DeploymentRoute> _deployments;
    private readonly (int UpperBound, DeploymentRoute Deployment)[] _weighted;

    /// <param name="name">The endpoint name, as in its v1 URI.</param>
    /// <param name="authMode">How callers authenticate.</param>
    /// <param name="keys">Its primary and secondary keys.</param>
    /// <param name="deployments">Its deployments.</param>
    /// <param name="traffic">Percent per deployment name; sums to 0 or 100 (validated by the control plane).</param>
    /// <param name="hostName">Its own host name (from its TLS binding), where POST /score reaches it; or null.</param>
    /// <param name="mirrorTraffic">Percent of requests copied to one deployment (validated by the control plane); or null.</param>
    public EndpointRoute(
        string name,
        EndpointAuthMode authMode,
        EndpointKeys keys,
        IEnumerable<DeploymentRoute> deployments,
        IReadOnlyDictionary<string, int> traffic,
        string? hostName = null,
        IReadOnlyDictionary<string, int>? mirrorTraffic = null)
    {
        HostName = hostName;
        ArgumentNullException.ThrowIfNull(traffic);
        Name = name;
        TokenAudience = name;
        AuthMode = authMode;
        Keys = keys;
        _deployments = deployments.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        var upper = 0;
        _weighted = [.. traffic
            .Where(t => t.Value > 0 && _deployments.ContainsKey(t.Key))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (UpperBound: upper += t.Value, Deployment: _deployments[t.Key]))];
        var mirror = mirrorTraffic?.FirstOrDefault(m => m.Value > 0 && _deployments.ContainsKey(m.Key));
        if (mirror is { Key: not null } given)
        {
            Mirror = _deployments[given.Key];
            MirrorPercent = given.Value;
        }
    }

    /// <summary>The deployment that receives copies of <see cref="MirrorPercent"/> percent of requests; or null.</summary>
    public DeploymentRoute? Mirror { get; }

    public int MirrorPercent { get; }

    public string Name { get; }

    public EndpointAuthMode AuthMode { get; }

    /// <summary>The audience its tokens carry (<see cref="EndpointTokens.Audience"/>); the name unless set.</summary>
    public string TokenAudience { get; init; }

    public string? HostName { get; }

    /// <summary>True for <c>public_network_access: disabled</c>: only clients in <c>privateNetworks</c> may score.</summary>
    public bool PrivateOnly { get; init; }

    /// <summary>With <see cref="EndpointAuthMode.AadToken"/>: the roles, scopes or subjects a token needs (<c>allowed_callers</c>).</summary>
    public AllowedCallers AllowedCallers { get; init; } = AllowedCallers.Anyone;

    /// <summary>
    /// Its own host name when that name's TLS binding asks for client certificates (mTLS): then it
    /// is served only on connections whose handshake was for that name. Null otherwise.
    /// </summary>
    public string? ClientCertificateHostName { get; init; }

    public EndpointKeys Keys { get; }

    public IEnumerable<DeploymentRoute> Deployments => _deployments.Values;

    public DeploymentRoute? FindDeployment(string name) => _deployments.GetValueOrDefault(name);

    /// <summary>Picks a deployment by traffic weight; <paramref name="roll"/> is uniform in [0, 100).</summary>
    /// <returns>Null when no deployment has traffic.</returns>
    public DeploymentRoute? PickByWeight(int roll)
    {
        foreach (var (upperBound, deployment) in _weighted)
        {
            if (roll < upperBound)
            {
                return deployment;
            }
        }

        return null;
    }
}
