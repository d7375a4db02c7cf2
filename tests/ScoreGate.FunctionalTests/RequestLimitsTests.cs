using System.Net;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Request settings enforced per deployment (DESIGN.md §4): concurrency per instance with a
/// bounded queue (429), the request timeout (408), client hang-ups that cancel the model's work,
/// model errors (424), and passive ejection of an instance that cannot be reached.
/// </summary>
public sealed class RequestLimitsTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task OneAtATime_SlowModel_TenAtOnce_OneServed_NineRefused429BeforeItFinishes()
    {
        await using var model = await FakeModel.StartAsync("slow");
        var key = await CreateAsync("limit", model.Url, timeoutMs: 10_000, concurrent: 1, queueWaitMs: 200);
        using var client = fixture.CreateClient();

        var requests = Enumerable.Range(0, 10).Select(async _ =>
        {
            var response = await ScoreAsync(client, "limit", key, (FakeModel.DelayHeader, "1000"));
            return (response, finished: DateTime.UtcNow);
        }).ToList();
        var results = await Task.WhenAll(requests);

        var served = Assert.Single(results, r => r.response.StatusCode == HttpStatusCode.OK);
        var refused = results.Where(r => r.response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(9, refused.Count);
        Assert.All(refused, r => Assert.True(r.finished < served.finished, "a 429 waited for the slow answer"));
        Assert.Equal(
            "Deployment 'blue' is busy: its 1 instance(s) each take 1 request(s) at a time (request_settings.max_concurrent_requests_per_instance) " +
            "and none came free within 200 ms (max_queue_wait_ms). Retry with backoff, or raise instance_count or those limits.",
            await MessageAsync(refused[0].response));
        Assert.Equal(1, model.MaxInFlight);
        Assert.Equal(1, model.RequestCount);
    }

    [Fact]
    public async Task OneAtATime_QueueLongEnough_AllServed_ModelNeverSeesTwoAtOnce()
    {
        await using var model = await FakeModel.StartAsync("queued");
        var key = await CreateAsync("queue", model.Url, timeoutMs: 10_000, concurrent: 1, queueWaitMs: 30_000);
        using var client = fixture.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ScoreAsync(client, "queue", key, (FakeModel.DelayHeader, "50"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, model.MaxInFlight);
        Assert.Equal(10, model.RequestCount);
    }

    [Fact]
    public async Task ModelSlowerThanTheTimeout_Returns408_AndTheModelSeesTheCancellation()
    {
        await using var model = await FakeModel.StartAsync("sleepy");
        var key = await CreateAsync("timeout", model.Url, timeoutMs: 300, concurrent: 1, queueWaitMs: 500);
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "timeout", key, (FakeModel.DelayHeader, "30000"));

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("Deployment 'blue' did not answer within its request timeout of 300 ms (request_settings.request_timeout_ms).", await MessageAsync(response));
        await Eventually.TrueAsync(() => model.CancelledCount == 1, "the model did not see its request cancelled");
    }

    [Fact]
    public async Task TimeoutWhileTheBodyIsStillComing_Is408_NotBlamedOnTheClient()
    {
        // The body's start passes the prebuffer, then the client pauses (well within the body-rate
        // grace period): the request timeout runs out while the router waits for more of the body.
        await using var model = await FakeModel.StartAsync("waiting");
        var key = await CreateAsync("paused", model.Url, timeoutMs: 1000, concurrent: 1, queueWaitMs: 500);
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/paused/score") { Content = new PausingContent(TimeSpan.FromSeconds(3)) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("Deployment 'blue' did not answer within its request timeout of 1000 ms (request_settings.request_timeout_ms).", await MessageAsync(response));
    }

    /// <summary>128 KiB at once, a pause, then 1 KiB more (chunked: no Content-Length).</summary>
    private sealed class PausingContent(TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(new byte[128 * 1024]);
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(new byte[1024]);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task ClientHangsUp_TheForwardedRequestIsCancelled()
    {
        await using var model = await FakeModel.StartAsync("abandoned");
        var key = await CreateAsync("hangup", model.Url, timeoutMs: 60_000, concurrent: 1, queueWaitMs: 500);
        using var client = fixture.CreateClient();
        using var hangUp = new CancellationTokenSource();

        var scoring = ScoreAsync(client, "hangup", key, hangUp.Token, (FakeModel.DelayHeader, "60000"));
        await Eventually.TrueAsync(() => model.InFlight == 1, "the request did not reach the model");
        await hangUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scoring);
        await Eventually.TrueAsync(() => model.CancelledCount == 1, "the model kept working for a client that had gone");
        // Its slot is free again: the next request is served, not queued behind a ghost.
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "hangup", key)).StatusCode);
    }

    [Fact]
    public async Task ModelAnswersNon2xx_Returns424_WithTheModelsStatusAndBody()
    {
        await using var model = await FakeModel.StartAsync("broken");
        var key = await CreateAsync("modelerror", model.Url, timeoutMs: 5000, concurrent: 1, queueWaitMs: 500);
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "modelerror", key, (FakeModel.StatusHeader, "500"));

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        Assert.Equal("500", response.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
        Assert.Equal("Internal Server Error", response.Headers.GetValues("ms-azureml-model-error-reason").Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("broken failed on purpose", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OneOfTwoInstancesUnreachable_IsEjected_AtMostOneRequestFails()
    {
        await using var model = await FakeModel.StartAsync("survivor");
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        var key = await CreateAsync("eject", [dead, model.Url], timeoutMs: 5000, concurrent: 4, queueWaitMs: 500);
        using var client = fixture.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((await ScoreAsync(client, "eject", key)).StatusCode);
        }

        Assert.True(statuses.Count(s => s == HttpStatusCode.BadGateway) <= 1, string.Join(", ", statuses));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 19, string.Join(", ", statuses));
    }

    [Fact]
    public async Task KubernetesProfile_Timeout504_ModelError502_WithTheModelsStatus()
    {
        await using var model = await FakeModel.StartAsync("aks");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--compatibilityProfile", "kubernetes"]);
        var key = await CreateAsync(router, "k8s", [model.Url], timeoutMs: 300, concurrent: 2, queueWaitMs: 500);
        using var client = new HttpClient { BaseAddress = router.HttpBase };

        var timedOut = await ScoreAsync(client, "k8s", key, (FakeModel.DelayHeader, "30000"));
        var failed = await ScoreAsync(client, "k8s", key, (FakeModel.StatusHeader, "503"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("503", failed.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
    }

    private Task<string> CreateAsync(string endpoint, string url, int timeoutMs, int concurrent, int queueWaitMs) =>
        CreateAsync(endpoint, [url], timeoutMs, concurrent, queueWaitMs);

    /// <summary>An endpoint whose one deployment, blue, has these request settings (through the admin API).</summary>
    private Task<string> CreateAsync(string endpoint, string[] urls, int timeoutMs, int concurrent, int queueWaitMs) =>
        CreateAsync(fixture.Router, endpoint, urls, timeoutMs, concurrent, queueWaitMs);

    private static async Task<string> CreateAsync(RouterProcess router, string endpoint, string[] urls, int timeoutMs, int concurrent, int queueWaitMs)
    {
        var (primary, _) = await router.CreateEndpointAsync(endpoint);
        await router.ExpectSuccessAsync(["deployment", "create", "--endpoint", endpoint, "--name", "blue", .. urls.SelectMany(u => new[] { "--url", u })]);
        await router.SetRequestSettingsAsync(endpoint, "blue", timeoutMs, concurrent, queueWaitMs);
        await router.ExpectSuccessAsync("endpoint", "update", "--name", endpoint, "--traffic", "blue=100");
        return primary;
    }
}
