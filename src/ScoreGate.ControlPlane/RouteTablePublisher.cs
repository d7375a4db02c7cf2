using Microsoft.Extensions.Logging;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Auth;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane;

/// <summary>
/// Builds the data plane's <see cref="RouteTable"/> from the store and publishes it. Publishes
/// are serialized, and a table never replaces one built from a newer revision.
/// </summary>
public sealed partial class RouteTablePublisher(IScoreGateStore store, RouteTableHolder holder, ILogger<RouteTablePublisher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var revision = await store.GetRevisionAsync(cancellationToken);
            if (revision <= holder.Current.Revision && holder.Current != RouteTable.Empty)
            {
                return;
            }

            var deployments = (await store.ListDeploymentsAsync(null, cancellationToken)).ToLookup(d => d.EndpointName, StringComparer.OrdinalIgnoreCase);
            var endpoints = (await store.ListEndpointsAsync(cancellationToken)).Select(e => new EndpointRoute(
                e.Name,
                e.AuthMode,
                new EndpointKeys(e.PrimaryKey, e.SecondaryKey),
                deployments[e.Name].Select(d => new DeploymentRoute(d.Name, [.. d.Urls.Select(u => new Uri(u))], TimeSpan.FromMilliseconds(d.RequestSettings.RequestTimeoutMs))),
                e.Traffic));
            var table = new RouteTable(revision, endpoints);
            holder.Publish(table);
            Log.RouteTablePublished(logger, table.Revision, table.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, EventName = "RouteTablePublished", Level = LogLevel.Debug, Message = "Serving revision {Revision} with {EndpointCount} endpoints.")]
        public static partial void RouteTablePublished(ILogger logger, long revision, int endpointCount);
    }
}
