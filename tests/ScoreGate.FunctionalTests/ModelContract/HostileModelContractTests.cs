using System.Diagnostics;
using System.Net;
using System.Text;

namespace ScoreGate.FunctionalTests.ModelContract;

/// <summary>A router alone: each hostile test starts its own <see cref="RawModelServer"/> and endpoint.</summary>
public sealed class HostileContractFixture : ContractRouter
{
    protected override Task StartModelsAsync() => Task.CompletedTask;

    protected override Task StopModelsAsync() => Task.CompletedTask;
}

/// <summary>
/// The router's model connections against a raw TCP model that writes exact bytes: framing
/// edge cases, response smuggling, broken and hung models. A model's broken answer must
/// never reach the client as a clean, complete-looking 200.
/// </summary>
public sealed class HostileModelContractTests(HostileContractFixture fixture) : IClassFixture<HostileContractFixture>
{
    /// <summary>The 502 for a model that closed without answering.</summary>
    private const string BadGateway = "could not be reached";

    /// <summary>The 502 for an answer that is not valid HTTP/1.1: nothing of it is passed on.</summary>
    private const string Malformed = "not valid HTTP/1.1";

    /// <summary>How a scoring request ended for the client: a status (and the body if it arrived whole), or an aborted connection.</summary>
    private sealed record Outcome(HttpStatusCode? Status, byte[]? Body, Exception? Error)
    {
        public bool Aborted => Error is not null;

        public string Describe() => $"status {(Status is { } s ? (int)s : "none")}, body {(Body is null ? "not read whole" : $"'{Encoding.UTF8.GetString(Body)}'")}, error {Error?.GetType().Name}: {Error?.Message}";
    }

    private async Task<Outcome> TryScoreAsync(HttpClient client, ScoredEndpoint endpoint, string body = "request")
    {
        using var request = ContractRouter.Score(endpoint, new StringContent(body));
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException error)
        {
            return new Outcome(null, null, error);
        }

