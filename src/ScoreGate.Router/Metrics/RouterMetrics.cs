using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Authentication;
using ScoreGate.Router.Auth;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Metrics;

/// <summary>
/// The router's instruments, on <see cref="System.Diagnostics.Metrics"/> so any listener can read
/// them; <see cref="PrometheusCollector"/> is ours, for <c>GET /metrics</c>. Gauges are observed
/// at scrape time from the current route table and certificates, never kept up to date per request.
/// </summary>
public sealed class RouterMetrics : IDisposable
{
    public const string MeterName = "ScoreGate.Router";

    /// <summary>The <c>host</c> label of the router's own certificate when it has no sslCname.</summary>
    public const string DefaultHost = "(default)";

    private static readonly string[] StatusTexts = [.. Enumerable.Range(0, 600).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _mirrored;

    /// <param name="oidc">The OpenID Connect provider's keys, when oidcAuthority is set: observed as <c>scoregate.oidc.metadata.up</c>.</param>
    public RouterMetrics(RouteTableHolder routes, CertificateSelector certificates, OidcKeySource? oidc = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(certificates);
        _meter = new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("scoregate.requests", "{request}", "Scoring requests answered, by endpoint, deployment and status.");
        _duration = _meter.CreateHistogram<double>("scoregate.request.duration", "s", "Time from the request's arrival to the end of its answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _authFailures = _meter.CreateCounter<long>("scoregate.auth.failures", "{request}", "Requests refused for missing or wrong credentials, by endpoint and reason.");
        _mirrored = _meter.CreateCounter<long>("scoregate.mirror.requests", "{request}",
            "Copies of live requests for mirror deployments, by outcome: answered, model_error, failed, or skipped (too large, too many out, or no free instance).");
        _handshakes = _meter.CreateCounter<long>("scoregate.tls.handshakes", "{handshake}", "TLS handshakes completed, by protocol.");
        _meter.CreateObservableGauge("scoregate.requests.in_flight", () => PerDeployment(routes, d => d.Instances.Sum(i => i.Outstanding)), "{request}",
            "Requests being answered by a deployment's instances now.");
        _meter.CreateObservableGauge("scoregate.requests.queued", () => PerDeployment(routes, d => d.Pool.Queued), "{request}",
            "Requests waiting for a free instance now.");
        _meter.CreateObservableGauge("scoregate.instance.ready", () => PerInstance(routes), "1",
            "1 while an instance is ready and not ejected after failed connections, else 0.");
        _meter.CreateObservableGauge("scoregate.certificate.not_after", () => NotAfter(certificates), "s",
            "When each served certificate expires, in seconds since the Unix epoch.");
        if (oidc is not null)
        {
            _meter.CreateObservableGauge("scoregate.oidc.metadata.up", () => oidc.Outage is null && oidc.Current is not null ? 1 : 0, "1",
                "1 while the OpenID Connect provider's metadata and keys were fetched at the last attempt; 0 before the first fetch and during an outage (cached keys still verify; see /healthz).");
        }
    }

    public void RequestAnswered(string? endpoint, string? deployment, int status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "endpoint", endpoint ?? string.Empty },
            { "deployment", deployment ?? string.Empty },
        };
        _duration.Record(elapsed.TotalSeconds, tags);
        tags.Add("status", (uint)status < (uint)StatusTexts.Length ? StatusTexts[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _requests.Add(1, tags);
    }

    /// <param name="reason">A fixed word (<c>missing</c>, <c>invalid</c>, <c>expired</c>, <c>public_network</c>, ...; docs/observability.md lists them), never caller input.</param>
    public void AuthFailed(string endpoint, string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("reason", reason));

    public void Mirrored(string endpoint, string deployment, string outcome) =>
        _mirrored.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("deployment", deployment), new KeyValuePair<string, object?>("outcome", outcome));

    public void HandshakeCompleted(SslProtocols protocol) =>
        _handshakes.Add(1, new KeyValuePair<string, object?>("protocol", protocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            _ => protocol.ToString(),
        }));

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> PerDeployment(RouteTableHolder routes, Func<DeploymentRoute, int> value) =>
        from endpoint in routes.Current.Endpoints
        from deployment in endpoint.Deployments
        select new Measurement<int>(value(deployment), new("endpoint", endpoint.Name), new("deployment", deployment.Name));

    private static IEnumerable<Measurement<int>> PerInstance(RouteTableHolder routes)
    {
        var now = Environment.TickCount64;
        return from endpoint in routes.Current.Endpoints
               from deployment in endpoint.Deployments
               from instance in deployment.Instances
               select new Measurement<int>(instance.Ready && !instance.IsEjected(now) ? 1 : 0,
                   new("endpoint", endpoint.Name), new("deployment", deployment.Name), new("instance", instance.Url.ToString()));
    }

    private static IEnumerable<Measurement<long>> NotAfter(CertificateSelector certificates)
    {
        var snapshot = certificates.Current;
        foreach (var binding in snapshot.HostBindings.Prepend(snapshot.Default).OfType<TlsBinding>())
        {
            var notAfter = new DateTimeOffset(binding.Certificate.Leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds();
            yield return new Measurement<long>(notAfter, new KeyValuePair<string, object?>("host", binding.HostName ?? DefaultHost));
        }
    }
}
