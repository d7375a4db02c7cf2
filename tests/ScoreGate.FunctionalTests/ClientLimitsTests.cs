using System.Net;
using System.Text;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// A client's bad body is the client's fault (DESIGN.md §4): malformed, too large or too slow,
/// it gets 400, 413 or 408 with a message naming the fix, never a 502, never ejects an
/// instance, and a trickling body holds no model slot. Headers over maxRequestHeadersBytes get 431. Over plain HTTP, so raw sockets can
/// send what HttpClient would not.
/// </summary>
public sealed class ClientLimitsTests : IAsyncLifetime
{
    /// <summary>Small, so tests cross it cheaply.</summary>
    private const int BodyLimit = 1_000_000;

    private RouterProcess _router = null!;
    private FakeModel _a = null!;
    private FakeModel _b = null!;

    public async Task InitializeAsync()
    {
        _a = await FakeModel.StartAsync("a");
        _b = await FakeModel.StartAsync("b");
        _router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--maxRequestBodyBytes", $"{BodyLimit}", "--maxRequestHeadersBytes", "4096"]);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task MalformedChunkedBody_Returns400_InstancesStayInRotation_NoModelFailureLogged()
    {
        var key = await CreateAsync("chunky", concurrent: 4);

        var response = await SendRawAsync(Head("chunky", key, "Transfer-Encoding: chunked") + "5\r\nhelloXX\r\n0\r\n\r\n");

        Assert.Equal(400, response.Status);
        Assert.Equal(
            "The request body could not be read: it is malformed (bad chunked encoding, or shorter than its Content-Length). " +
            "Send a body whose Content-Length matches it, or valid chunked encoding.",
            response.Message());
        await AssertNoModelBlamedAsync("chunky");
    }

    [Fact]
    public async Task ContentLengthOverTheLimit_Returns413NamingTheSetting_BeforeTheModelSeesIt()
    {
        var key = await CreateAsync("big", concurrent: 4);

        // Headers only: the router answers on the Content-Length, without waiting for the body.
        var response = await SendRawAsync(Head("big", key, $"Content-Length: {BodyLimit + 1}"));

        Assert.Equal(413, response.Status);
        Assert.Equal(TooLarge, response.Message());
        Assert.Equal(0, _a.RequestCount + _b.RequestCount);
        await AssertNoModelBlamedAsync("big");
    }

    [Fact]
    public async Task ChunkedBodyGrowingPastTheLimit_Returns413_InstancesStayInRotation()
    {
        var key = await CreateAsync("growing", concurrent: 4);
        await using var connection = await RawHttp.ConnectAsync(_router.HttpPort);
        await connection.SendAsync(Head("growing", key, "Transfer-Encoding: chunked"));

        // 16 chunks of 62,500 bytes reach the limit exactly; one byte more crosses it.
        var chunk = $"{62_500:x}\r\n{new string('x', 62_500)}\r\n";
        for (var i = 0; i < 16; i++)
        {
            await connection.SendAsync(chunk);
        }

        await connection.SendAsync("1\r\nx\r\n");
        var response = await connection.ReadToCloseAsync();

        Assert.Equal(413, response.Status);
        Assert.Equal(TooLarge, response.Message());
        await AssertNoModelBlamedAsync("growing");
    }

    [Fact]
    public async Task TwoClientsTricklingBodies_HoldNoModelSlot_NormalRequestsServed()
    {
        // One request at a time, a short queue: a trickling body holding the slot would make the rest 429.
        var key = await CreateAsync("trickle", concurrent: 1, urls: [_a.Url]);
        using var stop = new CancellationTokenSource();
        var trickles = Enumerable.Range(0, 2).Select(_ => TrickleAsync("trickle", key, stop.Token)).ToList();
        using var client = new HttpClient { BaseAddress = _router.HttpBase };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await ScoreAsync(client, "trickle", key)).StatusCode);
            await Task.Delay(200);
        }

        await stop.CancelAsync();
        await Task.WhenAll(trickles);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(10, _a.RequestCount);
    }

    [Fact]
    public async Task BodySlowerThanTheMinimumRate_IsCutWith408NamingTheSetting()
    {
        var key = await CreateAsync("slow", concurrent: 1, urls: [_a.Url]);
        await using var connection = await RawHttp.ConnectAsync(_router.HttpPort);
        await connection.SendAsync(Head("slow", key, "Content-Length: 1000"));
        using var stop = new CancellationTokenSource();
        var sending = SendSlowlyAsync(connection, stop.Token);

        // Kestrel's grace period is 5 s; the bound only keeps a broken router from hanging the test.
        var response = await connection.ReadToCloseAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await sending;

        Assert.Equal(408, response.Status);
        Assert.Equal(
            "The request body arrived too slowly: under 240 bytes per second after a 5 s grace period (minRequestBodyDataRate). " +
            "Send the body as fast as the network allows, or lower minRequestBodyDataRate.",
            response.Message());
        Assert.Equal(0, _a.RequestCount);
        using var client = new HttpClient { BaseAddress = _router.HttpBase };
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "slow", key)).StatusCode);
    }

    [Fact]
    public async Task HeadersOverMaxRequestHeadersBytes_Get431_RouterKeepsServing()
    {
        var key = await CreateAsync("headers", concurrent: 4);

        var response = await SendRawAsync(Head("headers", key, $"x-padding: {new string('p', 5000)}\r\nContent-Length: 0"));

        // Kestrel refuses before the router sees the request: its status, no body of ours.
        Assert.Equal(431, response.Status);
        await AssertNoModelBlamedAsync("headers");
    }

    private const string TooLarge =
        "The request body is larger than this router accepts: at most 1000000 bytes (maxRequestBodyBytes). " +
        "Send a smaller body (split the batch), or raise maxRequestBodyBytes.";

    /// <summary>Both instances still ready and not ejected, nothing logged as the model's failure, and a normal request is served.</summary>
    private async Task AssertNoModelBlamedAsync(string endpoint)
    {
        var scrape = await _router.ScrapeMetricsAsync();
        foreach (var model in new[] { _a, _b })
        {
            Assert.Equal(1, scrape.Value("scoregate_instance_ready", ("endpoint", endpoint), ("instance", new Uri(model.Url).ToString())));
        }

        Assert.DoesNotContain("could not be reached", _router.Process.AllOutput, StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = _router.HttpBase };
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, endpoint, _keys[endpoint])).StatusCode);
        }
    }

    private readonly Dictionary<string, string> _keys = [];

    private async Task<string> CreateAsync(string endpoint, int concurrent, string[]? urls = null)
    {
        urls ??= [_a.Url, _b.Url];
        var (primary, _) = await _router.CreateEndpointAsync(endpoint);
        await _router.ExpectSuccessAsync(["deployment", "create", "--endpoint", endpoint, "--name", "blue", .. urls.SelectMany(u => new[] { "--url", u })]);
        await _router.SetRequestSettingsAsync(endpoint, "blue", timeoutMs: 5000, concurrent: concurrent, queueWaitMs: 500);
        await _router.ExpectSuccessAsync("endpoint", "update", "--name", endpoint, "--traffic", "blue=100");
        _keys[endpoint] = primary;
        return primary;
    }

    private static string Head(string endpoint, string key, string framing) =>
        $"POST /api/v1/service/{endpoint}/score HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n" +
        $"Content-Type: application/json\r\nConnection: close\r\n{framing}\r\n\r\n";

    private async Task<RawResponse> SendRawAsync(string request)
    {
        await using var connection = await RawHttp.ConnectAsync(_router.HttpPort);
        await connection.SendAsync(request);
        return await connection.ReadToCloseAsync();
    }

    /// <summary>A request whose 100-byte body comes one byte a second, until the test ends or the router hangs up.</summary>
    private async Task TrickleAsync(string endpoint, string key, CancellationToken stop)
    {
        await using var connection = await RawHttp.ConnectAsync(_router.HttpPort);
        await connection.SendAsync(Head(endpoint, key, "Content-Length: 100"));
        await SendSlowlyAsync(connection, stop);
    }

    private static async Task SendSlowlyAsync(RawHttp connection, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await connection.SendAsync("x");
                await Task.Delay(1000, stop);
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException)
        {
            // Cut by the router, or the test is over.
        }
    }
}
