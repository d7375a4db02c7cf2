using System.Globalization;

namespace ScoreGate.FunctionalTests.Attacks;

/// <summary>
/// Oversized request heads, sent with curl over HTTP/1.1 and HTTP/2. Kestrel's default limits
/// apply (request line 8 KiB, header block 32 KiB, 100 headers): the request is refused before
/// the router sees it, with an empty body, and the model is never called.
/// </summary>
[Collection(AttackSuite.Name)]
public sealed class HeaderLimitAttackTests(AttackFixture fixture)
{
    /// <summary>
    /// <paramref name="shape"/> names the oversized part; <paramref name="expected"/> is curl's
    /// <c>%{http_code}</c> (000: no response, the stream was reset) and <paramref name="curlExit"/> its exit code.
    /// </summary>
    [Theory]
    [InlineData("1.1", "header-block", "431", 0)] // 5 headers of 8,000 bytes: over the 32 KiB block
    [InlineData("1.1", "many-headers", "431", 0)] // 120 small headers: over the 100 allowed
    [InlineData("1.1", "long-url", "414", 0)] // a 9,000-byte query string: over the 8 KiB request line
    [InlineData("1.1", "long-value", "431", 0)] // one 40,000-byte header value
    [InlineData("2", "header-block", "431", 0)]
    [InlineData("2", "many-headers", "431", 0)]
    [InlineData("2", "long-url", "000", 92)] // :path over the limit: RST_STREAM PROTOCOL_ERROR
    [InlineData("2", "long-value", "431", 0)]
    public async Task OversizedRequestHead_RefusedBeforeTheModel(string version, string shape, string expected, int curlExit)
    {
        var before = fixture.Model.ReceivedRequests.Count;
        var url = $"https://localhost:{fixture.Router.HttpsPort}{fixture.ScorePath}";
        var headers = new List<string>();
        switch (shape)
        {
            case "header-block":
                headers.AddRange(Enumerable.Range(0, 5).Select(i => $"X-Big-{i}: {new string('a', 8000)}"));
                break;
            case "many-headers":
                headers.AddRange(Enumerable.Range(0, 120).Select(i => $"X-Many-{i}: v"));
                break;
            case "long-url":
                url += "?q=" + new string('a', 9000);
                break;
            case "long-value":
                headers.Add($"X-Long: {new string('a', 40_000)}");
                break;
        }

        var curl = await CurlAsync(version, url, headers);

        Assert.True(curl.ExitCode == curlExit, $"curl exited {curl.ExitCode}: {curl.AllOutput}");
        var (status, httpVersion, size) = ParseWriteOut(curl.StandardOutput);
        Assert.Equal(expected, status);
        if (curlExit == 0)
        {
            Assert.Equal(version, httpVersion);
            Assert.Equal(0, size);
        }
        else
        {
            Assert.Contains("PROTOCOL_ERROR", curl.StandardError, StringComparison.Ordinal);
        }

        Assert.Equal(before, fixture.Model.ReceivedRequests.Count);
        await fixture.AssertNormalScoringWorksAsync(version == "2" ? System.Net.HttpVersion.Version20 : null);
    }

    /// <summary>The control: the same request with a long but allowed value (20,000 bytes) is served, so the refusals above are the limits, not curl.</summary>
    [Theory]
    [InlineData("1.1")]
    [InlineData("2")]
    public async Task LongHeaderValueUnderTheLimit_Served(string version)
    {
        var curl = await CurlAsync(version, $"https://localhost:{fixture.Router.HttpsPort}{fixture.ScorePath}", [$"X-Long: {new string('a', 20_000)}"]);

        Assert.True(curl.ExitCode == 0, curl.AllOutput);
        Assert.Equal(("200", version), (ParseWriteOut(curl.StandardOutput).Status, ParseWriteOut(curl.StandardOutput).Version));
        Assert.Equal(new string('a', 20_000), fixture.Model.ReceivedRequests.Last().Headers["X-Long"]);
    }

    private Task<ProcessRun> CurlAsync(string version, string url, IEnumerable<string> headers)
    {
        var arguments = new List<string>
        {
            "--silent", "--show-error", version == "2" ? "--http2" : "--http1.1",
            "--cacert", fixture.CaPath, "--resolve", $"localhost:{fixture.Router.HttpsPort}:127.0.0.1",
            "--max-time", "20", "--output", "/dev/null", "--write-out", "%{http_code} %{http_version} %{size_download}",
            "--header", $"Authorization: Bearer {fixture.Key}", "--header", "Content-Type: application/json", "--data", "{}",
        };
        foreach (var header in headers)
        {
            arguments.AddRange(["--header", header]);
        }

        arguments.Add(url);
        return ProcessRun.RunAsync("curl", arguments, TimeSpan.FromSeconds(30));
    }

    private static (string Status, string Version, long Size) ParseWriteOut(string output)
    {
        var parts = output.Trim().Split(' ');
        return (parts[0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
