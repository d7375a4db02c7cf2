using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>Scoring through the router: keys, statuses, traffic split, pinning, forwarding.</summary>
public sealed class ScoringTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    private const string Body = """{"data": [[5.1, 3.5, 1.4, 0.2]]}""";

    [Fact]
    public async Task Score_WithoutKey_Returns401NamingTheFix()
    {
        await fixture.Router.CreateServedEndpointAsync("nokey", "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();
        var modelRequestsBefore = fixture.Blue.RequestCount;

        var response = await client.PostAsync("/api/v1/service/nokey/score", Json(Body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "Endpoint 'nokey' needs a key: send 'Authorization: Bearer <key>' with its primary or secondary key (scoregate endpoint get-credentials --name nokey).",
            await MessageAsync(response));
        Assert.Equal(modelRequestsBefore, fixture.Blue.RequestCount);
    }

    [Fact]
    public async Task Score_PrimaryOrSecondaryKey_ReturnsTheModelsAnswer()
    {
        var (primary, secondary) = await fixture.Router.CreateServedEndpointAsync("bothkeys", "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();

        foreach (var key in new[] { primary, secondary })
        {
            var response = await ScoreAsync(client, "bothkeys", key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("blue", response.Headers.GetValues("azureml-model-deployment").Single());
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("blue", answer.RootElement.GetProperty("model").GetString());
            Assert.Equal("/score", answer.RootElement.GetProperty("path").GetString());
            Assert.Equal(Body, answer.RootElement.GetProperty("body").GetString());
        }
    }

    [Fact]
    public async Task RegeneratePrimaryKey_OldPrimaryRefused_SecondaryStillWorks()
    {
        var (primary, secondary) = await fixture.Router.CreateServedEndpointAsync("rotate", "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "rotate", primary)).StatusCode);

        var regenerated = await fixture.Router.ExpectSuccessAsync("endpoint", "regenerate-keys", "--name", "rotate", "--key-type", "primary");
        using var keys = JsonDocument.Parse(regenerated.StandardOutput);
        var newPrimary = keys.RootElement.GetProperty("primaryKey").GetString()!;

        var old = await ScoreAsync(client, "rotate", primary);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal("The key given is not valid for endpoint 'rotate'. Use its current primary or secondary key (scoregate endpoint get-credentials --name rotate).", await MessageAsync(old));
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "rotate", secondary)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "rotate", newPrimary)).StatusCode);
        Assert.NotEqual(primary, newPrimary);
        Assert.Equal(secondary, keys.RootElement.GetProperty("secondaryKey").GetString());
    }

    [Fact]
    public async Task Score_UnknownEndpoint_Returns404()
    {
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "does-not-exist", "any");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Endpoint 'does-not-exist' does not exist.", await MessageAsync(response));
    }

    [Fact]
    public async Task Score_EndpointWithoutTraffic_Returns404SayingHowToSetIt()
    {
        var (primary, _) = await fixture.Router.CreateEndpointAsync("notraffic", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "notraffic", primary);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Endpoint 'notraffic' sends no traffic to any deployment. Give one traffic: scoregate endpoint update --name notraffic --traffic <deployment>=100", await MessageAsync(response));
    }

    [Fact]
    public async Task TrafficSplit_NinetyTen_OverThousandRequests_LandsWithinTolerance()
    {
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("split", "blue=90,green=10", ("blue", fixture.Blue.Url), ("green", fixture.Green.Url));
        using var client = fixture.CreateClient();
        var counts = new Dictionary<string, int> { ["blue"] = 0, ["green"] = 0 };

        for (var i = 0; i < 1000; i++)
        {
            var response = await ScoreAsync(client, "split", primary);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            counts[response.Headers.GetValues("azureml-model-deployment").Single()]++;
        }

        // Green's count is Binomial(1000, 0.1): mean 100, standard deviation 9.5. ±47 is five
        // standard deviations: a correct router fails this less than once in a million runs,
        // while a split off by 5 points (50/150) fails it.
        Assert.InRange(counts["green"], 53, 147);
        Assert.Equal(1000, counts["blue"] + counts["green"]);
    }

    [Fact]
    public async Task ModelDeploymentHeader_PinsTheNamedDeployment()
    {
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("pinned", "blue=100", ("blue", fixture.Blue.Url), ("green", fixture.Green.Url));
        using var client = fixture.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            var response = await ScoreAsync(client, "pinned", primary, ("azureml-model-deployment", "green"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("green", response.Headers.GetValues("azureml-model-deployment").Single());
        }

        var unknown = await ScoreAsync(client, "pinned", primary, ("azureml-model-deployment", "purple"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Deployment 'purple' (from the azureml-model-deployment header) does not exist on endpoint 'pinned'.", await MessageAsync(unknown));
    }

    [Fact]
    public async Task StoppedModel_Returns502WithinASecond()
    {
        await using var doomed = await FakeModel.StartAsync("doomed");
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("stopped", "doomed=100", ("doomed", doomed.Url));
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "stopped", primary)).StatusCode);

        await doomed.StopAsync();
        var clock = Stopwatch.StartNew();
        var response = await ScoreAsync(client, "stopped", primary);
        clock.Stop();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Deployment 'doomed' could not be reached.", await MessageAsync(response));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"502 took {clock.Elapsed}");
    }

    [Fact]
    public async Task ForwardedRequest_KeepsKeyFromModel_AndCarriesForwardingAndRequestIds()
    {
        await using var model = await FakeModel.StartAsync("headers");
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("headers", "headers=100", ("headers", model.Url));
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "headers", primary, ("x-request-id", "req-42"), ("x-ms-client-request-id", "client-7"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("req-42", response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("client-7", response.Headers.GetValues("x-ms-client-request-id").Single());
        var received = Assert.Single(model.ReceivedHeaders);
        Assert.False(received.ContainsKey("Authorization"));
        Assert.Equal("127.0.0.1", received["X-Forwarded-For"]);
        Assert.Equal("https", received["X-Forwarded-Proto"]);
        Assert.Equal($"localhost:{fixture.Router.HttpsPort}", received["X-Forwarded-Host"]);
        Assert.Equal("req-42", received["x-request-id"]);
    }

    [Fact]
    public async Task RequestWithoutId_GetsAUuid_SeenByTheModel_AndEveryHeaderLineComesBack()
    {
        await using var model = await FakeModel.StartAsync("noid");
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("noid", "noid=100", ("noid", model.Url));
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "noid", primary, (FakeModel.EchoHeader, "one, two"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.Equal(4, Guid.Parse(requestId).Version);
        Assert.Equal(requestId, Assert.Single(model.ReceivedHeaders)["x-request-id"]);
        Assert.Equal(["one", "two"], response.Headers.GetValues(FakeModel.EchoHeader));
    }

    [Fact]
    public async Task RequestIdOver128Characters_IsReplacedWithAUuid()
    {
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("longid", "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();

        var kept = await ScoreAsync(client, "longid", primary, ("x-request-id", new string('r', 128)));
        var replaced = await ScoreAsync(client, "longid", primary, ("x-request-id", new string('r', 129)));

        Assert.Equal(new string('r', 128), kept.Headers.GetValues("x-request-id").Single());
        Assert.Equal(4, Guid.Parse(replaced.Headers.GetValues("x-request-id").Single()).Version);
    }

    [Fact]
    public async Task RequestBody_IsStreamedToTheModel_NotBufferedFirst()
    {
        await using var model = await FakeModel.StartAsync("streamed");
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("streamed", "streamed=100", ("streamed", model.Url));
        using var client = fixture.CreateClient();
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/streamed/score")
        {
            Content = new HeldBackContent(new string('x', 64 * 1024), "-end", rest.Task),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", primary);

        var sending = client.SendAsync(request);
        // A router that buffered the body would not call the model before the body ends.
        await Eventually.TrueAsync(() => !model.ReceivedHeaders.IsEmpty, "The model was not called while the body was still being sent");
        Assert.False(sending.IsCompleted);
        rest.SetResult();
        var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("body").GetString();
        Assert.Equal((64 * 1024) + 4, body?.Length);
        Assert.EndsWith("-end", body, StringComparison.Ordinal);
    }

    /// <summary>A body of unknown length whose end is sent only once the test allows it.</summary>
    private sealed class HeldBackContent(string first, string last, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(last));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Fact]
    public async Task Swagger_IsForwardedToTheModel()
    {
        var (primary, _) = await fixture.Router.CreateServedEndpointAsync("swagger", "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/service/swagger/swagger.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", primary);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"path\":\"/swagger.json\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AuthModeNone_ScoresWithoutKey()
    {
        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "--name", "open", "--auth-mode", "none");
        await fixture.Router.ExpectSuccessAsync("deployment", "create", "--endpoint", "open", "--name", "blue", "--url", fixture.Blue.Url);
        await fixture.Router.ExpectSuccessAsync("endpoint", "update", "--name", "open", "--traffic", "blue=100");
        using var client = fixture.CreateClient();

        var response = await client.PostAsync("/api/v1/service/open/score", Json(Body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    internal static Task<HttpResponseMessage> ScoreAsync(HttpClient client, string endpoint, string key, params (string Name, string Value)[] headers) =>
        ScoreAsync(client, endpoint, key, CancellationToken.None, headers);

    internal static async Task<HttpResponseMessage> ScoreAsync(HttpClient client, string endpoint, string key, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/service/{endpoint}/score") { Content = Json(Body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await client.SendAsync(request, cancellationToken);
    }

    internal static async Task<string?> MessageAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("message").GetString();
    }
}
