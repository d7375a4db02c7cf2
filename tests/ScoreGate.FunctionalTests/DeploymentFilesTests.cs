using System.Net;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Azure ML endpoint and deployment files through the CLI (<c>-f</c>): the samples are accepted
/// unchanged and drive a safe rollout (mirror, then split); broken files and broken references
/// are refused at their line and change nothing.
/// </summary>
public sealed class DeploymentFilesTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    private static readonly string Samples = Path.Combine(RepositoryPaths.Root, "samples", "online-endpoint");

    [Fact]
    public async Task Samples_AcceptedUnchanged_MirrorThenSplit_AsAzureMlSafeRollout()
    {
        await using var blue = await FakeModel.StartAsync("blue");
        await using var green = await FakeModel.StartAsync("green");
        var router = fixture.Router;
        await router.ExpectSuccessAsync("endpoint", "create", "-f", Sample("endpoint.yml"));
        var blueCreated = await router.ExpectSuccessAsync("deployment", "create", "-f", Sample("blue-deployment.yml"));
        await router.ExpectSuccessAsync("deployment", "create", "-f", Sample("green-deployment.yml"));
        await router.ExpectSuccessAsync("endpoint", "update", "-f", Sample("endpoint-mirror.yml"));

        Assert.Contains($"note: {Sample("blue-deployment.yml")}:9: model: is not loaded by ScoreGate: backend says where the model runs.", blueCreated.StandardError, StringComparison.Ordinal);
        using (var shown = JsonDocument.Parse((await router.ExpectSuccessAsync("endpoint", "show", "--name", "iris-endpoint")).StandardOutput))
        {
            Assert.Equal(100, shown.RootElement.GetProperty("traffic").GetProperty("blue").GetInt32());
            Assert.Equal(10, shown.RootElement.GetProperty("mirror_traffic").GetProperty("green").GetInt32());
            Assert.Equal("data-science", shown.RootElement.GetProperty("tags").GetProperty("team").GetString());
        }

        using (var shown = JsonDocument.Parse((await router.ExpectSuccessAsync("deployment", "show", "--endpoint", "iris-endpoint", "--name", "green")).StandardOutput))
        {
            Assert.Equal(2, shown.RootElement.GetProperty("request_settings").GetProperty("max_concurrent_requests_per_instance").GetInt32());
            Assert.Equal("/health", shown.RootElement.GetProperty("readiness_probe").GetProperty("path").GetString());
        }

        // The samples point at ports 5001-5003; for real traffic the deployments move to this test's models.
        await router.ExpectSuccessAsync("deployment", "update", "--endpoint", "iris-endpoint", "--name", "blue", "--url", blue.Url);
        await router.ExpectSuccessAsync("deployment", "update", "--endpoint", "iris-endpoint", "--name", "green", "--url", green.Url);
        var (key, _) = await KeysAsync("iris-endpoint");
        using var client = fixture.CreateClient();
        // Green has a readiness probe: copies go to it once it has passed.
        await Eventually.TrueAsync(async () => (await router.ScrapeMetricsAsync()).Value("scoregate_instance_ready", ("deployment", "green"), ("instance", new Uri(green.Url).ToString())) == 1,
            "green never became ready");

        // Pinned requests are never mirrored.
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "iris-endpoint", key, ("azureml-model-deployment", "blue"))).StatusCode);
        }

        Assert.Equal(0, green.RequestCount);

        // About 10 % are copied to green; every answer comes from blue.
        for (var i = 0; i < 1000; i++)
        {
            var response = await ScoreAsync(client, "iris-endpoint", key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("blue", response.Headers.GetValues("azureml-model-deployment").Single());
        }

        await Eventually.TrueAsync(() => green.InFlight == 0 && green.RequestCount >= 53, $"green got {green.RequestCount} copies");
        // ±5 standard deviations of Binomial(1000, 0.1).
        Assert.InRange(green.RequestCount, 53, 147);

        // A mirror that fails changes nothing for callers.
        await green.StopAsync();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "iris-endpoint", key)).StatusCode);
        }

        await router.ExpectSuccessAsync("endpoint", "update", "-f", Sample("endpoint-split.yml"));
        using var split = JsonDocument.Parse((await router.ExpectSuccessAsync("endpoint", "show", "--name", "iris-endpoint")).StandardOutput);
        Assert.Equal(10, split.RootElement.GetProperty("traffic").GetProperty("green").GetInt32());
        Assert.Empty(split.RootElement.GetProperty("mirror_traffic").EnumerateObject());
    }

    [Fact]
    public async Task DeploymentFile_ForAnEndpointThatDoesNotExist_IsRefusedAtEndpointName_AndChangesNothing()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("orphan.yml", "name: orphan\nendpoint_name: nowhere\nbackend:\n  urls: [http://127.0.0.1:5001]\n");

        var run = await fixture.Router.CliAsync("deployment", "create", "-f", file);

        run.ExpectExitCode(1);
        Assert.Equal(
            $"error: {file}:2: endpoint_name: Endpoint 'nowhere' does not exist. See 'scoregate endpoint list' for the endpoints there are.",
            run.StandardError.Trim());
    }

    [Fact]
    public async Task EndpointFile_TrafficToAnUnknownDeployment_IsRefusedAtTraffic_AndTheSplitStays()
    {
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("filed", "blue=100", ("blue", fixture.Blue.Url));
        using var dir = new TempDirectory();
        var file = dir.Write("filed.yml", "name: filed\ntraffic:\n  blue: 50\n  purple: 50\n");

        var run = await fixture.Router.CliAsync("endpoint", "update", "-f", file);

        run.ExpectExitCode(1);
        Assert.Equal(
            $"error: {file}:2: traffic: Endpoint 'filed': traffic names deployment 'purple', which endpoint 'filed' does not have (it has blue).",
            run.StandardError.Trim());
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "filed", key)).StatusCode);
    }

    [Fact]
    public async Task BrokenFile_EveryProblemPrintedWithItsLine_NothingSent()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("broken.yml", "name: broken\nendpoint_name: iris-endpoint\ninstance_count: lots\nbackend:\n  urls: [http://127.0.0.1:5001]\nrequest_settings:\n  max_queue_wait: 10\n");

        var run = await fixture.Router.CliAsync("deployment", "create", "-f", file);

        run.ExpectExitCode(1);
        Assert.Equal(
            [
                $"error: {file}:3: instance_count: 'lots' is not a whole number.",
                $"error: {file}:7: request_settings.max_queue_wait: is not a known field. Did you mean 'max_queue_wait_ms'? Known here: max_concurrent_requests_per_instance, max_queue_wait_ms, request_timeout_ms.",
            ],
            run.StandardError.Trim().Split('\n'));
        Assert.Equal(1, (await fixture.Router.CliAsync("deployment", "show", "--endpoint", "iris-endpoint", "--name", "broken")).ExitCode);
    }

    [Fact]
    public async Task FileAndUrlFlagTogether_AreRefused()
    {
        var run = await fixture.Router.CliAsync("deployment", "create", "-f", Sample("blue-deployment.yml"), "--url", "http://127.0.0.1:5009");

        run.ExpectExitCode(1);
        Assert.Equal($"error: --url cannot be combined with -f {Sample("blue-deployment.yml")}: put the value in the file instead.", run.StandardError.Trim());
    }

    private static string Sample(string name) => Path.Combine(Samples, name);

    private async Task<(string Primary, string Secondary)> KeysAsync(string endpoint)
    {
        using var json = JsonDocument.Parse((await fixture.Router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", endpoint)).StandardOutput);
        return (json.RootElement.GetProperty("primaryKey").GetString()!, json.RootElement.GetProperty("secondaryKey").GetString()!);
    }
}
