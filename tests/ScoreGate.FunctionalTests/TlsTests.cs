using System.Net;

namespace ScoreGate.FunctionalTests;

/// <summary>TLS termination as real clients see it: openssl s_client, curl, HttpClient.</summary>
public sealed class TlsTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Theory]
    [InlineData("-tls1_3", "TLSv1.3")]
    [InlineData("-tls1_2", "TLSv1.2")]
    public async Task OpenSslClient_SupportedProtocol_CompletesVerifiedHandshake(string flag, string protocol)
    {
        using var run = await OpenSslAsync(flag, "-CAfile", fixture.CaPath, "-verify_return_error");

        Assert.True(run.ExitCode == 0, run.AllOutput);
        Assert.Contains($"Protocol version: {protocol}", run.AllOutput);
        Assert.Contains("Verification: OK", run.AllOutput);
    }

    [Theory]
    [InlineData("-tls1_1")]
    [InlineData("-tls1")]
    public async Task OpenSslClient_OldProtocol_IsRefusedByServer(string flag)
    {
        // SECLEVEL=0 lets the client really offer the old protocol, so the refusal is the router's.
        using var run = await OpenSslAsync(flag, "-cipher", "DEFAULT:@SECLEVEL=0");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("alert protocol version", run.AllOutput);
    }

    [Fact]
    public async Task PlainHttp_AnyPath_Redirects308ToHttpsKeepingPathAndQuery()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri(fixture.Router.HttpBase, "/api/v1/service/iris/score?x=1"));

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"https://127.0.0.1:{fixture.Router.HttpsPort}/api/v1/service/iris/score?x=1", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task HttpsResponse_OverHttp2_CarriesStrictTransportSecurity()
    {
        using var client = fixture.CreateClient(HttpVersion.Version20);

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("max-age=31536000", string.Join(",", response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Curl_WithCaCertificate_VerifiesTheRouter()
    {
        using var run = await ProcessRun.RunAsync("curl", ["-sS", "--cacert", fixture.CaPath, $"https://localhost:{fixture.Router.HttpsPort}/"], TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 0, run.AllOutput);
        Assert.Equal("Healthy", run.StandardOutput.Trim());
    }

    private Task<ProcessRun> OpenSslAsync(params string[] options) =>
        ProcessRun.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{fixture.Router.HttpsPort}", "-servername", "localhost", "-brief", .. options], TimeSpan.FromSeconds(30), standardInput: string.Empty);
}
