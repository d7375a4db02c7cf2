using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary><c>GET /metrics</c> on the admin listener, read as a Prometheus scraper would, and the access log.</summary>
public sealed class MetricsTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task Metrics_ParseAsPrometheusText_AndMoveWithTraffic()
    {
        await using var model = await FakeModel.StartAsync("counted");
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("metered", "blue=100", ("blue", model.Url));
        using var client = fixture.CreateClient();
        var before = await ScrapeAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "metered", key)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await ScoreAsync(client, "metered", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.FailedDependency, (await ScoreAsync(client, "metered", key, (FakeModel.StatusHeader, "500"))).StatusCode);
        var after = await ScrapeAsync();

        Assert.Equal(5, Delta("scoregate_requests_total", ("endpoint", "metered"), ("deployment", "blue"), ("status", "200")));
        Assert.Equal(1, Delta("scoregate_requests_total", ("endpoint", "metered"), ("status", "401")));
        Assert.Equal(1, Delta("scoregate_requests_total", ("endpoint", "metered"), ("deployment", "blue"), ("status", "424")));
        Assert.Equal(1, Delta("scoregate_auth_failures_total", ("endpoint", "metered"), ("reason", "invalid")));
        Assert.Equal(6, Delta("scoregate_request_duration_seconds_count", ("endpoint", "metered"), ("deployment", "blue")));
        Assert.Equal(1, after.Value("scoregate_instance_ready", ("endpoint", "metered"), ("deployment", "blue")));
        Assert.Equal(0, after.Value("scoregate_requests_in_flight", ("endpoint", "metered"), ("deployment", "blue")));
        Assert.True(after.Value("scoregate_tls_handshakes_total", ("protocol", "TLSv1.3")) >= 1);

        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(fixture.CertificateFile));
        Assert.Equal(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), after.Value("scoregate_certificate_not_after_seconds", ("host", "localhost")));

        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
    }

    [Fact]
    public async Task Metrics_InFlightAndQueued_ShowRequestsBeingServedAndWaiting()
    {
        await using var model = await FakeModel.StartAsync("busy");
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("gauged", "blue=100", ("blue", model.Url));
        using var client = fixture.CreateClient();

        // One at a time (the default): the second request waits in the queue, up to 500 ms.
        var slow = ScoreAsync(client, "gauged", key, (FakeModel.DelayHeader, "3000"));
        await Eventually.TrueAsync(() => model.InFlight == 1, "the slow request did not reach the model");
        var queued = ScoreAsync(client, "gauged", key);
        PrometheusText.Scrape? seen = null;
        await Eventually.TrueAsync(async () =>
        {
            seen = await ScrapeAsync();
            return seen.Value("scoregate_requests_queued", ("endpoint", "gauged")) == 1 || queued.IsCompleted;
        }, "the queued request never showed");

        Assert.Equal(1, seen!.Value("scoregate_requests_in_flight", ("endpoint", "gauged"), ("deployment", "blue")));
        Assert.Equal(1, seen.Value("scoregate_requests_queued", ("endpoint", "gauged"), ("deployment", "blue")));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await queued).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await slow).StatusCode);
    }

    [Fact]
    public async Task AccessLog_Json_OneLinePerScoringRequest_WithoutKeysOrQuery()
    {
        await using var model = await FakeModel.StartAsync("logged");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--accessLog", "true", "--logFormat", "json"]);
        var (key, _) = await router.CreateServedEndpointAsync("audited", "blue=100", ("blue", model.Url));
        using var client = new HttpClient { BaseAddress = router.HttpBase };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/audited/score?token=secret-in-query") { Content = Json("{}") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("x-request-id", "trace-me");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        var line = await router.Process.WaitForLineAsync(l => l.Contains("trace-me", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        using var json = JsonDocument.Parse(line);
        var state = json.RootElement.GetProperty("State");
        Assert.Equal("POST", state.GetProperty("Method").GetString());
        Assert.Equal("/api/v1/service/audited/score", state.GetProperty("Path").GetString());
        Assert.Equal(200, state.GetProperty("Status").GetInt32());
        Assert.Equal("audited", state.GetProperty("Endpoint").GetString());
        Assert.Equal("blue", state.GetProperty("Deployment").GetString());
        Assert.DoesNotContain(key, router.Process.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-in-query", router.Process.AllOutput, StringComparison.Ordinal);
    }

    private Task<PrometheusText.Scrape> ScrapeAsync() => fixture.Router.ScrapeMetricsAsync();
}
