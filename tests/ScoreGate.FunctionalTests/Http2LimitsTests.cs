using System.Net;
using System.Net.Http.Headers;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>The body limit over HTTP/2: the same 413 and message, and no Kestrel warning for it (HTTP/2 has no Connection header to set).</summary>
public sealed class Http2LimitsTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task Http2_ContentLengthOverTheDefaultLimit_Returns413NamingTheSetting_NoKestrelWarning()
    {
        await using var model = await FakeModel.StartAsync("h2");
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("h2big", "blue=100", ("blue", model.Url));
        using var client = fixture.CreateClient(HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/h2big/score")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new NeverSentContent(104_857_601),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(
            "The request body is larger than this router accepts: at most 104857600 bytes (maxRequestBodyBytes). Send a smaller body (split the batch), or raise maxRequestBodyBytes.",
            await MessageAsync(response));
        Assert.Equal(0, model.RequestCount);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "h2big", key)).StatusCode);
        Assert.DoesNotContain("warn: Microsoft.AspNetCore", fixture.Router.Process.AllOutput, StringComparison.Ordinal);
    }

    /// <summary>Claims a length and sends nothing until the request is over: the router must answer on the length alone.</summary>
    private sealed class NeverSentContent(long length) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = this.length;
            return true;
        }

        private readonly long length = length;
    }
}
