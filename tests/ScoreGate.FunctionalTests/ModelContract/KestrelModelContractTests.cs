using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ScoreGate.FunctionalTests.ModelContract;

/// <summary>
/// An in-process ASP.NET Core model on Kestrel (HTTP/1.1 only, free loopback port):
/// <c>?case=hash</c> reads the whole body and answers its length, SHA-256 and framing;
/// <c>?case=stream&amp;mib=N</c> streams N MiB of <see cref="ContractRouter.RandomBytes"/> (seed 17) chunked.
/// </summary>
public sealed class KestrelContractFixture : ContractRouter
{
    public const int StreamSeed = 17;

    private WebApplication _app = null!;

    public string Url { get; private set; } = null!;

    /// <summary>The same model by its IPv6 loopback literal, and by the name localhost.</summary>
    public string Ipv6Url { get; private set; } = null!;

    public string NamedUrl { get; private set; } = null!;

    protected override async Task StartModelsAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = FreePort.Next();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        _app = builder.Build();
        _app.Run(AnswerAsync);
        await _app.StartAsync();
        Url = $"http://127.0.0.1:{port}/";
        Ipv6Url = $"http://[::1]:{port}/";
        NamedUrl = $"http://localhost:{port}/";
    }

    protected override async Task StopModelsAsync() => await _app.DisposeAsync();

    private static async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        switch (request.Query["case"].ToString())
        {
            case "hash":
                using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    var buffer = new byte[64 * 1024];
                    long length = 0;
                    int read;
                    while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                    {
                        sha.AppendData(buffer, 0, read);
                        length += read;
                    }

                    await context.Response.WriteAsJsonAsync(new
                    {
                        length,
                        sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()),
                        contentLength = request.ContentLength,
                        transferEncoding = request.Headers.TransferEncoding.ToString(),
                    });
                }

                break;
            case "stream":
                var data = RandomBytes(int.Parse(request.Query["mib"].ToString(), System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024, StreamSeed);
                context.Response.ContentType = "application/octet-stream";
                // No Content-Length: Kestrel sends it chunked, in writes of uneven sizes.
                for (var offset = 0; offset < data.Length;)
                {
                    var size = Math.Min(data.Length - offset, 1000 + (offset % 70_000));
                    await context.Response.Body.WriteAsync(data.AsMemory(offset, size), context.RequestAborted);
                    offset += size;
                }

                break;
            default:
                context.Response.ContentType = request.ContentType;
                await request.Body.CopyToAsync(context.Response.Body, context.RequestAborted);
                break;
        }
    }
}

/// <summary>The router's model connections against Kestrel: large bodies both ways, streamed, byte-identical.</summary>
public sealed class KestrelModelContractTests(KestrelContractFixture fixture) : IClassFixture<KestrelContractFixture>
{
    private const int TenMiB = 10 * 1024 * 1024;

    [Theory]
    [InlineData("ipv6")]
    [InlineData("name")]
    public async Task ModelByIpv6LiteralOrByName_Answers(string kind)
    {
        var endpoint = await fixture.ServeAsync($"k-{kind}", kind == "ipv6" ? fixture.Ipv6Url : fixture.NamedUrl);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data": [[1, 2, 3]]}""", ContractRouter.Text(body));
    }

    [Fact]
    public async Task Echo_SmallBody_ComesBackUnchanged()
    {
        var endpoint = await fixture.ServeAsync("k-echo", fixture.Url);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data": [[1, 2, 3]]}""", ContractRouter.Text(body));
    }

    [Fact]
    public async Task TenMiBBody_WithContentLength_ArrivesByteIdentical()
    {
        var endpoint = await fixture.ServeAsync("k-10m-cl", fixture.Url);
        using var client = fixture.CreateClient();
        var data = ContractRouter.RandomBytes(TenMiB, seed: 31);

        var (response, body) = await fixture.ScoreAsync(client, endpoint, new ByteArrayContent(data), "case=hash");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(body);
        Assert.Equal(TenMiB, answer.RootElement.GetProperty("length").GetInt64());
        Assert.Equal(ContractRouter.Sha256(data), answer.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task TenMiBBody_ChunkedFromTheClient_ArrivesByteIdentical()
    {
        var endpoint = await fixture.ServeAsync("k-10m-chunked", fixture.Url);
        using var client = fixture.CreateClient();
        var data = ContractRouter.RandomBytes(TenMiB, seed: 32);
        using var request = ContractRouter.Score(endpoint, new StreamContent(new MemoryStream(data), 50_000), "case=hash");
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TenMiB, answer.RootElement.GetProperty("length").GetInt64());
        Assert.Equal(ContractRouter.Sha256(data), answer.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task TenMiBBody_ChunkedFromCurl_ArrivesByteIdentical()
    {
        var endpoint = await fixture.ServeAsync("k-10m-curl", fixture.Url);
        var file = fixture.WriteRandomFile("curl-10m.bin", TenMiB, seed: 33);

        var result = await fixture.CurlAsync(endpoint, "case=hash", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file);

        Assert.True(result.ExitCode == 0, $"curl failed: {result.Errors}");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        using var answer = JsonDocument.Parse(result.Body);
        Assert.Equal(TenMiB, answer.RootElement.GetProperty("length").GetInt64());
        Assert.Equal(ContractRouter.Sha256(await File.ReadAllBytesAsync(file)), answer.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task LargeChunkedResponse_StreamsThroughByteIdentical()
    {
        var endpoint = await fixture.ServeAsync("k-stream", fixture.Url);
        using var client = fixture.CreateClient();

        var (response, body) = await fixture.ScoreAsync(client, endpoint, query: "case=stream&mib=20");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(20 * 1024 * 1024, body.Length);
        Assert.Equal(ContractRouter.Sha256(ContractRouter.RandomBytes(20 * 1024 * 1024, KestrelContractFixture.StreamSeed)), ContractRouter.Sha256(body));
    }

    [Fact]
    public async Task ManyRequestsInParallel_EachGetsItsOwnAnswer()
    {
        var endpoint = await fixture.ServeAsync("k-parallel", fixture.Url);
        using var client = fixture.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var payload = ContractRouter.RandomBytes(20_000 + i * 1000, seed: 100 + i);
            var (response, body) = await fixture.ScoreAsync(client, endpoint, new ByteArrayContent(payload), "case=echo");
            return (response.StatusCode, Same: body.AsSpan().SequenceEqual(payload));
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers, a => Assert.True(a.Same, "an answer was not its own request's body"));
    }
}
