using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Several routers on one PostgreSQL store (DESIGN.md section 7): a change made through any of
/// them is served by all, and none stops serving when the store goes away.
/// </summary>
public sealed class ScaleOutTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    // The Done-means bounds of issue 7, for waits that follow a change; a slower router fails the test.
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WithinTwoSeconds = TimeSpan.FromSeconds(2);

    private RouterProcess One => fixture.Routers[0];

    private RouterProcess Two => fixture.Routers[1];

    private RouterProcess Three => fixture.Routers[2];

    [Fact]
    public async Task EndpointCreatedThroughOneRouter_IsServedByTheOthers_WithinASecond()
    {
        var (primary, _) = await One.CreateServedEndpointAsync("spread", "blue=100", ("blue", fixture.Model.Url));

        foreach (var router in new[] { Two, Three })
        {
            await Eventually.TrueAsync(async () => await ScoreAsync(router, "spread", primary) == HttpStatusCode.OK,
                $"router on port {router.HttpsPort} did not serve the new endpoint", WithinASecond);
        }

        var status = await Three.ExpectSuccessAsync("status");
        Assert.Contains("status      ok", status.StandardOutput);
        Assert.Contains("store       PostgreSQL 127.0.0.1:", status.StandardOutput);
        Assert.DoesNotContain("Password", status.StandardOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CertificateRotatedThroughTheSecondRouter_IsServedByAll_WithinTwoSeconds()
    {
        await Two.CreateServedEndpointAsync("rotated", "blue=100", ("blue", fixture.Model.Url));
        using var first = fixture.Ca.Issue(["rotated.contoso.test"]);
        using var second = fixture.Ca.Issue(["rotated.contoso.test"]);
        var (cert1, key1) = first.WriteTo(fixture.FilesPath, "rotated1.pem", "rotated1.key");
        var (cert2, key2) = second.WriteTo(fixture.FilesPath, "rotated2.pem", "rotated2.key");
        await Two.ExpectSuccessAsync("tls", "enable", "--endpoint", "rotated", "--cert", cert1, "--key", key1, "--upload", "--cname", "rotated.contoso.test");
        await AllServeAsync("rotated.contoso.test", first.Certificate.SerialNumber, TimeSpan.FromSeconds(10));

        await Two.ExpectSuccessAsync("tls", "update", "--endpoint", "rotated", "--cert", cert2, "--key", key2, "--upload");

        await AllServeAsync("rotated.contoso.test", second.Certificate.SerialNumber, WithinTwoSeconds);
    }

    [Fact]
    public async Task KeysRegeneratedThroughTheThirdRouter_TakeEffectEverywhere_WithinASecond()
    {
        var (primary, _) = await Three.CreateServedEndpointAsync("rekeyed", "blue=100", ("blue", fixture.Model.Url));
        foreach (var router in fixture.Routers)
        {
            await Eventually.TrueAsync(async () => await ScoreAsync(router, "rekeyed", primary) == HttpStatusCode.OK, "the endpoint was not served", TimeSpan.FromSeconds(10));
        }

        var regenerated = await Three.ExpectSuccessAsync("endpoint", "regenerate-keys", "--name", "rekeyed", "--key-type", "primary");
        var newPrimary = JsonDocument.Parse(regenerated.StandardOutput).RootElement.GetProperty("primaryKey").GetString()!;

        foreach (var router in new[] { One, Two })
        {
            await Eventually.TrueAsync(
                async () => await ScoreAsync(router, "rekeyed", primary) == HttpStatusCode.Unauthorized && await ScoreAsync(router, "rekeyed", newPrimary) == HttpStatusCode.OK,
                $"router on port {router.HttpsPort} still took the old key or refused the new one", WithinASecond);
        }
    }

    [Fact]
    public async Task StoreStopped_RoutersKeepServingAndSayDegraded_AndAChangeMadeAfterItsReturnReachesThemAll()
    {
        var (primary, _) = await One.CreateServedEndpointAsync("steady", "blue=100", ("blue", fixture.Model.Url));
        foreach (var router in fixture.Routers)
        {
            await Eventually.TrueAsync(async () => await ScoreAsync(router, "steady", primary) == HttpStatusCode.OK, "the endpoint was not served", TimeSpan.FromSeconds(10));
        }

        await fixture.Postgres.StopAsync();
        try
        {
            foreach (var router in fixture.Routers)
            {
                await Eventually.TrueAsync(async () => (await router.CliAsync("status")).ExitCode == 1, $"router on port {router.HttpsPort} did not report itself degraded", TimeSpan.FromSeconds(20));
                Assert.Equal(HttpStatusCode.OK, await ScoreAsync(router, "steady", primary));
            }

            var status = await Two.CliAsync("status");
            Assert.Contains("Degraded: the store (PostgreSQL 127.0.0.1:", status.StandardError);
            Assert.Contains("Still serving revision", status.StandardError);
            var refused = await One.CliAsync("endpoint", "create", "--name", "meanwhile");
            refused.ExpectExitCode(1);
            Assert.Contains("cannot be reached", refused.StandardError);
            Assert.Contains("Nothing was changed", refused.StandardError);
        }
        finally
        {
            await fixture.Postgres.RestartAsync();
        }

        // Whichever router reconnects first takes the change; the others catch up when they reconnect.
        var first = await FirstReconnectedAsync();
        var (latePrimary, _) = await first.CreateServedEndpointAsync("after", "blue=100", ("blue", fixture.Model.Url));
        foreach (var router in fixture.Routers)
        {
            await Eventually.TrueAsync(async () => await ScoreAsync(router, "after", latePrimary) == HttpStatusCode.OK,
                $"router on port {router.HttpsPort} did not catch up after the store came back", TimeSpan.FromSeconds(20));
            await Eventually.TrueAsync(async () => (await router.CliAsync("status")).ExitCode == 0, $"router on port {router.HttpsPort} stayed degraded", TimeSpan.FromSeconds(20));
        }

        Assert.Equal(HttpStatusCode.OK, await ScoreAsync(Two, "steady", primary));
    }

    private async Task<RouterProcess> FirstReconnectedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var router in fixture.Routers)
            {
                if ((await router.CliAsync("status")).ExitCode == 0)
                {
                    return router;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No router reconnected to the store within 20 s.");
    }

    private async Task AllServeAsync(string hostName, string serial, TimeSpan within)
    {
        foreach (var router in fixture.Routers)
        {
            await Eventually.TrueAsync(async () => await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, hostName) == serial,
                $"router on port {router.HttpsPort} did not serve certificate {serial} for {hostName}", within);
        }
    }

    private async Task<HttpStatusCode> ScoreAsync(RouterProcess router, string endpoint, string key)
    {
        using var client = router.CreateHttpsClient(fixture.Ca.Certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/service/{endpoint}/score") { Content = new StringContent("{\"data\":[[1,2,3,4]]}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
