using System.Net;

namespace ScoreGate.FunctionalTests.ModelContract;

public sealed class NginxContractFixture : ContractRouter
{
    public NginxModel Nginx { get; private set; } = null!;

    protected override async Task StartModelsAsync() => Nginx = await NginxModel.StartAsync();

    protected override async Task StopModelsAsync() => await Nginx.DisposeAsync();
}

/// <summary>The router's model connections against nginx: fixed answers, sendfile bodies, nginx closing keep-alive connections.</summary>
public sealed class NginxModelContractTests(NginxContractFixture fixture) : IClassFixture<NginxContractFixture>
{
    [Fact]
    public async Task FixedAnswer_ComesBackUnchanged_OnOneKeptAliveConnection()
    {
        var endpoint = await fixture.ServeAsync("ngx-fixed", fixture.Nginx.MainUrl);
        using var client = fixture.CreateClient();
        var before = fixture.Nginx.Requests(fixture.Nginx.MainPort).Count;

        for (var i = 0; i < 5; i++)
        {
            var (response, body) = await fixture.ScoreAsync(client, endpoint);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(NginxModel.FixedAnswer, ContractRouter.Text(body));
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }

        // Sequential requests reuse the router's connection to nginx (keep-alive): fewer connections than requests.
        // nginx writes its access log after the response has gone.
        await Eventually.TrueAsync(() => fixture.Nginx.Requests(fixture.Nginx.MainPort).Count >= before + 5, "nginx logged fewer than 5 requests");
        var requests = fixture.Nginx.Requests(fixture.Nginx.MainPort).Skip(before).ToList();
        Assert.Equal(5, requests.Count);
        Assert.True(requests.Select(r => r.Connection).Distinct().Count() < requests.Count, $"no connection was reused: {string.Join(", ", requests)}");
    }

    [Theory]
    [InlineData("1m")]
    [InlineData("5m")]
    public async Task LargeStaticFile_SentWithSendfile_ArrivesByteIdentical(string file)
    {
        var endpoint = await fixture.ServeAsync($"ngx-file{file}", fixture.Nginx.MainUrl);
        using var client = fixture.CreateClient();
        var expected = await File.ReadAllBytesAsync(file == "1m" ? fixture.Nginx.File1M : fixture.Nginx.File5M);

        for (var i = 0; i < 2; i++)
        {
            var (response, body) = await fixture.ScoreAsync(client, endpoint, query: $"file={file}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected.Length, body.Length);
            Assert.Equal(ContractRouter.Sha256(expected), ContractRouter.Sha256(body));
        }
    }

    [Fact]
    public async Task NginxError_Becomes424_WithItsBodyAndStatus()
    {
        var endpoint = await fixture.ServeAsync("ngx-503", fixture.Nginx.MainUrl);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "status=503");

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        Assert.Equal("503", response.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
        Assert.Equal("""{"nginx": "busy"}""", ContractRouter.Text(body));
    }

    [Fact]
    public async Task IdleConnectionClosedByNginx_NextRequestStillSucceeds()
    {
        var endpoint = await fixture.ServeAsync("ngx-idle", fixture.Nginx.IdleUrl);
        using var client = fixture.CreateClient();

        for (var round = 0; round < 3; round++)
        {
            var (response, body) = await fixture.ScoreAsync(client, endpoint);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(NginxModel.FixedAnswer, ContractRouter.Text(body));

            // nginx closes the router's idle connection after its keepalive_timeout of 1 s.
            await Eventually.TrueAsync(() => LoopbackConnections.EstablishedAt(fixture.Nginx.IdlePort) == 0,
                "nginx kept an idle connection open past keepalive_timeout", TimeSpan.FromSeconds(30));
        }

        var (last, lastBody) = await fixture.ScoreAsync(client, endpoint);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(NginxModel.FixedAnswer, ContractRouter.Text(lastBody));
        await Eventually.TrueAsync(() => fixture.Nginx.Requests(fixture.Nginx.IdlePort).Count >= 4, "nginx logged fewer than 4 requests");
        Assert.Equal(4, fixture.Nginx.Requests(fixture.Nginx.IdlePort).Select(r => r.Connection).Distinct().Count());
    }

    [Fact]
    public async Task NginxClosesAfterThreeRequests_EveryRequestStillSucceeds()
    {
        var endpoint = await fixture.ServeAsync("ngx-limited", fixture.Nginx.LimitedUrl);
        using var client = fixture.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            var (response, body) = await fixture.ScoreAsync(client, endpoint);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(NginxModel.FixedAnswer, ContractRouter.Text(body));
        }

        await Eventually.TrueAsync(() => fixture.Nginx.Requests(fixture.Nginx.LimitedPort).Count >= 10, "nginx logged fewer than 10 requests");
        var requests = fixture.Nginx.Requests(fixture.Nginx.LimitedPort);
        Assert.Equal(10, requests.Count);
        Assert.True(requests.Max(r => r.Request) <= 3);
        // The router did keep connections alive up to nginx's limit: 10 requests on at most 5 connections
        // (4 when every connection carries its 3; one more allows for a race with nginx's close).
        Assert.InRange(requests.Select(r => r.Connection).Distinct().Count(), 4, 5);
    }
}
