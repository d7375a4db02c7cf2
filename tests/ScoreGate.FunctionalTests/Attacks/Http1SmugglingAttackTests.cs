namespace ScoreGate.FunctionalTests.Attacks;

/// <summary>
/// HTTP/1.1 request smuggling and malformed header lines, as hand-written bytes over TLS. Every
/// hostile request carries, after its body, a complete authenticated second request marked
/// <c>x-smuggled</c> (<c>{smuggled}</c>): whatever the router makes of the framing, the client
/// gets exactly one answer and the model never receives that second request. The router must
/// then still serve a normal scoring request.
/// </summary>
[Collection(AttackSuite.Name)]
public sealed class Http1SmugglingAttackTests(AttackFixture fixture)
{
    private const string Post = "POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\n";

    /// <summary>
    /// Conflicting or obfuscated framing. Kestrel either refuses the request (400, connection
    /// closed) or reads the body as chunked, as RFC 9112 §6.3 says Transfer-Encoding overrides
    /// Content-Length, answers once and closes the connection, so the bytes after the body are
    /// never read as a request. <paramref name="modelBody"/> is what the model received as the
    /// one request's body, or null when the model must not have been called at all.
    /// </summary>
    [Theory]
    // CL.TE: a front end trusting Content-Length would pass {smuggled} on as part of the body.
    [InlineData(Post + "Content-Length: {len}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}", 200, "")]
    // TE.CL: a back end trusting Content-Length would read {smuggled} as the next request.
    [InlineData(Post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n{chunked-smuggled}", 200, "{smuggled}")]
    // TE.TE obfuscations.
    [InlineData(Post + "Transfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Transfer-Encoding:  chunked\r\nContent-Length: {len}\r\n\r\n0\r\n\r\n{smuggled}", 200, "")]
    [InlineData(Post + "Transfer-Encoding:\tchunked\r\nContent-Length: {len}\r\n\r\n0\r\n\r\n{smuggled}", 200, "")]
    [InlineData(Post + "Transfer-Encoding: chunked, identity\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\nContent-Length: {len}\r\n\r\n0\r\n\r\n{smuggled}", 200, "")]
    [InlineData(Post + "Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Transfer-Encoding:\r\n chunked\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + " Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData("POST {path} HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nTransfer-Encoding: chunked\r\nContent-Length: {len}\r\n\r\n0\r\n\r\n{smuggled}", 200, "")]
    // Content-Length disagreements.
    [InlineData(Post + "Content-Length: 2\r\nContent-Length: {len}\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Content-Length: 2, {len}\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Content-Length: -2\r\n\r\n{}{smuggled}", 400, null)]
    [InlineData(Post + "Content-Length: 0x2\r\n\r\n{}{smuggled}", 400, null)]
    public async Task ConflictingFraming_AnsweredOnceAndClosed_NothingSmuggled(string request, int status, string? modelBody)
    {
        var before = fixture.Model.ReceivedRequests.Count;

        var exchange = await fixture.SendRawAsync(request);

        var response = Assert.Single(exchange.Responses);
        Assert.Equal(status, response.Status);
        Assert.True(exchange.ClosedByServer, "the connection stayed open after conflicting framing");
        var received = fixture.Model.ReceivedRequests.Skip(before).ToList();
        if (modelBody is null)
        {
            Assert.Equal(string.Empty, response.Body);
            Assert.Empty(received);
        }
        else
        {
            Assert.Equal(fixture.Expand(modelBody), Assert.Single(received).Body);
            Assert.Contains("\"model\":\"attacked\"", response.Body, StringComparison.Ordinal);
        }

        fixture.AssertNothingSmuggled();
        await fixture.AssertNormalScoringWorksAsync();
    }

    /// <summary>
    /// Malformed header lines and hosts are refused by Kestrel before the router sees them: 400
    /// with an empty body, and the connection is closed, so the request pipelined after the bad
    /// one is never read.
    /// </summary>
    [Theory]
    [InlineData(Post + "X-Note: a\r\n b\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // obs-fold continuation
    [InlineData(Post + "X-Note: a\rb\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // bare CR in a value
    [InlineData(Post + "X-Note: a\0b\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // NUL in a value
    [InlineData(Post + "X-No\0te: a\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // NUL in a name
    [InlineData(Post + "X Note: a\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // space in a name
    [InlineData(Post + "X-Note: caf\u00e9\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // a byte that is not UTF-8
    [InlineData("POST https://evil.example{path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // absolute form naming another host
    [InlineData("POST {path} HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // two Host headers
    [InlineData("POST {path} HTTP/1.1\r\nHost: localhost, evil.example\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // two hosts in one header
    [InlineData("POST {path} HTTP/1.1\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // no Host at all
    [InlineData("POST {path} HTTP/1.1 extra\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // junk after the version
    [InlineData("POST {path}\0 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\n\r\n{}{smuggled}")] // NUL in the request target
    public async Task MalformedRequest_Refused400AndClosed_PipelinedRequestNeverRead(string request)
    {
        var before = fixture.Model.ReceivedRequests.Count;

        var exchange = await fixture.SendRawAsync(request);

        var response = Assert.Single(exchange.Responses);
        Assert.Equal(400, response.Status);
        Assert.Equal(string.Empty, response.Body);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(exchange.ClosedByServer);
        Assert.Equal(before, fixture.Model.ReceivedRequests.Count);
        fixture.AssertNothingSmuggled();
        await fixture.AssertNormalScoringWorksAsync();
    }

    /// <summary>
    /// Oddities Kestrel tolerates (RFC 9112 §2.2 lets a server accept bare LF line ends). None of
    /// them desynchronises anything: the router reframes every request it forwards, so the model
    /// gets one well-formed request. <paramref name="header"/> is what the model received under
    /// that name (null: nothing). Control characters other than CR, LF and NUL in a value reach
    /// the model as they came (RFC 9110 §5.5 allows keeping them; see docs/security.md).
    /// </summary>
    [Theory]
    [InlineData("POST {path} HTTP/1.1\nHost: localhost\nAuthorization: Bearer {key}\nContent-Length: 2\nConnection: close\n\n{}", "Content-Length", "2")]
    [InlineData(Post + "Content-Length: +2\r\nConnection: close\r\n\r\n{}", "Content-Length", "2")]
    [InlineData(Post + "X-Note: a\u0001b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "X-Note", "a\u0001b")]
    [InlineData(Post + "X-Note: a\u001bb\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "X-Note", "a\u001bb")]
    [InlineData(Post + "X-Note: a\u007fb\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "X-Note", "a\u007fb")]
    [InlineData(Post + "X-No\u0001te: a\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "X-No\u0001te", null)]
    [InlineData("POST https://evil.example{path} HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer {key}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", "X-Forwarded-Host", "evil.example")]
    public async Task ToleratedOddity_OneWellFormedRequestReachesTheModel(string request, string name, string? header)
    {
        var before = fixture.Model.ReceivedRequests.Count;

        var exchange = await fixture.SendRawAsync(request);

        var response = Assert.Single(exchange.Responses);
        Assert.Equal(200, response.Status);
        var received = Assert.Single(fixture.Model.ReceivedRequests.Skip(before));
        Assert.Equal("{}", received.Body);
        Assert.Equal(header, received.Headers.GetValueOrDefault(name));
        fixture.AssertNothingSmuggled();
        await fixture.AssertNormalScoringWorksAsync();
    }

    /// <summary>
    /// The same attacks from a second TLS stack, <c>openssl s_client</c>, reading until the router
    /// closes the connection (<c>-ign_eof</c>: s_client exits only then, so its exit within the
    /// bounded run is the close). One answer, and the smuggled request never reaches the model.
    /// </summary>
    [Theory]
    [InlineData(Post + "Content-Length: {len}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}", "HTTP/1.1 200 OK")]
    [InlineData(Post + "Transfer-Encoding: xchunked\r\nContent-Length: 2\r\n\r\n{}{smuggled}", "HTTP/1.1 400 Bad Request")]
    [InlineData(Post + "X-Note: a\r\n b\r\nContent-Length: 2\r\n\r\n{}{smuggled}", "HTTP/1.1 400 Bad Request")]
    public async Task OpensslClient_SmugglingAttempt_OneAnswerThenClosed(string request, string statusLine)
    {
        var before = fixture.Model.ReceivedRequests.Count;

        var openssl = await ProcessRun.RunAsync("openssl",
        [
            "s_client", "-connect", $"127.0.0.1:{fixture.Router.HttpsPort}", "-servername", "localhost",
            "-CAfile", fixture.CaPath, "-verify_return_error", "-verify_hostname", "localhost",
            "-alpn", "http/1.1", "-quiet", "-ign_eof",
        ], TimeSpan.FromSeconds(30), standardInput: fixture.Expand(request));

        Assert.StartsWith(statusLine + "\n", openssl.StandardOutput, StringComparison.Ordinal);
        Assert.Single(openssl.StandardOutput.Split('\n'), line => line.StartsWith("HTTP/", StringComparison.Ordinal));
        Assert.True(fixture.Model.ReceivedRequests.Count - before <= 1);
        fixture.AssertNothingSmuggled();
        await fixture.AssertNormalScoringWorksAsync();
    }

    /// <summary>The control for the cases above: two good pipelined requests are both answered, in order, so a missing second answer there means the router refused it.</summary>
    [Fact]
    public async Task TwoGoodPipelinedRequests_BothAnsweredInOrder()
    {
        var before = fixture.Model.ReceivedRequests.Count;

        var exchange = await fixture.SendRawAsync(
            Post + "Content-Length: 7\r\n\r\n{\"n\":1}" + Post + "x-pipelined: 2\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"n\":2}");

        Assert.Equal(new[] { 200, 200 }, exchange.Responses.Select(r => r.Status));
        Assert.True(exchange.ClosedByServer);
        Assert.Equal(new[] { "{\"n\":1}", "{\"n\":2}" }, fixture.Model.ReceivedRequests.Skip(before).Select(r => r.Body));
        Assert.Equal("2", fixture.Model.ReceivedRequests.Last().Headers["x-pipelined"]);
    }
}
