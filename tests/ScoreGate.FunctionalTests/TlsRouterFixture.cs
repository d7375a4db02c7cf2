namespace ScoreGate.FunctionalTests;

/// <summary>
/// One router serving a certificate for localhost from a test CA, with two fake models, shared
/// by the tests of a class. Each test uses its own endpoint names.
/// </summary>
public sealed class TlsRouterFixture : IAsyncLifetime
{
    private readonly TempDirectory _files = new();

    public TestCertificateAuthority Ca { get; } = TestCertificateAuthority.CreateRoot();

    public RouterProcess Router { get; private set; } = null!;

    public FakeModel Blue { get; private set; } = null!;

    public FakeModel Green { get; private set; } = null!;

    public string CaPath => _files.File("ca.pem");

    /// <summary>The router's certificate chain (PEM).</summary>
    public string CertificateFile { get; private set; } = null!;

    /// <summary>The router's secretsRoot: tests mount secrets here.</summary>
    public string SecretsRoot => _files.File("secrets");

    public async Task InitializeAsync()
    {
        using var leaf = Ca.Issue(["localhost", "127.0.0.1"]);
        var (certificate, key) = leaf.WriteTo(_files.Path);
        CertificateFile = certificate;
        File.WriteAllText(CaPath, Ca.CertificatePem);
        Blue = await FakeModel.StartAsync("blue");
        Green = await FakeModel.StartAsync("green");
        Router = await RouterProcess.StartAsync(["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", "localhost", "--secretsRoot", SecretsRoot]);
    }

    public HttpClient CreateClient(Version? version = null) => Router.CreateHttpsClient(Ca.Certificate, version);

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Blue.DisposeAsync();
        await Green.DisposeAsync();
        Ca.Dispose();
        _files.Dispose();
    }
}