        using (response)
        {
            try
            {
                return new Outcome(response.StatusCode, await response.Content.ReadAsByteArrayAsync(), null);
            }
            catch (Exception error) when (error is HttpRequestException or IOException)
            {
                return new Outcome(response.StatusCode, null, error);
            }
        }
    }

    private static string Ok(string body) => $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    /// <summary>The safe outcome for a response the router must not trust: a 502 naming the deployment, never a 200.</summary>
    private static async Task AssertBadGatewayAsync(Outcome outcome, string message = BadGateway)
    {
        Assert.True(outcome.Status == HttpStatusCode.BadGateway, $"expected 502, got {outcome.Describe()}");
        Assert.Contains(message, Encoding.UTF8.GetString(outcome.Body ?? []));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ChunkedOnlyModel_AnswersArriveIntact_OnOneReusedConnection()
    {
        await using var model = RawModelServer.Answering(request =>
        {
            var answer = Encoding.UTF8.GetBytes("own:" + request.BodyText);
            var chunks = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
            foreach (var piece in answer.Chunk(3))
            {
                chunks.Append($"{piece.Length:x}\r\n{Encoding.UTF8.GetString(piece)}\r\n");
            }

            return chunks.Append("0\r\n\r\n").ToString();
        });
        var endpoint = await fixture.ServeAsync("raw-chunked", model.Url);
        using var client = fixture.CreateClient();

        foreach (var body in new[] { "first", "second request", "third" })
        {
            var outcome = await TryScoreAsync(client, endpoint, body);
            Assert.Equal(HttpStatusCode.OK, outcome.Status);
            Assert.Equal("own:" + body, Encoding.UTF8.GetString(outcome.Body!));
        }

        Assert.Equal(1, model.Accepted);
    }

    [Fact]
    public async Task ModelClosesEveryConnectionRightAfterAnswering_EveryRequestSucceeds_NoneSentTwice()
    {
        // No Connection: close: the router only learns the connection is gone when it next looks at
        // it. Each request goes once the model has closed the last connection, so the router must
        // notice the close before reuse (a request racing the close itself cannot be told from one
        // the model took and dropped: that one gets 502, as with nginx, and is never sent twice).
        var closed = 0;
        await using var model = RawModelServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is { } request)
            {
                await connection.SendAsync(Ok("own:" + request.BodyText));
            }

            connection.Close();
            Interlocked.Increment(ref closed);
        });
        var endpoint = await fixture.ServeAsync("raw-idle-close", model.Url);
        using var client = fixture.CreateClient();

        for (var i = 0; i < 30; i++)
        {
            var outcome = await TryScoreAsync(client, endpoint, $"request {i}");
            Assert.True(outcome.Status == HttpStatusCode.OK, $"request {i}: {outcome.Describe()}");
            Assert.Equal($"own:request {i}", Encoding.UTF8.GetString(outcome.Body!));
            await Eventually.TrueAsync(() => Volatile.Read(ref closed) == i + 1, $"the model never closed connection {i + 1}");
        }

        Assert.Equal(30, model.Requests.Count);
    }

    [Fact]
    public async Task ModelReadsARequestOnAReusedConnection_AndClosesWithoutAnswering_502_NotSentAgain()
    {
        // The second request reached the model whole: retrying it elsewhere could run a scoring twice.
        await using var model = RawModelServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is { } first)
            {
                await connection.SendAsync(Ok("own:" + first.BodyText));
            }

            await connection.ReadRequestAsync();
        });
        var endpoint = await fixture.ServeAsync("raw-drop", model.Url);
        using var client = fixture.CreateClient();

        var first = await TryScoreAsync(client, endpoint, "first");
        var second = await TryScoreAsync(client, endpoint, "second");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        await AssertBadGatewayAsync(second);
        Assert.Equal(["first", "second"], model.Requests.Select(r => r.BodyText));
    }

    [Fact]
    public async Task ModelResetsAReusedConnectionWithoutReadingTheRequest_SentAgainOnANewOne_AnsweredOnce()
    {
        // The first connection answers once, then resets when the next request arrives, unread:
        // proof the model did not take it, so the router sends it again on a new connection.
        await using var model = RawModelServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is { } request)
            {
                await connection.SendAsync(Ok($"own:{request.BodyText}@{connection.Number}"));
            }

            if (connection.Number == 1)
            {
                await connection.ResetOnNextRequestAsync();
                return;
            }
        });
        var endpoint = await fixture.ServeAsync("raw-reset", model.Url);
        using var client = fixture.CreateClient();

        var first = await TryScoreAsync(client, endpoint, "first");
        var second = await TryScoreAsync(client, endpoint, "second");

        Assert.Equal("own:first@1", Encoding.UTF8.GetString(first.Body!));
        Assert.True(second.Status == HttpStatusCode.OK, second.Describe() + fixture.Router.Process.AllOutput);
        Assert.Equal("own:second@2", Encoding.UTF8.GetString(second.Body!));
        Assert.Equal(["first", "second"], model.Requests.Select(r => r.BodyText));
    }

    [Fact]
    public async Task ContentLengthAndTransferEncodingTogether_502_NeverPassedThrough()
    {
        await using var model = RawModelServer.Answering(_ =>
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        var endpoint = await fixture.ServeAsync("raw-cl-te", model.Url);
        using var client = fixture.CreateClient();

        await AssertBadGatewayAsync(await TryScoreAsync(client, endpoint), Malformed);
    }

    [Fact]
    public async Task TwoDifferentContentLengths_502()
    {
        await using var model = RawModelServer.Answering(_ =>
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nContent-Length: 11\r\n\r\nhello world");
        var endpoint = await fixture.ServeAsync("raw-cl-cl", model.Url);
        using var client = fixture.CreateClient();

        await AssertBadGatewayAsync(await TryScoreAsync(client, endpoint), Malformed);
    }

    [Theory]
    [InlineData("5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\nffffffffffffffffffff\r\nworld\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n-5\r\nworld\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX5\r\nworld\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n5\r\nworld\r\n")]
    public async Task BrokenChunkedBody_502OrAbortedConnection_NeverACompleteLooking200(string chunkedBody)
    {
        // Bad size lines, a size past 64 bits, a chunk without its CRLF, and no last chunk before the close.
        await using var model = RawModelServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody);
            }
        });
        var endpoint = await fixture.ServeAsync("raw-bad-chunk", model.Url);
        using var client = fixture.CreateClient();

        var outcome = await TryScoreAsync(client, endpoint);

        Assert.True(outcome.Status == HttpStatusCode.BadGateway || outcome.Aborted, $"expected 502 or an aborted connection, got {outcome.Describe()}");
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0x10")]
    [InlineData("5, 7")]
    [InlineData("99999999999999999999999")]
    public async Task InvalidContentLength_502(string contentLength)
    {
        await using var model = RawModelServer.Answering(_ => $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {contentLength}\r\n\r\nhello world");
        var endpoint = await fixture.ServeAsync("raw-bad-cl", model.Url);
        using var client = fixture.CreateClient();

        await AssertBadGatewayAsync(await TryScoreAsync(client, endpoint), Malformed);
    }

    [Theory]
    [InlineData("HTTP/1.1 2OO OK")]
    [InlineData("HTTP/9.9 200 OK")]
    [InlineData("SSH-2.0-OpenSSH_9.2")]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/1.1 2000 OK")]
    public async Task BadStatusLine_502(string statusLine)
    {
        await using var model = RawModelServer.Answering(_ => $"{statusLine}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        var endpoint = await fixture.ServeAsync("raw-status", model.Url);
        using var client = fixture.CreateClient();

        await AssertBadGatewayAsync(await TryScoreAsync(client, endpoint), Malformed);
    }

    [Fact]
    public async Task StatusLineWithoutReasonPhraseOrItsSpace_Either200OkOr502()
    {
        // RFC 9112 §4 wants "HTTP/1.1 200 " (the space before an empty reason); "HTTP/1.1 200" is
        // malformed but unambiguous, so accepting it is safe. Anything else is not.
        await using var model = RawModelServer.Answering(_ => "HTTP/1.1 200\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        var endpoint = await fixture.ServeAsync("raw-no-reason", model.Url);
        using var client = fixture.CreateClient();

        var outcome = await TryScoreAsync(client, endpoint);

        Assert.True(
            (outcome.Status == HttpStatusCode.OK && Encoding.UTF8.GetString(outcome.Body ?? []) == "ok") || outcome.Status == HttpStatusCode.BadGateway,
            outcome.Describe());
    }

    [Fact]
    public async Task ResponseHeadOver64KiB_502()
    {
        await using var model = RawModelServer.Answering(_ => $"HTTP/1.1 200 OK\r\nX-Huge: {new string('h', 70 * 1024)}\r\nContent-Length: 2\r\n\r\nok");
        var endpoint = await fixture.ServeAsync("raw-huge-head", model.Url);
        using var client = fixture.CreateClient();

        await AssertBadGatewayAsync(await TryScoreAsync(client, endpoint), Malformed);
    }

    [Theory]
    [InlineData("X-Bad: a\0b")]
    [InlineData("X-Bad: a\rX-Injected: cr")]
    [InlineData("X-Bad: a\nX-Injected: lf")]
    [InlineData("X-Bad: folded\r\n  continuation")]
    [InlineData("X-Bad : space before the colon")]
    [InlineData("X\0Bad: nul in the name")]
    public async Task MalformedResponseHeaderLine_502OrRepaired_NeverPassedRaw(string header)
    {
        await using var model = RawModelServer.Answering(_ => $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n{header}\r\nContent-Length: 2\r\n\r\nok");
        var endpoint = await fixture.ServeAsync("raw-ctl", model.Url);

        // The router's bytes as they are: HttpClient would hide what a laxer client downstream sees.
        var text = await fixture.ExchangeRawAsync($"POST /api/v1/service/{endpoint.Name}/score HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {endpoint.Key}\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{{}}");
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(headEnd > 0, $"no response head: '{text}'");
        var lines = text[..headEnd].Split("\r\n");

        Assert.Matches("^HTTP/1\\.1 (200|502) ", lines[0]);
        foreach (var line in lines.Skip(1))
        {
            // field-name ":" OWS field-value OWS, visible ASCII, space, tab or obs-text in the value: nothing else.
            Assert.Matches("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+:[ \t]*[\t\x20-\x7e\x80-\xff]*$", line);
        }

        if (lines[0].StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            Assert.Equal("ok", RawResponse.Parse(text).Body);
        }
    }

    [Fact]
    public async Task BodyLongerThanContentLength_ExtraBytesNeverBecomeTheNextAnswer()
    {
        // The model's first answer carries a whole second response after its 5 declared bytes.
        await using var model = RawModelServer.Answering(request => request.BodyText == "first"
            ? Ok("hello") + "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nSMUGGLED"
            : Ok("own:" + request.BodyText));
        var endpoint = await fixture.ServeAsync("raw-extra", model.Url);
        using var client = fixture.CreateClient();

        var first = await TryScoreAsync(client, endpoint, "first");
        var second = await TryScoreAsync(client, endpoint, "second");

        // The first answer is the declared 5 bytes (or refused); the second is its own.
        Assert.True(first.Status == HttpStatusCode.OK ? Encoding.UTF8.GetString(first.Body ?? []) == "hello" : first.Status == HttpStatusCode.BadGateway || first.Aborted, first.Describe());
        Assert.True(second.Status == HttpStatusCode.OK, second.Describe() + fixture.Router.Process.AllOutput);
        Assert.Equal("own:second", Encoding.UTF8.GetString(second.Body!));
    }

    [Fact]
    public async Task GarbageAfterAResponse_IsNeverReadAsTheNextAnswer()
    {
        // Each request goes once the garbage has been written, so it waits in the pooled connection:
        // the router must see it before reuse. (Garbage that races the next request itself is read
        // as that request's answer: 502 as malformed, never relayed; the model may have run it.)
        var garbageSent = 0;
        await using var model = RawModelServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                await connection.SendAsync(Ok("own:" + request.BodyText));
                await connection.SendAsync("\0\u00ffGARBAGE after the response\r\n\r\n");
                Interlocked.Increment(ref garbageSent);
            }
        });
        var endpoint = await fixture.ServeAsync("raw-garbage", model.Url);
        using var client = fixture.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var outcome = await TryScoreAsync(client, endpoint, $"n{i}");
            Assert.True(outcome.Status == HttpStatusCode.OK, $"request {i}: {outcome.Describe()}");
            Assert.Equal($"own:n{i}", Encoding.UTF8.GetString(outcome.Body!));
            await Eventually.TrueAsync(() => Volatile.Read(ref garbageSent) == i + 1, $"the model never sent its garbage after answer {i}");
        }
    }

    [Fact]
    public async Task ModelThatNeverAnswers_408AtTheRequestTimeout_AndItsConnectionIsClosed()
    {
        await using var model = RawModelServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WaitForRouterToCloseAsync();
        });
        var endpoint = await fixture.ServeAsync("raw-hang", model.Url, requestTimeoutMs: 1000);
        using var client = fixture.CreateClient();
        var clock = Stopwatch.StartNew();

        var outcome = await TryScoreAsync(client, endpoint);
        clock.Stop();

        Assert.True(outcome.Status == HttpStatusCode.RequestTimeout, outcome.Describe());
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"408 after only {clock.Elapsed}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"408 only after {clock.Elapsed}, for a 1000 ms timeout");
        Assert.Single(model.Requests);
        await Eventually.TrueAsync(() => model.ClosedByRouter == 1, "the router kept its connection to the hung model open", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ModelStopsInTheMiddleOfTheBody_ClientConnectionIsAborted()
    {
        await using var model = RawModelServer.Start(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                await connection.SendAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n{new string('x', 10_000)}");
            }
        });
        var endpoint = await fixture.ServeAsync("raw-short", model.Url);
        using var client = fixture.CreateClient();

        var outcome = await TryScoreAsync(client, endpoint);
        var curl = await fixture.CurlAsync(endpoint, "", "--data-binary", "request");

        Assert.True(outcome.Aborted || outcome.Status == HttpStatusCode.BadGateway, $"HttpClient: {outcome.Describe()}");
        Assert.False(outcome.Status == HttpStatusCode.OK && outcome.Body is not null, "a clean short 200");
        Assert.True(curl.ExitCode != 0 || curl.Status == 502, $"curl finished cleanly: exit {curl.ExitCode}, status {curl.Status}, {curl.Body.Length} bytes");
    }
}
