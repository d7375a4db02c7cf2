using System.Text.Json;

namespace ScoreGate.FunctionalTests.Attacks;

/// <summary>
/// A request the router cannot forward because of what the client sent is the client's fault:
/// it must never be answered as the model's failure (502 "could not be reached"), which also
/// counts a connection failure against the model instance and takes it out of rotation.
/// </summary>
[Collection(AttackSuite.Name)]
public sealed class ClientBlameAttackTests(AttackFixture fixture)
{
    private const string Unreachable = "Deployment 'model' could not be reached.";

    /// <summary>
    /// A header value in UTF-8 (Kestrel accepts it; the forwarder's HttpClient refuses to send
    /// non-ASCII header values and throws HttpRequestException, which the forwarder reads as an
    /// unreachable model). The answer must be the client's: served, or refused with 400.
    /// </summary>
    [Theory]
    [InlineData("caf\u00c3\u00a9")] // "café" as UTF-8 bytes, one char per byte
    [InlineData("\u00e2\u0082\u00ac")] // "€"
    public async Task Http1_Utf8HeaderValue_IsNotBlamedOnTheModel(string utf8Bytes)
    {
        var exchange = await fixture.SendRawAsync(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nX-Note: " + utf8Bytes + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        var response = Assert.Single(exchange.Responses);
        Assert.True(response.Status is 200 or 400, $"a client's header value got {response.Status}: {response.Body}");
        Assert.DoesNotContain(Unreachable, response.Body, StringComparison.Ordinal);
        await fixture.AssertNormalScoringWorksAsync();
    }

    [Fact]
    public async Task Http2_Utf8HeaderValue_IsNotBlamedOnTheModel()
    {
        var run = await ProcessRun.RunAsync("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "Attacks", "h2attack.py"), "header", $"{fixture.Router.HttpsPort}", AttackFixture.Endpoint, fixture.Key, "x-note", @"caf\u00e9"],
            TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.AllOutput);
        using var report = JsonDocument.Parse(run.StandardOutput);

        var status = report.RootElement.GetProperty("statuses").GetProperty("1").GetInt32();

        Assert.True(status is 200 or 400, $"a client's header value got {status}");
        await fixture.AssertNormalScoringWorksAsync(System.Net.HttpVersion.Version20);
    }
}
