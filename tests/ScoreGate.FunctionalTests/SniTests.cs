using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ScoreGate.FunctionalTests;

/// <summary>One router, many host names: each endpoint can have its own certificate and host.</summary>
public sealed class SniTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task TwoEndpointsWithOwnHostNames_EachNameGetsItsCertificate_AndScoresByHost()
    {
        var (alphaKey, _) = await fixture.Router.CreateServedEndpointAsync("alpha", "blue=100", ("blue", fixture.Blue.Url));
        await fixture.Router.CreateServedEndpointAsync("beta", "green=100", ("green", fixture.Green.Url));
        await EnableOwnCertificateAsync("alpha", "alpha.contoso.test");
        await EnableOwnCertificateAsync("beta", "beta.contoso.test");

        Assert.Equal("CN = alpha.contoso.test", await PeerSubjectAsync("alpha.contoso.test"));
        Assert.Equal("CN = beta.contoso.test", await PeerSubjectAsync("beta.contoso.test"));
        Assert.Equal("CN = localhost", await PeerSubjectAsync("localhost"));
        Assert.Equal("CN = localhost", await PeerSubjectAsync("gamma.contoso.test"));

        using var alpha = ClientFor("alpha.contoso.test");
        var response = await ScoreByHostAsync(alpha, alphaKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("blue", response.Headers.GetValues("azureml-model-deployment").Single());
        Assert.Contains("\"path\":\"/score\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DisableEndpointCertificate_FallsBackToRouterCertificate_AndHostRoutingStops()
    {
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("fallback", "blue=100", ("blue", fixture.Blue.Url));
        await EnableOwnCertificateAsync("fallback", "fallback.contoso.test");
        Assert.Equal("CN = fallback.contoso.test", await PeerSubjectAsync("fallback.contoso.test"));

        var disabled = await fixture.Router.ExpectSuccessAsync("tls", "disable", "--endpoint", "fallback");

        Assert.Contains("This endpoint has no certificate of its own; the router's serves it:", disabled.StandardOutput);
        Assert.Equal("CN = localhost", await PeerSubjectAsync("fallback.contoso.test"));
        var show = await fixture.Router.ExpectSuccessAsync("tls", "show", "--endpoint", "fallback");
        Assert.Contains("source      sslCertPemFile/sslKeyPemFile", show.StandardOutput);
    }

    [Fact]
    public async Task UploadedPem_IsServed_AndItsKeyIsEncryptedAtRest()
    {
        await fixture.Router.CreateServedEndpointAsync("uploaded", "blue=100", ("blue", fixture.Blue.Url));
        using var dir = new TempDirectory();
        using var leaf = fixture.Ca.Issue(["uploaded.contoso.test"]);
        var (cert, key) = leaf.WriteTo(dir.Path);

        var enabled = await fixture.Router.ExpectSuccessAsync("tls", "enable", "--endpoint", "uploaded", "--cert", cert, "--key", key, "--upload", "--cname", "uploaded.contoso.test");
        File.Delete(cert);
        File.Delete(key);

        Assert.Contains("source      endpoint 'uploaded', PEM text", enabled.StandardOutput);
        Assert.Equal("CN = uploaded.contoso.test", await PeerSubjectAsync("uploaded.contoso.test"));
        var keyBody = leaf.KeyPem.Split('\n')[1];
        Assert.DoesNotContain(keyBody, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(fixture.Router.StateDir, "scoregate.db"))));
    }

    [Fact]
    public async Task EndpointSecret_IsServedAndItsSwapPickedUp()
    {
        await fixture.Router.CreateServedEndpointAsync("mounted", "blue=100", ("blue", fixture.Blue.Url));
        var secret = new MountedSecret(fixture.SecretsRoot, "mounted-tls");
        using var first = fixture.Ca.Issue(["mounted.contoso.test"]);
        await secret.PublishAsync(first);

        await fixture.Router.ExpectSuccessAsync("tls", "enable", "--endpoint", "mounted", "--secret", "mounted-tls", "--cname", "mounted.contoso.test");
        Assert.Equal(first.SerialNumber, await TlsProbe.ServerCertificateSerialAsync(fixture.Router.HttpsPort, "mounted.contoso.test"));

        using var second = fixture.Ca.Issue(["mounted.contoso.test"]);
        await secret.PublishAsync(second);
        await fixture.Router.Process.WaitForLineAsync(l => l.Contains($"(serial {second.SerialNumber},", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(second.SerialNumber, await TlsProbe.ServerCertificateSerialAsync(fixture.Router.HttpsPort, "mounted.contoso.test"));
    }

    [Theory]
    [InlineData("refuse-a", new[] { "--cname", "refuse-a.contoso.test" }, "error: Give one certificate source: --cert and --key (PEM files), or --secret (a directory under secretsRoot), or --cert and --key with --upload (PEM text stored encrypted), or --leaf-domain-label (a managed certificate for a generated name).")]
    [InlineData("refuse-g", new[] { "--leaf-domain-label", "iris", "--cname", "iris.contoso.test" }, "error: --cname cannot be combined with --leaf-domain-label: the managed certificate's name is generated.")]
    [InlineData("refuse-h", new[] { "--leaf-domain-label", "iris" }, "error: Managed certificates need the router setting dnsZone, the DNS zone generated names live in. Restart the router with dnsZone set (and dnsServer to publish the names).")]
    [InlineData("refuse-i", new[] { "--secret", "x", "--overwrite-existing-domain" }, "error: --overwrite-existing-domain applies only with --leaf-domain-label.")]
    [InlineData("refuse-b", new[] { "--secret", "x", "--cert", "/tmp/c.pem", "--key", "/tmp/k.pem" }, "error: Give one certificate source: --cert and --key (PEM files), or --secret (a directory under secretsRoot), or --cert and --key with --upload (PEM text stored encrypted), or --leaf-domain-label (a managed certificate for a generated name).")]
    [InlineData("refuse-c", new[] { "--cert", "CERT", "--key", "KEY" }, "error: Endpoint 'refuse-c' needs its own host name for its certificate: give --cname, such as refuse-c.contoso.com.")]
    [InlineData("refuse-d", new[] { "--cert", "CERT", "--key", "KEY", "--cname", "other.contoso.test" }, "error: --cname 'other.contoso.test' is not covered by the certificate in 'CERT', which is valid for: refuse-d.contoso.test. Use a certificate that names other.contoso.test, or set --cname to one of the certificate's names.")]
    [InlineData("refuse-e", new[] { "--cert", "CERT", "--key", "KEY", "--cname", "https://refuse-e.contoso.test" }, "error: --cname 'https://refuse-e.contoso.test' is not a host name. Give the name clients use, such as refuse-e.contoso.com (no scheme, port, path or wildcard).")]
    [InlineData("refuse-f", new[] { "--cert", "KEY", "--key", "KEY", "--cname", "refuse-f.contoso.test" }, "error: endpoint 'refuse-f', --cert/--key: 'KEY' holds a private key but no certificate. Give the certificate chain file as the certificate and this file as the key.")]
    public async Task EnableEndpointCertificate_BadRequest_IsRefusedAndNothingChanges(string endpoint, string[] options, string expected)
    {
        await fixture.Router.CreateServedEndpointAsync(endpoint, "blue=100", ("blue", fixture.Blue.Url));
        using var dir = new TempDirectory();
        using var leaf = fixture.Ca.Issue([$"{endpoint}.contoso.test"]);
        var (cert, key) = leaf.WriteTo(dir.Path);
        string[] arguments = ["tls", "enable", "--endpoint", endpoint, .. options.Select(o => o == "CERT" ? cert : o == "KEY" ? key : o)];

        var run = await fixture.Router.CliAsync(arguments);

        run.ExpectExitCode(1);
        Assert.Equal(expected.Replace("CERT", cert, StringComparison.Ordinal).Replace("KEY", key, StringComparison.Ordinal), run.StandardError.Trim());
        Assert.Contains("This endpoint has no certificate of its own", (await fixture.Router.ExpectSuccessAsync("tls", "show", "--endpoint", endpoint)).StandardOutput);
    }

    [Fact]
    public async Task EnableEndpointCertificate_HostNameOfAnotherEndpoint_IsAConflict()
    {
        await fixture.Router.CreateServedEndpointAsync("owner", "blue=100", ("blue", fixture.Blue.Url));
        await fixture.Router.CreateServedEndpointAsync("squatter", "blue=100", ("blue", fixture.Blue.Url));
        await EnableOwnCertificateAsync("owner", "owned.contoso.test");

        var run = await fixture.Router.CliAsync("tls", "enable", "--endpoint", "squatter", "--cert", "/x/c.pem", "--key", "/x/k.pem", "--cname", "owned.contoso.test");

        Assert.Equal("error: Host name 'owned.contoso.test' already belongs to endpoint 'owner'. Give each endpoint its own host name.", run.StandardError.Trim());
    }

    [Fact]
    public async Task DisableRouterTls_WithoutAllowInsecure_IsRefusedSayingWhy()
    {
        var run = await fixture.Router.CliAsync("tls", "disable");

        run.ExpectExitCode(1);
        Assert.Equal("error: Turning off the router's TLS would leave it serving plain HTTP, which allowInsecureConnections=false forbids. Restart the router with allowInsecureConnections=true first if that is really wanted.", run.StandardError.Trim());
        Assert.Equal("CN = localhost", await PeerSubjectAsync("localhost"));
    }

    [Fact]
    public async Task UpdateEndpointCertificate_WithoutOne_SaysToEnableFirst()
    {
        await fixture.Router.CreateServedEndpointAsync("never", "blue=100", ("blue", fixture.Blue.Url));

        var run = await fixture.Router.CliAsync("tls", "update", "--endpoint", "never", "--cert", "/x/c.pem", "--key", "/x/k.pem");

        Assert.Equal("error: Endpoint 'never' has no certificate of its own. Use 'tls enable --endpoint never' first.", run.StandardError.Trim());
    }

    private async Task EnableOwnCertificateAsync(string endpoint, string hostName)
    {
        var dir = Path.Combine(fixture.Router.StateDir, "certs", endpoint);
        using var leaf = fixture.Ca.Issue([hostName]);
        var (cert, key) = leaf.WriteTo(dir);
        await fixture.Router.ExpectSuccessAsync("tls", "enable", "--endpoint", endpoint, "--cert", cert, "--key", key, "--cname", hostName);
    }

    private async Task<string> PeerSubjectAsync(string serverName)
    {
        using var run = await ProcessRun.RunAsync("openssl",
            ["s_client", "-connect", $"127.0.0.1:{fixture.Router.HttpsPort}", "-servername", serverName, "-brief"], TimeSpan.FromSeconds(30), standardInput: string.Empty);
        var line = run.AllOutput.Split('\n').FirstOrDefault(l => l.StartsWith("Peer certificate: ", StringComparison.Ordinal));
        return line?["Peer certificate: ".Length..].Trim() ?? throw new InvalidOperationException($"No peer certificate for {serverName}:\n{run.AllOutput}");
    }

    private HttpClient ClientFor(string hostName) => HostNameClient.Create(hostName, fixture.Router.HttpsPort, fixture.Ca.Certificate);

    private static async Task<HttpResponseMessage> ScoreByHostAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/score") { Content = ScoringTests.Json("""{"data": [[1, 2, 3, 4]]}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }
}
