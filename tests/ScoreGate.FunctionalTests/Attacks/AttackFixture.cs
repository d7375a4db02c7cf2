using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests.Attacks;

/// <summary>
/// The target of the attack suite, shared by its classes: a real <c>scoregate serve</c> over HTTPS (a test CA's
/// certificate for localhost) with one endpoint, <see cref="Endpoint"/>, whose one deployment
/// is a recording <see cref="FakeModel"/>. The deployment takes many requests at once, so that
/// floods and bursts measure the router, not the model's queue. The suite's tests run one after
/// another (<see cref="AttackSuite"/>), so a test can compare the model's request count
/// before and after its attack, and no flood competes with another for the machine's two cores.
/// </summary>
public sealed class AttackFixture : IAsyncLifetime
{
    /// <summary>Marks the request an attack tries to smuggle: the model must never see it.</summary>
    public const string SmuggledHeader = "x-smuggled";

    public const string Endpoint = "attacked";

    private readonly TlsRouterFixture _router = new();

    public RouterProcess Router => _router.Router;

    public FakeModel Model { get; private set; } = null!;

    public string Key { get; private set; } = null!;

    public string CaPath => _router.CaPath;

    public X509Certificate2 CaCertificate => _router.Ca.Certificate;

    public string ScorePath => $"/api/v1/service/{Endpoint}/score";

    public async Task InitializeAsync()
    {
        await _router.InitializeAsync();
        Model = await FakeModel.StartAsync("attacked");
        var (primary, _) = await Router.CreateEndpointAsync(Endpoint, ("model", Model.Url));
        await Router.SetRequestSettingsAsync(Endpoint, "model", timeoutMs: 10_000, concurrent: 64, queueWaitMs: 10_000);
        await Router.ExpectSuccessAsync("endpoint", "update", "--name", Endpoint, "--traffic", "model=100");
        Key = primary;
    }

    /// <summary>
    /// A normal scoring request on a new connection (HttpClient, HTTP/1.1 or HTTP/2) must still be
    /// answered by the model after an attack: the router is up and the model is still in rotation.
    /// Every attack ends here, so every attack also checks that nothing was smuggled to the model.
    /// </summary>
    public async Task AssertNormalScoringWorksAsync(Version? version = null)
    {
        version ??= HttpVersion.Version11;
        using var client = _router.CreateClient(version);
        using var request = new HttpRequestMessage(HttpMethod.Post, ScorePath)
        {
            Content = ScoringTests.Json("""{"data": [[5.1, 3.5, 1.4, 0.2]]}"""),
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, response.Version);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("attacked", answer.RootElement.GetProperty("model").GetString());
        AssertNothingSmuggled();
    }

    /// <summary>
    /// Fills a raw request template: <c>{path}</c> and <c>{key}</c> (the endpoint's scoring path and
    /// key), <c>{smuggled}</c> (a complete, authenticated second request marked with
    /// <see cref="SmuggledHeader"/>), <c>{chunked-smuggled}</c> (the same as one chunk of a chunked
    /// body, with the last chunk), and <c>{len}</c> (the byte length of the body after the head).
    /// </summary>
    public string Expand(string template)
    {
        const string Smuggled = "POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\n" + SmuggledHeader + ": 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
        var smuggled = Smuggled.Replace("{path}", ScorePath, StringComparison.Ordinal).Replace("{key}", Key, StringComparison.Ordinal);
        var text = template
            .Replace("{chunked-smuggled}", $"{Encoding.Latin1.GetByteCount(smuggled).ToString("x", CultureInfo.InvariantCulture)}\r\n{smuggled}\r\n0\r\n\r\n", StringComparison.Ordinal)
            .Replace("{smuggled}", smuggled, StringComparison.Ordinal)
            .Replace("{path}", ScorePath, StringComparison.Ordinal)
            .Replace("{key}", Key, StringComparison.Ordinal);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var bodyLength = headEnd < 0 ? 0 : Encoding.Latin1.GetByteCount(text[(headEnd + 4)..]);
        return text.Replace("{len}", bodyLength.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>Sends raw bytes (a template for <see cref="Expand"/>) to the router's HTTPS port.</summary>
    public Task<RawExchange> SendRawAsync(string template) =>
        RawHttp1.SendAsync(Router.HttpsPort, CaCertificate, Expand(template));

    /// <summary>No request the model ever received carried the smuggled marker, in a header or as a request of its own.</summary>
    public void AssertNothingSmuggled() =>
        Assert.DoesNotContain(Model.ReceivedRequests, r => r.Headers.ContainsKey(SmuggledHeader));

    public async Task DisposeAsync()
    {
        await Model.DisposeAsync();
        await _router.DisposeAsync();
    }
}

/// <summary>The attack suite's classes: one router for all of them, and one attack at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AttackSuite : ICollectionFixture<AttackFixture>
{
    public const string Name = "Attacks";
}
