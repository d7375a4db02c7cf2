namespace ScoreGate.Router.Routing;

/// <summary>
/// Every endpoint the router serves at one moment. Immutable: the control plane builds a new
/// table on each change and publishes it whole through <see cref="RouteTableHolder"/>.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, EndpointRoute> _endpoints;
    private readonly Dictionary<string, EndpointRoute>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public RouteTable(long revision, IEnumerable<EndpointRoute> endpoints)
    {
        Revision = revision;
        _endpoints = endpoints.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        _bySpan = _endpoints.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static RouteTable Empty { get; } = new(0, []);

    /// <summary>The store revision this table was built from.</summary>
    public long Revision { get; }

    public int Count => _endpoints.Count;

    public EndpointRoute? Find(ReadOnlySpan<char> endpointName) =>
        _bySpan.TryGetValue(endpointName, out var endpoint) ? endpoint : null;
}
