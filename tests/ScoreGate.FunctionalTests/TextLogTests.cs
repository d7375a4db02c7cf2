using System.Net;
using System.Net.Http.Headers;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary><c>logFormat=text</c>: what a client sends cannot break a log line or reach the terminal raw.</summary>
public sealed class TextLogTests
{
    [Fact]
    public async Task AccessLog_Text_EscapesControlCharactersInThePath()
    {
        await using var model = await FakeModel.StartAsync("plain");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--accessLog", "true", "--logFormat", "text"]);
        var (key, _) = await router.CreateServedEndpointAsync("texty", "blue=100", ("blue", model.Url));
        using var client = new HttpClient { BaseAddress = router.HttpBase };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/forged%0Ainfo:%20fake%1B[31m/score") { Content = Json("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = await router.Process.WaitForLineAsync(l => l.Contains("/api/v1/service/forged", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("POST /api/v1/service/forged%0Ainfo:%20fake%1B%5B31m/score 404 ", line, StringComparison.Ordinal);
        Assert.Contains(" info: ScoreGate.Router.ScoringHandler[25] ", line, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "texty", key)).StatusCode);
    }

    [Fact]
    public async Task AccessLog_Text_CallersValuesCannotForgeFields()
    {
        await using var model = await FakeModel.StartAsync("plain");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--accessLog", "true", "--logFormat", "text"]);
        var (key, _) = await router.CreateServedEndpointAsync("fields", "blue=100", ("blue", model.Url));
        using var client = new HttpClient { BaseAddress = router.HttpBase };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/fields%20status=200%20client=10.0.0.1/score") { Content = Json("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.TryAddWithoutValidation("x-request-id", "id1\" client=\"10.9.9.9");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = await router.Process.WaitForLineAsync(l => l.Contains("/api/v1/service/fields", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("POST /api/v1/service/fields%20status=200%20client=10.0.0.1/score 404 ", line, StringComparison.Ordinal);
        Assert.Contains("request_id=\"id1\\\" client=\\\"10.9.9.9\" client=127.0.0.1 ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" client=10.", line, StringComparison.Ordinal);
    }
}
