using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScoreGate.FunctionalTests.Attacks;

/// <summary>
/// HTTP/2 floods and malformed requests, as hand-built frames (h2attack.py, Debian's python3-h2)
/// and an h2load burst (Debian's nghttp2-client). After each, the router is still up and a normal
/// scoring request over HTTP/2 succeeds on a new connection.
/// </summary>
[Collection(AttackSuite.Name)]
public sealed partial class Http2AttackTests(AttackFixture fixture)
{
    /// <summary>GOAWAY and RST_STREAM error codes (RFC 9113 §7).</summary>
    private const int ProtocolError = 1;
    private const int EnhanceYourCalm = 11;

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Attacks", "h2attack.py");

    [Fact]
    public async Task RapidReset_StreamsRefusedOrConnectionClosed_RouterKeepsServing()
    {
        // CVE-2023-44487: 1,000 authenticated scoring streams, each cancelled right after its HEADERS.
        var report = await RunAsync("rapid-reset", "1000");

        // Kestrel's mitigation fires: it refuses the streams it has no room for with
        // ENHANCE_YOUR_CALM, and when its output queue overflows it aborts the connection (the
        // GOAWAY it may send is then lost to the reset of a socket the attacker still writes to).
        // Which of the two happens first depends on how fast the machine is.
        Assert.True(report.Closed || report.Resets.Count > 0, $"the router took every stream: {report.Raw}");
        Assert.All(report.Resets.Values, code => Assert.Equal(EnhanceYourCalm, code));
        Assert.True(report.Goaway is null or 2, report.Raw); // INTERNAL_ERROR: "exceeded the output operations maximum queue size"
        Assert.DoesNotContain(report.Statuses.Values, status => status >= 500);
        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    [Fact]
    public async Task ContinuationFlood_GoawayProtocolError_ModelNeverCalled()
    {
        var before = fixture.Model.ReceivedRequests.Count;

        // A header block that never ends: up to 10,000 CONTINUATION frames of 1 KB headers each.
        var report = await RunAsync("continuation-flood", "10000");

        Assert.Equal(ProtocolError, report.Goaway);
        Assert.True(report.Closed, report.Raw);
        Assert.True(report.Sent < 10_000, "the router let the attacker send the whole endless header block");
        Assert.Equal(before, fixture.Model.ReceivedRequests.Count);
        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    [Fact]
    public async Task EmptyContinuationFlood_Copes_TheRequestIsAnsweredOnceItsBlockEnds()
    {
        var before = fixture.Model.ReceivedRequests.Count;

        // 20,000 CONTINUATION frames with no payload (nothing to count against the header size
        // limits), then END_HEADERS: the connection stays usable and the request is served once.
        var report = await RunAsync("empty-continuation-flood", "20000");

        Assert.Null(report.Goaway);
        Assert.False(report.Closed, report.Raw);
        Assert.Equal(200, report.Statuses["1"]);
        Assert.Equal(before + 1, fixture.Model.ReceivedRequests.Count);
        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    [Theory]
    [InlineData("settings-flood")]
    [InlineData("ping-flood")]
    public async Task ControlFrameFlood_EveryFrameAcknowledged_RouterKeepsServing(string flood)
    {
        // 20,000 SETTINGS (or PING) frames written without reading a single ACK first.
        var report = await RunAsync(flood, "20000");

        Assert.Null(report.Goaway);
        Assert.False(report.Closed, report.Raw);
        if (flood == "settings-flood")
        {
            Assert.Equal(20_001, report.SettingsAcks); // and the ACK of the preface's SETTINGS
        }
        else
        {
            Assert.Equal(20_000, report.PingAcks);
        }

        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    [Fact]
    public async Task DataLongerThanContentLength_StreamResetProtocolError_NothingSmuggled()
    {
        var before = fixture.Model.ReceivedRequests.Count;

        // content-length: 2, then DATA carrying "{}" and a whole HTTP/1.1 request: an HTTP/1.1
        // hop that trusted the header would read that request as a second one (H2.CL).
        var report = await RunAsync("content-length-mismatch");

        Assert.Equal(ProtocolError, report.Resets["1"]);
        Assert.Empty(report.Statuses);
        Assert.Equal(before, fixture.Model.ReceivedRequests.Count);
        fixture.AssertNothingSmuggled();
        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    /// <summary>
    /// One request with a header an HTTP/2-to-HTTP/1.1 hop could turn into a second request or a
    /// different framing (H2.CRLF, H2.TE), or that HTTP/2 forbids (RFC 9113 §8.2). Names and values
    /// use Python escapes. <paramref name="goaway"/> is the connection error, <paramref name="reset"/>
    /// the stream error, or <paramref name="status"/> the answer when Kestrel lets it through.
    /// </summary>
    [Theory]
    [InlineData("x-note", @"a\r\nx-smuggled: 1", ProtocolError, null, null)]
    [InlineData("x-note", @"a\nb", ProtocolError, null, null)]
    [InlineData("x-note", @"a\x00b", ProtocolError, null, null)]
    [InlineData(":path", @"/api/v1/service/attacked/score HTTP/1.1\r\nx-smuggled: 1", ProtocolError, null, null)]
    [InlineData(":authority", @"localhost\r\nx-smuggled: 1", ProtocolError, null, null)]
    [InlineData("connection", "keep-alive", ProtocolError, null, null)]
    [InlineData("te", "gzip", ProtocolError, null, null)]
    [InlineData("X-Smuggled", "1", ProtocolError, null, null)] // upper case is malformed in HTTP/2
    [InlineData(":method", "POST /x", null, ProtocolError, null)]
    [InlineData(":path", "https://evil.example/api/v1/service/attacked/score", null, ProtocolError, null)]
    [InlineData("transfer-encoding", "chunked", null, null, 200)] // dropped: the router frames the model's request itself
    [InlineData("upgrade", "h2c", null, null, 200)]
    [InlineData("te", "trailers", null, null, 200)]
    public async Task HostileHeader_RefusedOrNeutralised_NothingSmuggled(string name, string value, int? goaway, int? reset, int? status)
    {
        var before = fixture.Model.ReceivedRequests.Count;

        var report = await RunAsync("header", name, value);

        Assert.Equal(goaway, report.Goaway);
        Assert.Equal(reset, report.Resets.TryGetValue("1", out var code) ? code : null);
        Assert.Equal(status, report.Statuses.TryGetValue("1", out var answered) ? answered : null);
        var received = fixture.Model.ReceivedRequests.Skip(before).ToList();
        if (status is null)
        {
            Assert.Empty(received);
        }
        else
        {
            var request = Assert.Single(received);
            Assert.Equal("{}", request.Body);
            Assert.False(request.Headers.ContainsKey("upgrade"));
            Assert.False(request.Headers.ContainsKey("te"));
        }

        fixture.AssertNothingSmuggled();
        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    [Fact]
    public async Task H2loadBurst_ValidKey_EveryRequestSucceeds()
    {
        using var body = new TempDirectory();
        var data = body.File("body.json");
        await File.WriteAllTextAsync(data, """{"data": [[5.1, 3.5, 1.4, 0.2]]}""");
        var before = fixture.Model.ReceivedRequests.Count;

        // 2,000 requests over 10 connections, 10 streams at a time on each.
        var run = await ProcessRun.RunAsync("h2load",
        [
            "-n", "2000", "-c", "10", "-m", "10", "--connect-to", $"127.0.0.1:{fixture.Router.HttpsPort}",
            "-d", data, "-H", $"authorization: Bearer {fixture.Key}", "-H", "content-type: application/json",
            $"https://localhost:{fixture.Router.HttpsPort}{fixture.ScorePath}",
        ], TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 0, run.AllOutput);
        Assert.Matches(RequestsLine(), run.StandardOutput);
        Assert.Matches(StatusLine(), run.StandardOutput);
        Assert.Equal(before + 2000, fixture.Model.ReceivedRequests.Count);
        await fixture.AssertNormalScoringWorksAsync(HttpVersion.Version20);
    }

    [GeneratedRegex(@"requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx")]
    private static partial Regex StatusLine();

    private async Task<H2Report> RunAsync(string attack, params string[] arguments)
    {
        // Debian's interpreter by path: the first python3 on PATH may be another one without h2.
        var run = await ProcessRun.RunAsync("/usr/bin/python3",
            [Script, attack, $"{fixture.Router.HttpsPort}", AttackFixture.Endpoint, fixture.Key, .. arguments], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, $"h2attack.py {attack} exited {run.ExitCode}:\n{run.AllOutput}");
        var raw = run.StandardOutput.Trim();
        var report = JsonSerializer.Deserialize<H2Report>(raw, new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        return report with { Raw = raw };
    }

    /// <summary>What h2attack.py saw the server do (see its docstring).</summary>
    private sealed record H2Report(
        int? Goaway,
        bool Closed,
        Dictionary<string, int> Statuses,
        Dictionary<string, int> Resets,
        int SettingsAcks,
        int PingAcks,
        int Sent)
    {
        public string Raw { get; init; } = string.Empty;
    }
}
