using System.Net;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>Metrics count from the router's start, not from the first scrape of <c>GET /metrics</c>.</summary>
public sealed class MetricsFromStartTests
{
    [Fact]
    public async Task RequestsBeforeTheFirstScrape_AreInTheFirstScrape()
    {
        await using var model = await FakeModel.StartAsync("early");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
        var (key, _) = await router.CreateServedEndpointAsync("early", "blue=100", ("blue", model.Url));
        using var client = new HttpClient { BaseAddress = router.HttpBase };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "early", key)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await ScoreAsync(client, "early", "wrong")).StatusCode);
        var first = await router.ScrapeMetricsAsync();

        Assert.Equal(3, first.Value("scoregate_requests_total", ("endpoint", "early"), ("deployment", "blue"), ("status", "200")));
        Assert.Equal(1, first.Value("scoregate_auth_failures_total", ("endpoint", "early"), ("reason", "invalid")));
    }
}
