using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Processes;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.ControlPlane.Tls;
using ScoreGate.Router.Auth;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane;

/// <summary>
/// Builds what the data plane serves from the store (the <see cref="RouteTable"/> and the TLS
/// bindings) and hands both over. Publishes are serialized, and a route table never replaces
/// one built from a newer revision.
/// </summary>
public sealed partial class ConfigurationPublisher(
    IScoreGateStore store,
    RouterSettings settings,
    RouteTableHolder holder,
    TlsBindingWatcher tls,
    ILogger<ConfigurationPublisher> logger,
    ModelProcessSupervisor? processes = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The store revision the data plane serves.</summary>
    public long ServedRevision => holder.Current.Revision;

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

            var bindings = await store.ListTlsBindingsAsync(cancellationToken);
            var managed = (await store.ListManagedCertificatesAsync(cancellationToken)).ToDictionary(m => m.Scope, StringComparer.OrdinalIgnoreCase);
            var hostNames = bindings.Where(b => b.HostName is not null).ToDictionary(b => b.Scope, b => b.HostName!, StringComparer.OrdinalIgnoreCase);
            // Endpoints whose own host name asks for client certificates are served only on connections for that name.
            var clientCertificateHosts = bindings.Where(b => b.Scope.Length > 0 && b.HostName is not null && b.ClientCaPath is not null)
                .ToDictionary(b => b.Scope, b => b.HostName!, StringComparer.OrdinalIgnoreCase);
            var deploymentRecords = await store.ListDeploymentsAsync(null, cancellationToken);
            var deployments = deploymentRecords.ToLookup(d => d.EndpointName, StringComparer.OrdinalIgnoreCase);
            var running = processes?.Reconcile(deploymentRecords) ?? new Dictionary<string, IReadOnlyList<ModelInstance>>();
            var previous = holder.Current;
            var endpoints = (await store.ListEndpointsAsync(cancellationToken)).Select(e => new EndpointRoute(
                e.Name,
                e.AuthMode,
                new EndpointKeys(e.PrimaryKey, e.SecondaryKey),
                deployments[e.Name].Select(d => d.Details.Process is null
                    ? new DeploymentRoute(
                        d.Name,
                        [.. d.Urls.Select(u => new Uri(u))],
                        d.RequestSettings.ToLimits(),
                        previous.Find(e.Name)?.FindDeployment(d.Name),
                        d.Details.ReadinessProbe,
                        d.Details.LivenessProbe,
                        d.Details.ScoringRoute)
                    : new DeploymentRoute(
                        d.Name,
                        running.GetValueOrDefault(ModelProcessSupervisor.Key(d)) ?? [],
                        d.RequestSettings.ToLimits(),
                        d.Details.ReadinessProbe,
                        d.Details.LivenessProbe)),
                e.Traffic,
                hostNames.GetValueOrDefault(e.Name),
                e.Details.MirrorTraffic)
            {
                TokenAudience = EndpointTokens.Audience(e.Name, e.Incarnation),
                PrivateOnly = PublicNetworkAccess.IsDisabled(e.Details.PublicNetworkAccess),
                AllowedCallers = e.Details.AllowedCallers ?? AllowedCallers.Anyone,
                ClientCertificateHostName = clientCertificateHosts.GetValueOrDefault(e.Name),
            });

            // TLS first: a new host name must have its certificate before requests are routed to it.
            // A managed binding whose certificate is not issued yet is left out until it is.
            var hostSpecs = bindings.Where(b => b.Scope.Length > 0).Select(b => TlsBindingSources.Spec(b, settings, managed.GetValueOrDefault(b.Scope))).OfType<TlsBindingSpec>();
            tls.Apply(DefaultSpec(bindings, managed.GetValueOrDefault(TlsBindingRecord.RouterScope)), [.. hostSpecs]);
            var table = new RouteTable(revision, endpoints, await TokenVerifierAsync(cancellationToken));
            holder.Publish(table);
            Log.Published(logger, table.Revision, table.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The public halves of the token signing keys: all the data plane needs to check tokens.</summary>
    private async Task<TokenVerifier> TokenVerifierAsync(CancellationToken cancellationToken)
    {
        var keys = await store.ListTokenSigningKeysAsync(cancellationToken);
        return new TokenVerifier(keys.ToDictionary(k => k.Id, k =>
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(k.KeyPem);
            return key.ExportSubjectPublicKeyInfo();
        }));
    }

    /// <summary>The router's own binding: one set through the API wins over the settings', and can turn TLS off.</summary>
    private TlsBindingSpec? DefaultSpec(IReadOnlyList<TlsBindingRecord> bindings, ManagedCertificateRecord? managed)
    {
        var routerBinding = bindings.FirstOrDefault(b => b.Scope == TlsBindingRecord.RouterScope);
        if (routerBinding is not null)
        {
            return routerBinding.Kind == TlsSourceKind.Disabled ? null : TlsBindingSources.Spec(routerBinding, settings, managed);
        }

        if (settings.Certificate is { } source)
        {
            return new TlsBindingSpec(null, source, settings.SslCname, RouterSettingNames.SslCname, settings.ClientCertificates);
        }

        return settings.Managed.LeafDomainLabel is not null && TlsBindingSources.ManagedSpec(null, managed) is { } managedSpec
            ? managedSpec with { ClientCertificates = settings.ClientCertificates }
            : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, EventName = nameof(Router.EventIds.RouteTablePublished), Level = LogLevel.Debug, Message = "Serving revision {Revision} with {EndpointCount} endpoints.")]
        public static partial void Published(ILogger logger, long revision, int endpointCount);
    }
}
