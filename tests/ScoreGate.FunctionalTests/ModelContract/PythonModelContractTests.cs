using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests.ModelContract;

public sealed class PythonContractFixture : ContractRouter
{
    public PythonModel Python { get; private set; } = null!;

    protected override async Task StartModelsAsync() => Python = await PythonModel.StartAsync();

    protected override async Task StopModelsAsync() => await Python.DisposeAsync();
}

/// <summary>
/// The router's model connections against Python's http.server (TestData/contract_model.py):
/// what the model receives (headers, query, bodies) and response framings and statuses.
/// </summary>
public sealed class PythonModelContractTests(PythonContractFixture fixture) : IClassFixture<PythonContractFixture>
{
    /// <summary>What the echo case saw: headers in order, as the model received them.</summary>
    private sealed record Echo(string Method, string Path, string Query, List<(string Name, string Value)> Headers, long Length, string Sha256, string? Body, int PeerPort)
    {
        public static Echo Parse(byte[] json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new Echo(
                root.GetProperty("method").GetString()!,
                root.GetProperty("path").GetString()!,
                root.GetProperty("query").GetString()!,
                [.. root.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!))],
                root.GetProperty("length").GetInt64(),
                root.GetProperty("sha256").GetString()!,
                root.GetProperty("body").GetString(),
                root.GetProperty("peer_port").GetInt32());
        }

        public IReadOnlyList<string> All(string name) =>
            [.. Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

        public string? One(string name) => All(name) is [var only] ? only : null;
    }

    [Fact]
    public async Task Echo_ModelSeesQueryHostAndForwardingHeaders_AndNoKey_OnAKeptAliveConnection()
    {
        var endpoint = await fixture.ServeAsync("py-echo", fixture.Python.Url);
        using var client = fixture.CreateClient();

        var (first, firstBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("""{"data": 1}""", Encoding.UTF8, "application/json"), "case=echo&a=1&b=x%20y");
        var (second, secondBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("two", Encoding.UTF8, "text/plain"), "case=echo");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var echo = Echo.Parse(firstBody);
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/score", echo.Path);
        Assert.Equal("case=echo&a=1&b=x%20y", echo.Query);
        Assert.Equal("""{"data": 1}""", echo.Body);
        Assert.Equal($"127.0.0.1:{fixture.Python.Port}", echo.One("Host"));
        Assert.Equal("127.0.0.1", echo.One("X-Forwarded-For"));
        Assert.Equal("https", echo.One("X-Forwarded-Proto"));
        Assert.Equal($"localhost:{fixture.Router.HttpsPort}", echo.One("X-Forwarded-Host"));
        Assert.Empty(echo.All("Authorization"));
        Assert.Equal("application/json; charset=utf-8", echo.One("Content-Type"));
        var again = Echo.Parse(secondBody);
        Assert.Equal("two", again.Body);
        Assert.Equal(echo.PeerPort, again.PeerPort);
    }

    [Fact]
    public async Task HopByHopHeadersAndAuthorization_NeverReachTheModel()
    {
        var endpoint = await fixture.ServeAsync("py-hop", fixture.Python.Url);
        await using var raw = await RawHttp.ConnectAsync(fixture.Router.HttpsPort, "localhost", fixture.Ca.Certificate);

        const string body = "hop-by-hop";
        await raw.SendAsync(
            $"POST /api/v1/service/{endpoint.Name}/score?case=echo HTTP/1.1\r\n" +
            $"Host: localhost:{fixture.Router.HttpsPort}\r\n" +
            $"Authorization: Bearer {endpoint.Key}\r\n" +
            // Kestrel keeps only "close" of a Connection header that also names others (measured:
            // "close, x-drop-me" reads as "close"), so names listed beside close cannot be honoured;
            // a Connection header naming only other fields is (ConnectionNamedHeaders test).
            "Connection: close\r\n" +
            "Keep-Alive: timeout=5, max=100\r\n" +
            "TE: trailers\r\n" +
            "Upgrade: websocket\r\n" +
            "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n" +
            "Proxy-Connection: keep-alive\r\n" +
            "x-keep-me: end to end\r\n" +
            "X-Forwarded-For: 203.0.113.66\r\n" +
            "X-Forwarded-Host: spoofed.example\r\n" +
            "Content-Type: text/plain\r\n" +
            $"Content-Length: {body.Length}\r\n\r\n{body}");
        var response = await raw.ReadToCloseAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(200, response.Status);
        var echo = Echo.Parse(Encoding.Latin1.GetBytes(response.Body));
        Assert.Equal(body, echo.Body);
        Assert.Equal("end to end", echo.One("x-keep-me"));
        Assert.Equal(["127.0.0.1"], echo.All("X-Forwarded-For"));
        Assert.Equal([$"localhost:{fixture.Router.HttpsPort}"], echo.All("X-Forwarded-Host"));
        foreach (var name in new[] { "Authorization", "Keep-Alive", "TE", "Upgrade", "Proxy-Authorization", "Proxy-Connection", "Transfer-Encoding" })
        {
            Assert.True(echo.All(name).Count == 0, $"the model received {name}: {string.Join(" | ", echo.All(name))}");
        }

        // The router may say how it wants its own connection kept, never relay the client's tokens.
        foreach (var connection in echo.All("Connection"))
        {
            Assert.All(connection.Split(',', StringSplitOptions.TrimEntries), token => Assert.Contains(token.ToLowerInvariant(), new[] { "keep-alive", "close" }));
        }
    }

    [Fact]
    public async Task HeaderNamedInConnection_OnAKeptAliveClientConnection_NeverReachesTheModel()
    {
        var endpoint = await fixture.ServeAsync("py-hop-ka", fixture.Python.Url);
        using var client = fixture.CreateClient();
        using var request = ContractRouter.Score(endpoint, new StringContent("named"), "case=echo");
        request.Headers.Connection.Add("x-drop-me");
        request.Headers.Add("x-drop-me", "named in Connection");
        request.Headers.Add("x-keep-me", "end to end");

        using var response = await client.SendAsync(request);
        var echo = Echo.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("end to end", echo.One("x-keep-me"));
        Assert.Empty(echo.All("x-drop-me"));
    }

    [Fact]
    public async Task ChunkedClientBody_ArrivesIntact_WithOneFraming()
    {
        var endpoint = await fixture.ServeAsync("py-chunked-up", fixture.Python.Url);
        using var client = fixture.CreateClient();
        var data = ContractRouter.RandomBytes(300_000, seed: 3);
        using var request = ContractRouter.Score(endpoint, new StreamContent(new MemoryStream(data)), "case=echo");
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);
        var echo = Echo.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(data.Length, echo.Length);
        Assert.Equal(ContractRouter.Sha256(data), echo.Sha256);
        Assert.False(echo.All("Content-Length").Count > 0 && echo.All("Transfer-Encoding").Count > 0, "the model got both Content-Length and Transfer-Encoding");
        Assert.True(echo.All("Content-Length").Count + echo.All("Transfer-Encoding").Count == 1, "the model got no single framing header");
    }

    [Fact]
    public async Task OneMiBBody_ArrivesByteIdentical()
    {
        var endpoint = await fixture.ServeAsync("py-1m", fixture.Python.Url);
        using var client = fixture.CreateClient();
        var data = ContractRouter.RandomBytes(1024 * 1024, seed: 5);

        var (response, body) = await fixture.ScoreAsync(client, endpoint, new ByteArrayContent(data), "case=echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = Echo.Parse(body);
        Assert.Equal(data.Length, echo.Length);
        Assert.Equal(ContractRouter.Sha256(data), echo.Sha256);
    }

    [Fact]
    public async Task Curl_Expect100Continue_GetsItsAnswerWithoutWaiting()
    {
        var endpoint = await fixture.ServeAsync("py-expect", fixture.Python.Url);
        var file = fixture.WriteRandomFile("expect-1m.bin", 1024 * 1024, seed: 21);
        var clock = Stopwatch.StartNew();

        // curl waits up to 30 s for the 100 Continue before it sends the body anyway: a router that
        // never answers the expectation shows as a 30 s request, one that deadlocks as a timeout.
        var result = await fixture.CurlAsync(endpoint, "case=echo",
            "-H", "Expect: 100-continue", "--expect100-timeout", "30", "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file);
        clock.Stop();

        Assert.True(result.ExitCode == 0, $"curl failed: {result.Errors}");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        var echo = Echo.Parse(result.Body);
        Assert.Equal(ContractRouter.Sha256(await File.ReadAllBytesAsync(file)), echo.Sha256);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"the answer took {clock.Elapsed}: the router did not answer Expect: 100-continue");
    }

    [Fact]
    public async Task Curl_ChunkedUpload_ArrivesByteIdentical()
    {
        var endpoint = await fixture.ServeAsync("py-curl-chunked", fixture.Python.Url);
        var file = fixture.WriteRandomFile("chunked-2m.bin", 2 * 1024 * 1024, seed: 22);

        var result = await fixture.CurlAsync(endpoint, "case=echo",
            "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file);

        Assert.True(result.ExitCode == 0, $"curl failed: {result.Errors}");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        var echo = Echo.Parse(result.Body);
        Assert.Equal(2 * 1024 * 1024, echo.Length);
        Assert.Equal(ContractRouter.Sha256(await File.ReadAllBytesAsync(file)), echo.Sha256);
    }

    [Fact]
    public async Task CloseDelimitedResponse_IsRelayedInFull_AndTheNextRequestWorks()
    {
        var endpoint = await fixture.ServeAsync("py-close", fixture.Python.Url);
        using var client = fixture.CreateClient();
        var expected = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i:D5} of a close-delimited body\n"));

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=close-delimited");
        var (next, nextBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("after close"), "case=echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, ContractRouter.Text(body));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("after close", Echo.Parse(nextBody).Body);
    }

    [Fact]
    public async Task ChunkedResponse_WithExtensionsAndTrailers_ArrivesIntact()
    {
        var endpoint = await fixture.ServeAsync("py-chunked-down", fixture.Python.Url);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=chunked");
        var (next, nextBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("after chunked"), "case=echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Concat(Enumerable.Range(0, 500).Select(i => $"chunk-{i:D3};")), ContractRouter.Text(body));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("after chunked", Echo.Parse(nextBody).Body);
    }

    [Fact]
    public async Task InterimResponses100And103_AreSkipped_TheFinalAnswerArrives()
    {
        var endpoint = await fixture.ServeAsync("py-interim", fixture.Python.Url);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=interim");
        var (next, nextBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("after interim"), "case=echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"after": "interim"}""", ContractRouter.Text(body));
        Assert.False(response.Headers.Contains("Link"), "a header of the 103 leaked into the final answer");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("after interim", Echo.Parse(nextBody).Body);
    }

    [Fact]
    public async Task OddButLegalResponseHeaders_AreRelayedFaithfully()
    {
        var endpoint = await fixture.ServeAsync("py-headers", fixture.Python.Url);
        await using var raw = await RawHttp.ConnectAsync(fixture.Router.HttpsPort, "localhost", fixture.Ca.Certificate);
        await raw.SendAsync(
            $"POST /api/v1/service/{endpoint.Name}/score?case=headers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {endpoint.Key}\r\n" +
            "Connection: close\r\nContent-Length: 2\r\n\r\n{}");
        var response = await raw.ReadToCloseAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"headers": 1}""", response.Body);
        string[] Values(string name) => [.. response.Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];
        Assert.Equal(["a=1; Path=/", "b=2; Path=/; HttpOnly"], Values("Set-Cookie"));
        Assert.Equal("one,two", string.Join(',', Values("X-Multi").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))));
        Assert.Equal(["padded value"], Values("X-Padded"));
        Assert.Equal([""], Values("X-Empty"));
        // obs-text (a Latin-1 é) may be passed on or dropped, never turned into a control character.
        Assert.All(Values("X-Latin"), v => Assert.DoesNotContain(v, c => c < ' ' || c == '\x7f'));
    }

    [Fact]
    public async Task NoContent204_HasNoBody_AndTheConnectionStaysUsable()
    {
        var endpoint = await fixture.ServeAsync("py-204", fixture.Python.Url, requestTimeoutMs: 20_000);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=204");
        var (next, nextBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("after 204"), "case=echo");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(body);
        Assert.Equal("204", response.Headers.GetValues("X-Case").Single());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("after 204", Echo.Parse(nextBody).Body);
    }

    [Fact]
    public async Task NotModified304WithContentLength_HasNoBody_Is424Promptly_AndTheConnectionStaysUsable()
    {
        // A 304's Content-Length describes the representation; no body follows (RFC 9112 §6.3).
        // Waiting for those 50 bytes would hang until the 20 s request timeout: 408, not 424.
        var endpoint = await fixture.ServeAsync("py-304", fixture.Python.Url, requestTimeoutMs: 20_000);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=304");
        var (next, nextBody) = await fixture.ScoreAsync(client, endpoint, new StringContent("after 304"), "case=echo");

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        Assert.Equal("304", response.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
        Assert.Empty(body);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("after 304", Echo.Parse(nextBody).Body);
    }

    [Fact]
    public async Task ModelError500_Becomes424_WithTheModelsBodyAndStatus()
    {
        var endpoint = await fixture.ServeAsync("py-500", fixture.Python.Url);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=500");

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        Assert.Equal("500", response.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
        Assert.Equal("Internal Server Error", response.Headers.GetValues("ms-azureml-model-error-reason").Single());
        Assert.Equal("python", response.Headers.GetValues("X-Model").Single());
        Assert.Equal("""{"error": "model exploded", "detail": "on purpose"}""", ContractRouter.Text(body));
    }

    [Fact]
    public async Task SlowModel_Gets408_AtTheRequestTimeout()
    {
        var endpoint = await fixture.ServeAsync("py-slow", fixture.Python.Url, requestTimeoutMs: 1000);
        using var client = fixture.CreateClient();
        var clock = Stopwatch.StartNew();

        var (response, _) = await fixture.ScoreAsync(client, endpoint, query: "case=slow&seconds=30");
        clock.Stop();

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"408 after only {clock.Elapsed}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"408 only after {clock.Elapsed}, for a 1000 ms timeout");
    }
}
