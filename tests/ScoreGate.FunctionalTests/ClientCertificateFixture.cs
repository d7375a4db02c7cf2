namespace ScoreGate.FunctionalTests;

/// <summary>
/// One router (certificate for localhost, access log on, client identity forwarded to models)
/// with a client CA, and the client certificates tests present: good, from an unrelated CA with
/// the same name, expired, revoked by the CA's CRL, and one for server authentication only.
/// </summary>
public sealed class ClientCertificateFixture : IAsyncLifetime
{
    private readonly TempDirectory _files = new();

    public TestCertificateAuthority ServerCa { get; } = TestCertificateAuthority.CreateRoot();

    public TestCertificateAuthority ClientCa { get; } = TestCertificateAuthority.CreateRoot("ScoreGate Client CA");

    /// <summary>Same name as <see cref="ClientCa"/>, different key: only the signature tells them apart.</summary>
    public TestCertificateAuthority StrangerCa { get; } = TestCertificateAuthority.CreateRoot("ScoreGate Client CA");

    public RouterProcess Router { get; private set; } = null!;

    public FakeModel Model { get; private set; } = null!;

    public string ServerCaPath => _files.File("server-ca.pem");

    public string ClientCaPath => _files.File("client-ca.pem");

    public string CrlPath => _files.File("client-crl.pem");

    public string Directory => _files.Path;

    /// <summary>Client certificate/key file pairs by name: good, stranger, expired, revoked, serverauth.</summary>
    public Dictionary<string, (string Certificate, string Key, string Sha256, string Subject)> Clients { get; } = [];

    public async Task InitializeAsync()
    {
        File.WriteAllText(ServerCaPath, ServerCa.CertificatePem);
        File.WriteAllText(ClientCaPath, ClientCa.CertificatePem);
        var now = DateTimeOffset.UtcNow;
        using var good = ClientCa.IssueClient("good");
        using var stranger = StrangerCa.IssueClient("stranger");
        using var expired = ClientCa.IssueClient("expired", now.AddDays(-30), now.AddDays(-1));
        using var revoked = ClientCa.IssueClient("revoked");
        using var serverAuth = ClientCa.IssueClient("serverauth", extendedKeyUsages: [TestCertificateAuthority.ServerAuthentication]);
        foreach (var (name, certificate) in new[] { ("good", good), ("stranger", stranger), ("expired", expired), ("revoked", revoked), ("serverauth", serverAuth) })
        {
            var (cert, key) = certificate.WriteTo(_files.File($"clients/{name}"));
            Clients[name] = (cert, key, certificate.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), certificate.Certificate.Subject);
        }

        File.WriteAllText(CrlPath, ClientCa.CreateCrlPem(revoked.Certificate));
        using var leaf = ServerCa.Issue(["localhost", "127.0.0.1"]);
        var (serverCert, serverKey) = leaf.WriteTo(_files.Path);
        Model = await FakeModel.StartAsync("blue");
        Router = await RouterProcess.StartAsync(["--sslCertPemFile", serverCert, "--sslKeyPemFile", serverKey, "--sslCname", "localhost", "--accessLog", "true", "--forwardClientCertificate", "true"]);

        (RequiredKey, _) = await Router.CreateServedEndpointAsync("req", "blue=100", ("blue", Model.Url));
        await EnableAsync("req", RequiredHost, "--client-ca", ClientCaPath, "--client-crl", CrlPath);
        (OptionalKey, _) = await Router.CreateServedEndpointAsync("opt", "blue=100", ("blue", Model.Url));
        await EnableAsync("opt", OptionalHost, "--client-ca", ClientCaPath, "--client-crl", CrlPath, "--client-certificate", "optional");
        (PlainKey, _) = await Router.CreateServedEndpointAsync("plain", "blue=100", ("blue", Model.Url));
        await EnableAsync("plain", PlainHost);
    }

    /// <summary>Endpoint "req": client certificates required, CRL given.</summary>
    public const string RequiredHost = "req.mtls.test";

    /// <summary>Endpoint "opt": client certificates optional, CRL given.</summary>
    public const string OptionalHost = "opt.mtls.test";

    /// <summary>Endpoint "plain": its own certificate, no client certificates.</summary>
    public const string PlainHost = "plain.mtls.test";

    public string RequiredKey { get; private set; } = null!;

    public string OptionalKey { get; private set; } = null!;

    public string PlainKey { get; private set; } = null!;

    /// <summary>A certificate for <paramref name="hostName"/> from the server CA, and <c>tls enable</c> for the endpoint with <paramref name="options"/>.</summary>
    public async Task<ProcessRun> EnableAsync(string endpoint, string hostName, params string[] options)
    {
        using var leaf = ServerCa.Issue([hostName]);
        var (cert, key) = leaf.WriteTo(_files.File($"hosts/{hostName}"));
        return await Router.ExpectSuccessAsync(["tls", "enable", "--endpoint", endpoint, "--cert", cert, "--key", key, "--cname", hostName, .. options]);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Model.DisposeAsync();
        ServerCa.Dispose();
        ClientCa.Dispose();
        StrangerCa.Dispose();
        _files.Dispose();
    }
}
