using ScoreGate.Router.Auth;

namespace ScoreGate.Router.Routing;

/// <summary>
/// Every endpoint the router serves at one moment. Immutable: the control plane builds a new
/// table on each change and publishes it whole through <see cref="RouteTableHolder"/>.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, EndpointRoute> _endpoints;
    private readonly Dictionary<string, EndpointRoute>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Dictionary<string, EndpointRoute> _byHostName;

    public RouteTable(long revision, IEnumerable<EndpointRoute> endpoints, TokenVerifier? tokens = null)
    {
        Revision = revision;
        Tokens = tokens ?? TokenVerifier.None;
        _endpoints = endpoints.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        _bySpan = _endpoints.GetAlternateLookup<ReadOnlySpan<char>>();
        _byHostName = _endpoints.Values.Where(e => e.HostName is not null).ToDictionary(e => e.HostName!, StringComparer.OrdinalIgnoreCase);
    }

    public static RouteTable Empty { get; } = new(0, []);

    /// <summary>The store revision this table was built from.</summary>
    public long Revision { get; }

    public int Count => _endpoints.Count;

    /// <summary>Checks tokens of <c>aml_token</c> endpoints against the signing keys of this revision.</summary>
    public TokenVerifier Tokens { get; }

    public IEnumerable<EndpointRoute> Endpoints => _endpoints.Values;

    public EndpointRoute? Find(ReadOnlySpan<char> endpointName) =>
        _bySpan.TryGetValue(endpointName, out var endpoint) ? endpoint : null;

    /// <summary>The endpoint whose own host name this is, for <c>POST https://&lt;endpoint-host&gt;/score</c>.</summary>
    public EndpointRoute? FindByHostName(string hostName) => _byHostName.GetValueOrDefault(hostName);
}
