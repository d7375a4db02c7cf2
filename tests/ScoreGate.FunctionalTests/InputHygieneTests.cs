using System.Net;
using System.Net.Http.Headers;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Hostile values in requests are answered cleanly: request ids with control characters never
/// make a 500, spoofable headers never reach the model, the 308 only names hosts the router
/// serves, and names are matched whole.
/// </summary>
public sealed class InputHygieneTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/v1/service/hygiene/score")]
    public async Task RequestIdWithControlCharacter_IsReplacedWithAUuid_NeverA500(string path)
    {
        var key = await EndpointAsync();

        var response = await SendRawTlsAsync(path, key, "x-request-id: abc\u0001def");

        Assert.Equal(200, response.Status);
        Assert.Equal(4, Guid.Parse(response.Header("x-request-id")!).Version);
        await AssertStillScoresAsync(key);
    }

    [Theory]
    [InlineData("/", "x-ms-request-id")]
    [InlineData("/", "x-ms-client-request-id")]
    [InlineData("/api/v1/service/hygiene/score", "x-ms-request-id")]
    [InlineData("/api/v1/service/hygiene/score", "x-ms-client-request-id")]
    public async Task MsRequestIdWithControlCharacter_IsNotEchoed_NeverA500(string path, string header)
    {
        var key = await EndpointAsync();

        var response = await SendRawTlsAsync(path, key, $"{header}: abc\u007fdef");

        Assert.Equal(200, response.Status);
        Assert.Null(response.Header(header));
        await AssertStillScoresAsync(key);
    }

    [Fact]
    public async Task ForwardedAndConnectionNamedHeaders_DoNotReachTheModel()
    {
        await using var model = await FakeModel.StartAsync("spoofed");
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("spoof", "blue=100", ("blue", model.Url));
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/spoof/score") { Content = Json("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Forwarded", "for=10.6.6.6;proto=https");
        request.Headers.Add("X-Real-IP", "10.6.6.6");
        request.Headers.Add("X-Original-URL", "/admin");
        request.Headers.Add("X-Rewrite-URL", "/admin");
        request.Headers.Connection.Add("x-hop-secret");
        request.Headers.Add("x-hop-secret", "for the next hop only");
        request.Headers.Add("x-kept", "yes");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(model.ReceivedHeaders);
        foreach (var stripped in new[] { "Forwarded", "X-Real-IP", "X-Original-URL", "X-Rewrite-URL", "x-hop-secret" })
        {
            Assert.False(received.ContainsKey(stripped), $"{stripped} reached the model");
        }

        Assert.Equal("yes", received["x-kept"]);
        Assert.Equal("127.0.0.1", received["X-Forwarded-For"]);
    }

    [Fact]
    public async Task PlainHttp_HostTheRouterDoesNotServe_Gets400NamingTheHostToUse_NotARedirect()
    {
        await using var connection = await RawHttp.ConnectAsync(fixture.Router.HttpPort);
        await connection.SendAsync("GET /api/v1/service/iris/score HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");

        var response = await connection.ReadToCloseAsync();

        Assert.Equal(400, response.Status);
        Assert.Null(response.Header("Location"));
        Assert.Equal(
            $"Host 'evil.example' is not a name this router serves over HTTPS, so it is not redirected there. Use https://localhost:{fixture.Router.HttpsPort}/.",
            response.Message());
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var served = await plain.GetAsync(new Uri($"http://localhost:{fixture.Router.HttpPort}/x?y=1"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, served.StatusCode);
        Assert.Equal($"https://localhost:{fixture.Router.HttpsPort}/x?y=1", served.Headers.Location?.ToString());
        await AssertStillScoresAsync(await EndpointAsync());
    }

    [Fact]
    public async Task EndpointNameWithTrailingNewline_IsNotTheEndpoint()
    {
        var key = await EndpointAsync();
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/hygiene%0A/score") { Content = Json("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Endpoint 'hygiene\n' does not exist.", await MessageAsync(response));
        await AssertStillScoresAsync(key);
    }

    private string? _key;

    /// <summary>Endpoint "hygiene" on the fixture's blue model, made once per class.</summary>
    private async Task<string> EndpointAsync()
    {
        if (_key is null)
        {
            try
            {
                (_key, _) = await fixture.Router.CreateServedEndpointAsync("hygiene", "blue=100", ("blue", fixture.Blue.Url));
            }
            catch (InvalidOperationException)
            {
                // Made by an earlier test of this class (xUnit makes a new instance per test).
                var run = await fixture.Router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "hygiene");
                _key = System.Text.Json.JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("primaryKey").GetString();
            }
        }

        return _key!;
    }

    private async Task<RawResponse> SendRawTlsAsync(string path, string key, string header)
    {
        var (method, body) = path == "/" ? ("GET", string.Empty) : ("POST", "{}");
        await using var connection = await RawHttp.ConnectAsync(fixture.Router.HttpsPort, tlsHost: "localhost", root: fixture.Ca.Certificate);
        await connection.SendAsync(
            $"{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\n{header}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
        return await connection.ReadToCloseAsync();
    }

    private async Task AssertStillScoresAsync(string key)
    {
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "hygiene", key)).StatusCode);
    }
}
