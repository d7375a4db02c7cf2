namespace ScoreGate.FunctionalTests;

/// <summary>
/// Client certificates (mTLS) with real clients (curl, openssl s_client) against a running
/// router: required and optional hosts, each refusal reason, the own-host-name rule, the
/// Host-header fronting attempt, and a host without mTLS that never asks for a certificate.
/// </summary>
public sealed class ClientCertificateTests(ClientCertificateFixture fixture) : IClassFixture<ClientCertificateFixture>
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Required_GoodCertificateAndKey_Gets200_AndTheAccessLogNamesTheCertificate()
    {
        var good = fixture.Clients["good"];

        var response = await CurlAsync(ClientCertificateFixture.RequiredHost, "/score", "good", fixture.RequiredKey);

        ExpectStatus(200, response);
        await fixture.Router.Process.WaitForLineAsync(
            l => l.Contains("POST /score 200", StringComparison.Ordinal) && l.Contains("endpoint=req", StringComparison.Ordinal) &&
                 l.Contains($"client_cert_subject=\"{good.Subject}\"", StringComparison.Ordinal) && l.Contains($"client_cert_sha256={good.Sha256}", StringComparison.Ordinal) &&
                 l.Contains("good@clients.contoso.test", StringComparison.Ordinal),
            LogWait);
    }

    [Fact]
    public async Task Required_GoodCertificateOverHttp2_Gets200_AndTheModelGetsTheIdentity()
    {
        var response = await CurlAsync(ClientCertificateFixture.RequiredHost, "/score", "good", fixture.RequiredKey, http2: true,
            extraHeaders: ["x-request-id: required-over-h2"]);

        ExpectStatus(200, response);
        var received = fixture.Model.ReceivedHeaders.Last(h => h.TryGetValue("x-request-id", out var id) && id == "required-over-h2");
        Assert.Equal(fixture.Clients["good"].Sha256, received["X-Client-Cert-SHA256"]);
    }

    [Fact]
    public async Task Required_GoodCertificateWithoutKey_Gets401()
    {
        var response = await CurlAsync(ClientCertificateFixture.RequiredHost, "/score", "good", key: null);

        ExpectStatus(401, response);
        Assert.Contains("Endpoint 'req' needs a key", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_SharedV1PathOnItsOwnHost_Gets200()
    {
        var response = await CurlAsync(ClientCertificateFixture.RequiredHost, "/api/v1/service/req/score", "good", fixture.RequiredKey);

        ExpectStatus(200, response);
    }

    [Theory]
    [InlineData(null, "NoCertificate")]
    [InlineData("stranger", "UnknownIssuer")]
    [InlineData("expired", "Expired")]
    [InlineData("revoked", "Revoked")]
    [InlineData("serverauth", "NotForClientAuthentication")]
    public async Task Required_MissingOrBadCertificate_FailsTheHandshake_AndTheRouterLogsWhy(string? client, string reason)
    {
        var response = await CurlAsync(ClientCertificateFixture.RequiredHost, "/score", client, fixture.RequiredKey);

        Assert.True(response.Status == 0, $"Expected no HTTP answer, got {response.Status}: {response.Body}");
        Assert.NotEqual(0, response.ExitCode);
        var fingerprint = client is null ? "(none)" : fixture.Clients[client].Sha256;
        await fixture.Router.Process.WaitForLineAsync(
            l => l.Contains($"Handshake for host {ClientCertificateFixture.RequiredHost} refused: {reason}: ", StringComparison.Ordinal) && l.Contains($"SHA-256 {fingerprint}", StringComparison.Ordinal),
            LogWait);
    }

    [Theory]
    [InlineData(null, "no client certificate was sent (no certificate)")]
    [InlineData("stranger", "the client certificate is not issued by a CA this host trusts for client certificates (unknown issuer 'CN=ScoreGate Client CA') (unknown issuer)")]
    [InlineData("expired", "(expired)")]
    [InlineData("revoked", "is on the CRL) (revoked)")]
    [InlineData("serverauth", "the client certificate is not for client authentication (its extended key usage lacks clientAuth) (not for client authentication)")]
    public async Task Optional_MissingOrBadCertificate_Gets403NamingTheReason(string? client, string reason)
    {
        var response = await CurlAsync(ClientCertificateFixture.OptionalHost, "/score", client, fixture.OptionalKey);

        ExpectStatus(403, response);
        Assert.Contains($"Host {ClientCertificateFixture.OptionalHost} requires a client certificate, and ", response.Body, StringComparison.Ordinal);
        Assert.Contains(reason, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optional_BadCertificateAndNoKey_Gets403BeforeTheKeyCheck()
    {
        var response = await CurlAsync(ClientCertificateFixture.OptionalHost, "/score", "stranger", key: null);

        ExpectStatus(403, response);
    }

    [Fact]
    public async Task Optional_GoodCertificate_ModelGetsTheIdentityHeaders_AndNeverTheClientsOwn()
    {
        var good = fixture.Clients["good"];

        var response = await CurlAsync(ClientCertificateFixture.OptionalHost, "/score", "good", fixture.OptionalKey,
            extraHeaders: ["X-Client-Cert-Subject: CN=admin", "X-Client-Cert-SHA256: 00", "X-Client-Cert-SAN: DNS:evil", "x-request-id: forwarded-identity"]);

        ExpectStatus(200, response);
        var received = fixture.Model.ReceivedHeaders.Last(h => h.TryGetValue("x-request-id", out var id) && id == "forwarded-identity");
        Assert.Equal(good.Subject, received["X-Client-Cert-Subject"]);
        Assert.Equal(good.Sha256, received["X-Client-Cert-SHA256"]);
        Assert.Contains("good@clients.contoso.test", received["X-Client-Cert-SAN"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedV1Path_ForRequiredEndpointOnRouterHost_Gets403NamingItsOwnUrl()
    {
        var response = await CurlAsync("localhost", "/api/v1/service/req/score", "good", fixture.RequiredKey);

        ExpectStatus(403, response);
        Assert.Contains("Endpoint 'req' requires a client certificate, which the router asks for only in TLS handshakes for the endpoint's own host name req.mtls.test; this connection was opened for 'localhost', and TLS 1.3 has no renegotiation", response.Body, StringComparison.Ordinal);
        Assert.Contains($"Score at https://req.mtls.test:{fixture.Router.HttpsPort}/score with a client certificate.", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HostHeaderFronting_FromAConnectionForAnotherName_Gets403(bool http2)
    {
        // The connection is for plain.mtls.test (no certificate asked); only the Host header names the mTLS host.
        var response = await CurlAsync(ClientCertificateFixture.PlainHost, "/score", "good", fixture.RequiredKey, hostHeader: ClientCertificateFixture.RequiredHost, http2: http2);

        ExpectStatus(403, response);
        Assert.Contains("this connection was opened for 'plain.mtls.test'", response.Body, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Model.ReceivedHeaders.Count(h => h.TryGetValue("Authorization", out var a) && a.Contains(fixture.RequiredKey, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HostWithoutClientCa_NeverAsksForACertificate_WhileTheMtlsHostListsItsCa()
    {
        var plain = await SClientAsync(ClientCertificateFixture.PlainHost);
        var optional = await SClientAsync(ClientCertificateFixture.OptionalHost);

        // OpenSSL 3's s_client prints "No client certificate CA names sent" whenever the list is
        // empty, CertificateRequest or not; "Requested Signature Algorithms" comes only from a
        // CertificateRequest (RFC 8446 §4.3.2), so it tells whether the server asked.
        Assert.Contains("Verify return code: 0 (ok)", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("Acceptable client certificate CA names", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("Requested Signature Algorithms", plain, StringComparison.Ordinal);
        var routerDefault = await SClientAsync("localhost");
        Assert.DoesNotContain("Acceptable client certificate CA names", routerDefault, StringComparison.Ordinal);
        Assert.DoesNotContain("Requested Signature Algorithms", routerDefault, StringComparison.Ordinal);
        Assert.Contains("Acceptable client certificate CA names", optional, StringComparison.Ordinal);
        Assert.Contains("Requested Signature Algorithms", optional, StringComparison.Ordinal);
        Assert.Contains("ScoreGate Client CA", optional[optional.IndexOf("Acceptable client certificate CA names", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpensslSClient_WithGoodCertificate_ScoresOnTheRequiredHost()
    {
        var good = fixture.Clients["good"];
        var request = $"POST /score HTTP/1.1\r\nHost: {ClientCertificateFixture.RequiredHost}\r\nAuthorization: Bearer {fixture.RequiredKey}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}";

        var output = await SClientAsync(ClientCertificateFixture.RequiredHost, ["-cert", good.Certificate, "-key", good.Key, "-ign_eof"], request);

        Assert.Contains("HTTP/1.1 200 OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResumedSession_WithoutSendingTheCertificateAgain_KeepsTheCertificateOfItsFullHandshake()
    {
        var good = fixture.Clients["good"];
        var session = Path.Combine(fixture.Directory, $"session-{Guid.NewGuid():N}.pem");
        string Request(string host) => $"POST /score HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {fixture.OptionalKey}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}";

        var full = await SClientAsync(ClientCertificateFixture.OptionalHost, ["-cert", good.Certificate, "-key", good.Key, "-sess_out", session, "-ign_eof"], Request(ClientCertificateFixture.OptionalHost));
        var resumed = await SClientAsync(ClientCertificateFixture.OptionalHost, ["-sess_in", session, "-ign_eof"], Request(ClientCertificateFixture.OptionalHost));

        Assert.Contains("HTTP/1.1 200 OK", full, StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1.3", resumed, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 OK", resumed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsUpdate_WithoutClientCertificateFlags_KeepsTheClientCa()
    {
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("upd", "blue=100", ("blue", fixture.Model.Url));
        await fixture.EnableAsync("upd", "upd.mtls.test", "--client-ca", fixture.ClientCaPath, "--client-certificate", "optional");
        using var leaf = fixture.ServerCa.Issue(["upd.mtls.test"]);
        var (cert, certificateKey) = leaf.WriteTo(Path.Combine(fixture.Directory, "upd-new"));

        var updated = await fixture.Router.ExpectSuccessAsync("tls", "update", "--endpoint", "upd", "--cert", cert, "--key", certificateKey);

        Assert.Contains($"serial      {leaf.SerialNumber}", updated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("client cert optional", updated.StandardOutput, StringComparison.Ordinal);
        ExpectStatus(403, await CurlAsync("upd.mtls.test", "/score", null, key));
        ExpectStatus(200, await CurlAsync("upd.mtls.test", "/score", "good", key));
    }

    [Fact]
    public async Task TlsShow_MtlsEndpoint_ShowsModeCaSubjectsAndCrl()
    {
        var show = await fixture.Router.ExpectSuccessAsync("tls", "show", "--endpoint", "opt");

        Assert.Contains("client cert optional (mTLS: asked for in this host name's handshakes)", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"client CA   {fixture.ClientCaPath}: CN=ScoreGate Client CA", show.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"client CRL  {fixture.CrlPath} (issuer CN=ScoreGate Client CA, 1 revoked, updated ", show.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--client-crl CRL", "error: --client-crl needs --client-ca: a CRL revokes certificates of a client CA. Give --client-ca with the PEM file of that CA, or remove --client-crl.")]
    [InlineData("--client-certificate optional", "error: --client-certificate optional needs --client-ca: client certificates are checked against a CA. Give --client-ca with the PEM file of the CA that issues them, or remove --client-certificate.")]
    [InlineData("--client-ca CA --client-certificate sometimes", "error: --client-certificate 'sometimes' is not a mode. Use required (a missing or bad client certificate fails the handshake; the default) or optional (such requests get 403 saying why).")]
    [InlineData("--client-ca MISSING", "error: --client-ca 'MISSING' cannot be read: Could not find file 'MISSING'. Give the PEM file of the CA that issues the client certificates.")]
    [InlineData("--client-ca GOODCERT", "error: --client-ca 'GOODCERT' holds 'CN=good, O=ScoreGate Tests', which is not a CA certificate (no basicConstraints CA:TRUE). Give the CA that issues the client certificates, not a client certificate.")]
    [InlineData("--client-ca CA --client-crl CA", "error: --client-crl 'CA' is not a CRL. Give the CA's certificate revocation list in PEM (-----BEGIN X509 CRL-----) or DER, as made by: openssl ca -gencrl -out crl.pem")]
    public async Task TlsEnable_BadClientCertificateInput_IsRefused_AndTheHostKeepsServingWhatItDid(string options, string expected)
    {
        var missing = Path.Combine(fixture.Directory, "no-such-ca.pem");
        string Substitute(string text) => text.Replace("MISSING", missing, StringComparison.Ordinal).Replace("GOODCERT", fixture.Clients["good"].Certificate, StringComparison.Ordinal)
            .Replace("CRL", fixture.CrlPath, StringComparison.Ordinal).Replace("CA", fixture.ClientCaPath, StringComparison.Ordinal);
        using var leaf = fixture.ServerCa.Issue([ClientCertificateFixture.PlainHost]);
        var (cert, key) = leaf.WriteTo(Path.Combine(fixture.Directory, "refused"));

        var run = await fixture.Router.CliAsync(["tls", "enable", "--endpoint", "plain", "--cert", cert, "--key", key, "--cname", ClientCertificateFixture.PlainHost, .. options.Split(' ').Select(Substitute)]);

        run.ExpectExitCode(1);
        Assert.Equal(expected.Replace("MISSING", missing, StringComparison.Ordinal).Replace("GOODCERT", fixture.Clients["good"].Certificate, StringComparison.Ordinal)
            .Replace("'CRL'", $"'{fixture.CrlPath}'", StringComparison.Ordinal).Replace("'CA'", $"'{fixture.ClientCaPath}'", StringComparison.Ordinal), run.StandardError.Trim());
        Assert.DoesNotContain("client cert", (await fixture.Router.ExpectSuccessAsync("tls", "show", "--endpoint", "plain")).StandardOutput, StringComparison.Ordinal);
        Assert.Equal(200, (await CurlAsync(ClientCertificateFixture.PlainHost, "/score", null, fixture.PlainKey)).Status);
    }

    [Fact]
    public async Task ChangedCrl_IsPickedUp_AndABrokenCaFileKeepsTheLastGoodBinding()
    {
        var ca = Path.Combine(fixture.Directory, "reload", "ca.pem");
        var crl = Path.Combine(fixture.Directory, "reload", "crl.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(ca)!);
        File.Copy(fixture.ClientCaPath, ca);
        File.WriteAllText(crl, fixture.ClientCa.CreateCrlPem());
        var (key, _) = await fixture.Router.CreateServedEndpointAsync("reload", "blue=100", ("blue", fixture.Model.Url));
        await fixture.EnableAsync("reload", "reload.mtls.test", "--client-ca", ca, "--client-crl", crl, "--client-certificate", "optional");
        ExpectStatus(200, await CurlAsync("reload.mtls.test", "/score", "good", key));

        // A new CRL that revokes the good certificate: its contents are part of the binding's fingerprint.
        using var good = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(fixture.Clients["good"].Certificate));
        File.WriteAllText(crl, fixture.ClientCa.CreateCrlPem(good));
        await fixture.Router.Process.WaitForLineAsync(l => l.Contains("Certificate for host reload.mtls.test:", StringComparison.Ordinal) && l.Contains("now serves new connections", StringComparison.Ordinal) &&
            fixture.Router.Process.AllOutput.Split('\n').Count(x => x.Contains("Certificate for host reload.mtls.test:", StringComparison.Ordinal)) >= 2, LogWait);
        var revoked = await CurlAsync("reload.mtls.test", "/score", "good", key);
        ExpectStatus(403, revoked);
        Assert.Contains("(revoked)", revoked.Body, StringComparison.Ordinal);

        // A broken CA file is refused and the last good binding (with the new CRL) keeps serving.
        File.WriteAllText(ca, "garbage\n");
        await fixture.Router.Process.WaitForLineAsync(l => l.Contains("The certificate for host reload.mtls.test was refused; the previous certificate keeps serving.", StringComparison.Ordinal) &&
            l.Contains($"--client-ca '{ca}' holds no PEM certificate.", StringComparison.Ordinal), LogWait);
        ExpectStatus(403, await CurlAsync("reload.mtls.test", "/score", "good", key));
        ExpectStatus(403, await CurlAsync("reload.mtls.test", "/score", null, key));
        Assert.Contains("problem", (await fixture.Router.ExpectSuccessAsync("tls", "show", "--endpoint", "reload")).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouterSetting_SslClientCaPemFile_RequiresACertificateOnTheRouterHost_AndClientIdentityHeadersNeverPass()
    {
        await using var router = await StartRouterAsync(["--sslClientCaPemFile", fixture.ClientCaPath]);
        var (key, _) = await router.CreateServedEndpointAsync("shared", "blue=100", ("blue", fixture.Model.Url));

        var good = await Curl.PostAsync(router.HttpsPort, fixture.ServerCaPath, "localhost", "/api/v1/service/shared/score", fixture.Clients["good"], key,
            extraHeaders: ["X-Client-Cert-Subject: CN=admin", "x-request-id: router-level-mtls"]);
        var none = await Curl.PostAsync(router.HttpsPort, fixture.ServerCaPath, "localhost", "/api/v1/service/shared/score", null, key);

        ExpectStatus(200, good);
        Assert.False(fixture.Model.ReceivedHeaders.Last(h => h.TryGetValue("x-request-id", out var id) && id == "router-level-mtls").ContainsKey("X-Client-Cert-Subject"));
        Assert.Equal(0, none.Status);
        await router.Process.WaitForLineAsync(l => l.Contains("Handshake for the router's default binding refused: NoCertificate: no client certificate was sent", StringComparison.Ordinal), LogWait);
        Assert.Contains("client cert required", (await router.ExpectSuccessAsync("tls", "show")).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsEnableWithoutEndpoint_ClientCaFlags_ApplyToTheRoutersOwnBinding()
    {
        await using var router = await StartRouterAsync([]);
        var (key, _) = await router.CreateServedEndpointAsync("own", "blue=100", ("blue", fixture.Model.Url));
        using var leaf = fixture.ServerCa.Issue(["localhost"]);
        var (cert, certificateKey) = leaf.WriteTo(Path.Combine(fixture.Directory, $"router-own-{Guid.NewGuid():N}"));
        ExpectStatus(200, await Curl.PostAsync(router.HttpsPort, fixture.ServerCaPath, "localhost", "/api/v1/service/own/score", null, key));

        var enabled = await router.ExpectSuccessAsync("tls", "enable", "--cert", cert, "--key", certificateKey, "--cname", "localhost",
            "--client-ca", fixture.ClientCaPath, "--client-certificate", "optional");

        Assert.Contains("client cert optional", enabled.StandardOutput, StringComparison.Ordinal);
        var none = await Curl.PostAsync(router.HttpsPort, fixture.ServerCaPath, "localhost", "/api/v1/service/own/score", null, key);
        ExpectStatus(403, none);
        Assert.Contains("Host localhost requires a client certificate, and no client certificate was sent (no certificate).", none.Body, StringComparison.Ordinal);
        ExpectStatus(200, await Curl.PostAsync(router.HttpsPort, fixture.ServerCaPath, "localhost", "/api/v1/service/own/score", fixture.Clients["good"], key));
    }

    [Theory]
    [InlineData("--sslClientCrlPemFile CRLFILE", "sslClientCrlPemFile is set but sslClientCaPemFile is not: client certificates are checked against a CA. Set sslClientCaPemFile to the PEM file of the client CA, or remove sslClientCrlPemFile.")]
    [InlineData("--sslClientCertificateMode optional", "sslClientCertificateMode is set but sslClientCaPemFile is not: client certificates are checked against a CA. Set sslClientCaPemFile to the PEM file of the client CA, or remove sslClientCertificateMode.")]
    [InlineData("--sslClientCaPemFile CA --sslClientCertificateMode sometimes", "sslClientCertificateMode 'sometimes' is not a mode. Use required (a missing or bad client certificate fails the handshake) or optional (such requests get 403).")]
    [InlineData("--sslClientCaPemFile GOODCERT", "sslClientCaPemFile 'GOODCERT' holds 'CN=good, O=ScoreGate Tests', which is not a CA certificate (no basicConstraints CA:TRUE). Give the CA that issues the client certificates, not a client certificate.")]
    [InlineData("--sslClientCaPemFile CA --sslClientCrlPemFile CA", "sslClientCrlPemFile 'CA' is not a CRL. Give the CA's certificate revocation list in PEM (-----BEGIN X509 CRL-----) or DER, as made by: openssl ca -gencrl -out crl.pem")]
    public async Task Serve_BadClientCertificateSettings_ExitsNamingTheSettingAndTheFix(string settings, string expected)
    {
        string Substitute(string text) => text.Replace("GOODCERT", fixture.Clients["good"].Certificate, StringComparison.Ordinal)
            .Replace("CRLFILE", fixture.CrlPath, StringComparison.Ordinal).Replace("'CA'", $"'{fixture.ClientCaPath}'", StringComparison.Ordinal);
        using var state = new TempDirectory();
        using var leaf = fixture.ServerCa.Issue(["localhost"]);
        var (cert, key) = leaf.WriteTo(state.Path);
        string[] given = [.. settings.Split(' ').Select(a => a == "CA" ? fixture.ClientCaPath : Substitute(a))];

        using var run = ProcessRun.StartScoreGate(["serve", "--stateDir", state.File("state"), "--adminUrl", $"http://127.0.0.1:{FreePort.Next()}",
            "--httpsPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--httpPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--sslCertPemFile", cert, "--sslKeyPemFile", key, .. given], state.Path);
        await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        run.ExpectExitCode(2);
        Assert.Contains(Substitute(expected), run.StandardError, StringComparison.Ordinal);
    }

    private async Task<RouterProcess> StartRouterAsync(string[] settings)
    {
        using var leaf = fixture.ServerCa.Issue(["localhost", "127.0.0.1"]);
        var directory = Path.Combine(fixture.Directory, $"router-{Guid.NewGuid():N}");
        var (cert, key) = leaf.WriteTo(directory);
        return await RouterProcess.StartAsync(["--sslCertPemFile", cert, "--sslKeyPemFile", key, "--sslCname", "localhost", .. settings]);
    }

    private static void ExpectStatus(int expected, CurlResponse response) =>
        Assert.True(response.Status == expected, $"Expected {expected}, got {response.Status} (curl exit {response.ExitCode}: {response.Error}) {response.Body}");

    private async Task<string> SClientAsync(string serverName, string[]? extra = null, string input = "")
    {
        using var run = await ProcessRun.RunAsync("openssl",
            ["s_client", "-connect", $"127.0.0.1:{fixture.Router.HttpsPort}", "-servername", serverName, "-CAfile", fixture.ServerCaPath, .. extra ?? []],
            TimeSpan.FromSeconds(30), standardInput: input);
        return run.AllOutput;
    }

    private Task<CurlResponse> CurlAsync(string connectHost, string path, string? client, string? key, string? hostHeader = null, bool http2 = false, string[]? extraHeaders = null) =>
        Curl.PostAsync(fixture.Router.HttpsPort, fixture.ServerCaPath, connectHost, path, client is null ? null : fixture.Clients[client], key, hostHeader, http2, extraHeaders);
}

/// <summary>curl's answer: the status (0 when there was no HTTP answer), the body, and how curl exited.</summary>
public sealed record CurlResponse(int Status, string Body, int ExitCode, string Error);

/// <summary>POSTs a scoring request with curl, as a user would, optionally with a client certificate.</summary>
public static class Curl
{
    public static async Task<CurlResponse> PostAsync(
        int port, string serverCa, string connectHost, string path, (string Certificate, string Key, string Sha256, string Subject)? client, string? key,
        string? hostHeader = null, bool http2 = false, string[]? extraHeaders = null)
    {
        List<string> arguments =
        [
            "-sS", "--max-time", "20", "--resolve", $"{connectHost}:{port}:127.0.0.1", "--cacert", serverCa, http2 ? "--http2" : "--http1.1",
            "-o", "-", "-w", "\n%{http_code}", "-H", "Content-Type: application/json", "--data", """{"data": [[1, 2, 3, 4]]}""",
        ];
        if (client is { } given)
        {
            arguments.AddRange(["--cert", given.Certificate, "--key", given.Key]);
        }

        if (key is not null)
        {
            arguments.AddRange(["-H", $"Authorization: Bearer {key}"]);
        }

        if (hostHeader is not null)
        {
            arguments.AddRange(["-H", $"Host: {hostHeader}"]);
        }

        foreach (var header in extraHeaders ?? [])
        {
            arguments.AddRange(["-H", header]);
        }

        arguments.Add($"https://{connectHost}:{port}{path}");
        using var run = await ProcessRun.RunAsync("curl", arguments, TimeSpan.FromSeconds(30));
        var output = run.StandardOutput.TrimEnd();
        var split = output.LastIndexOf('\n');
        var status = int.TryParse(output[(split + 1)..].Trim(), out var code) ? code : 0;
        return new CurlResponse(status, split < 0 ? string.Empty : output[..split], run.ExitCode, run.StandardError);
    }
}
