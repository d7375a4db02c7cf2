namespace ScoreGate.ControlPlane.Api;

/// <summary>The URIs clients score at, as shown by <c>endpoint show</c> and <c>quickstart</c>.</summary>
public sealed class ScoringUris(Uri routerBaseAddress)
{
    public Uri RouterBaseAddress { get; } = routerBaseAddress;

    public string Score(string endpointName) => new Uri(RouterBaseAddress, $"/api/v1/service/{endpointName}/score").AbsoluteUri;

    public string Swagger(string endpointName) => new Uri(RouterBaseAddress, $"/api/v1/service/{endpointName}/swagger.json").AbsoluteUri;
}
