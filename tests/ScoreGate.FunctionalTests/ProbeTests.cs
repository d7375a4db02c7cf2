using System.Net;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>Readiness probes decide which instances take requests; none ready gives 503.</summary>
public sealed class ProbeTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task ReadinessProbe_FailingInstance_TakesNoRequests_AllFailing_503_BackWhenHealthy()
    {
        await using var a = await FakeModel.StartAsync("a");
        await using var b = await FakeModel.StartAsync("b");
        using var dir = new TempDirectory();
        var file = dir.Write("probed.yml", $"""
            name: blue
            endpoint_name: probed
            request_settings:
              max_concurrent_requests_per_instance: 4
            readiness_probe:
              path: /health
              initial_delay: 0
              period: 1
              failure_threshold: 1
            backend:
              urls: [{a.Url}, {b.Url}]
            """);
        var (key, _) = await fixture.Router.CreateEndpointAsync("probed");
        await fixture.Router.ExpectSuccessAsync("deployment", "create", "-f", file);
        await fixture.Router.ExpectSuccessAsync("endpoint", "update", "--name", "probed", "--traffic", "blue=100");
        using var client = fixture.CreateClient();

        // Both pass their first probe, then share the requests.
        await Eventually.TrueAsync(async () => (await ScoreAsync(client, "probed", key)).StatusCode == HttpStatusCode.OK, "no instance became ready");
        await Eventually.TrueAsync(() => a.HealthChecks >= 1 && b.HealthChecks >= 1, "the instances were not probed");

        // B fails its probe: once the router has seen that, B gets nothing.
        b.Healthy = false;
        var checksAtFailure = b.HealthChecks;
        await Eventually.TrueAsync(() => b.HealthChecks >= checksAtFailure + 2, "B was not probed again");
        var bBefore = b.RequestCount;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "probed", key)).StatusCode);
        }

        Assert.Equal(bBefore, b.RequestCount);

        // Neither ready: 503 that names the deployment.
        a.Healthy = false;
        HttpResponseMessage? refused = null;
        await Eventually.TrueAsync(async () => (refused = await ScoreAsync(client, "probed", key)).StatusCode == HttpStatusCode.ServiceUnavailable, "requests were still served");
        Assert.Equal(
            "Deployment 'blue' has no ready instance: none of its 2 passes its probes. The endpoint's operator sees why with 'scoregate deployment show'.",
            await MessageAsync(refused!));

        // Healthy again: both serve.
        a.Healthy = true;
        b.Healthy = true;
        await Eventually.TrueAsync(async () => (await ScoreAsync(client, "probed", key)).StatusCode == HttpStatusCode.OK, "no instance came back");
        var bAfter = b.RequestCount;
        await Eventually.TrueAsync(async () =>
        {
            await ScoreAsync(client, "probed", key);
            return b.RequestCount > bAfter;
        }, "B did not come back");
        Assert.Contains("fails its readiness probe (GET ", fixture.Router.Process.AllOutput, StringComparison.Ordinal);
    }
}
