using System.Net;

namespace ScoreGate.FunctionalTests;

/// <summary>The router's own TLS changed through the API, and sources that break while it is down.</summary>
public sealed class RouterTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot();

    [Fact]
    public async Task InsecureRouter_TlsEnableThenDisable_TurnsHttpsOnAndOffWithoutRestart()
    {
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(new Uri(router.HttpBase, "/"))).StatusCode);
        using var leaf = _ca.Issue(["localhost", "127.0.0.1"]);
        var (cert, key) = leaf.WriteTo(_dir.Path);

        var enabled = await router.ExpectSuccessAsync("tls", "enable", "--cert", cert, "--key", key);

        Assert.Contains("source      the router (tls enable), --cert/--key", enabled.StandardOutput);
        Assert.Equal(leaf.SerialNumber, await TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, "localhost"));
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await plain.GetAsync(new Uri(router.HttpBase, "/"))).StatusCode);

        var disabled = await router.ExpectSuccessAsync("tls", "disable");

        Assert.Equal("TLS is off: the router serves plain HTTP (allowInsecureConnections=true and no certificate source).", disabled.StandardOutput.Trim());
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(new Uri(router.HttpBase, "/"))).StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => TlsProbe.ServerCertificateSerialAsync(router.HttpsPort, "localhost"));
    }

    [Fact]
    public async Task EndpointSourceBrokenWhileDown_FailsOnlyItsHostName_AndSaysWhy()
    {
        var state = _dir.File("state");
        using var routerLeaf = _ca.Issue(["localhost"]);
        var (routerCert, routerKey) = routerLeaf.WriteTo(_dir.File("router"));
        using var endpointLeaf = _ca.Issue(["fragile.contoso.test"]);
        var (cert, key) = endpointLeaf.WriteTo(_dir.File("fragile"));
        string[] settings = ["--sslCertPemFile", routerCert, "--sslKeyPemFile", routerKey, "--sslCname", "localhost"];
        await using (var first = await RouterProcess.StartAsync(settings, state))
        {
            await first.ExpectSuccessAsync("endpoint", "create", "--name", "fragile");
            await first.ExpectSuccessAsync("tls", "enable", "--endpoint", "fragile", "--cert", cert, "--key", key, "--cname", "fragile.contoso.test");
        }

        File.Delete(cert);
        await using var second = await RouterProcess.StartAsync(settings, state);

        await Assert.ThrowsAnyAsync<Exception>(() => TlsProbe.ServerCertificateSerialAsync(second.HttpsPort, "fragile.contoso.test"));
        Assert.Equal(routerLeaf.SerialNumber, await TlsProbe.ServerCertificateSerialAsync(second.HttpsPort, "localhost"));
        var show = await second.ExpectSuccessAsync("tls", "show", "--endpoint", "fragile");
        Assert.Equal($"host fragile.contoso.test: no certificate is served, so its handshakes are refused. Problem: endpoint 'fragile', --cert/--key: '{cert}' does not exist. Check the path, and that the router can see the file.", show.StandardOutput.Trim());
        Assert.Contains("The certificate for host fragile.contoso.test was refused; it is not served.", second.Process.StandardOutput);
    }

    [Fact]
    public async Task MinProtocolTls13_RefusesTls12_ServesTls13()
    {
        using var leaf = _ca.Issue(["localhost"]);
        var (cert, key) = leaf.WriteTo(_dir.Path);
        await using var router = await RouterProcess.StartAsync(["--sslCertPemFile", cert, "--sslKeyPemFile", key, "--sslMinProtocol", "Tls13"]);

        using var tls12 = await OpenSslAsync(router, "-tls1_2");
        using var tls13 = await OpenSslAsync(router, "-tls1_3");

        Assert.NotEqual(0, tls12.ExitCode);
        Assert.Contains("alert protocol version", tls12.AllOutput);
        Assert.True(tls13.ExitCode == 0, tls13.AllOutput);
        Assert.Contains("Protocol version: TLSv1.3", tls13.AllOutput);
    }

    [Fact]
    public async Task CipherPolicy_ComesFromShippedOpenSslConfiguration_UnlessTheUserSetsTheirOwn()
    {
        using var leaf = _ca.Issue(["localhost"]);
        var (cert, key) = leaf.WriteTo(_dir.Path);
        var permissive = _dir.Write("permissive.cnf", "openssl_conf = c\n[c]\nssl_conf = s\n[s]\nsystem_default = d\n[d]\nCipherString = ALL:@SECLEVEL=0\n");
        string[] settings = ["--sslCertPemFile", cert, "--sslKeyPemFile", key];
        await using var ours = await RouterProcess.StartAsync(settings);
        await using var theirs = await RouterProcess.StartAsync(settings, environment: new Dictionary<string, string> { ["OPENSSL_CONF"] = permissive });

        using var cbcOurs = await OpenSslAsync(ours, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256");
        using var gcmOurs = await OpenSslAsync(ours, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        using var cbcTheirs = await OpenSslAsync(theirs, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256");

        Assert.Contains("alert handshake failure", cbcOurs.AllOutput);
        Assert.Contains("Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256", gcmOurs.AllOutput);
        Assert.Contains("Ciphersuite: ECDHE-ECDSA-AES128-SHA256", cbcTheirs.AllOutput);
    }

    private static Task<ProcessRun> OpenSslAsync(RouterProcess router, params string[] options) =>
        ProcessRun.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{router.HttpsPort}", "-servername", "localhost", "-brief", .. options], TimeSpan.FromSeconds(30), standardInput: string.Empty);

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }
}
