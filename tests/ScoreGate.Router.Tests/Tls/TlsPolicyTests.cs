using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

public sealed class TlsPolicyTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot();

    /// <summary>
    /// A binding without a client CA must cost what it did before mTLS existed: no
    /// CertificateRequest in its handshakes, no validation callback, nothing else changed.
    /// </summary>
    [Fact]
    public void CreateServerOptions_NoClientCa_KeepsTodaysOptionsExactly()
    {
        using var bundle = Bundle();

        var options = TlsPolicy.CreateServerOptions(bundle, SslProtocols.Tls12);

        Assert.False(options.ClientCertificateRequired);
        Assert.Null(options.RemoteCertificateValidationCallback);
        Assert.Null(options.CertificateChainPolicy);
        Assert.Null(options.ServerCertificate);
        Assert.Null(options.ServerCertificateSelectionCallback);
        Assert.Null(options.CipherSuitesPolicy);
        Assert.NotNull(options.ServerCertificateContext);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.Equal([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], options.ApplicationProtocols);
        Assert.Equal(X509RevocationMode.NoCheck, options.CertificateRevocationCheckMode);
        Assert.Equal(EncryptionPolicy.RequireEncryption, options.EncryptionPolicy);
        Assert.False(options.AllowRenegotiation);
        Assert.True(options.AllowTlsResume);
    }

    [Theory]
    [InlineData(ClientCertificateMode.Required)]
    [InlineData(ClientCertificateMode.Optional)]
    public void CreateServerOptions_ClientCa_AsksForACertificateAndJudgesItItself(ClientCertificateMode mode)
    {
        using var bundle = Bundle();
        File.WriteAllText(_files.File("client-ca.pem"), _ca.CertificatePem);
        var policy = ClientCertificatePolicy.Load(new ClientCertificateFiles(_files.File("client-ca.pem"), null, mode, "--client-ca", "--client-crl"), TimeProvider.System).Policy!;

        var options = TlsPolicy.CreateServerOptions(bundle, SslProtocols.Tls12, policy);

        Assert.True(options.ClientCertificateRequired);
        Assert.NotNull(options.RemoteCertificateValidationCallback);
        using var stranger = TestCertificateAuthority.CreateRoot("Stranger").IssueClient("mallory");
        Assert.Equal(mode == ClientCertificateMode.Optional, options.RemoteCertificateValidationCallback(this, stranger.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Equal(mode == ClientCertificateMode.Optional, options.RemoteCertificateValidationCallback(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        using var good = _ca.IssueClient("alice");
        Assert.True(options.RemoteCertificateValidationCallback(this, good.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    private CertificateBundle Bundle()
    {
        using var leaf = _ca.Issue(["localhost"]);
        var loaded = PemCertificateLoader.LoadText(leaf.CertificatePem, leaf.KeyPem, null, TimeProvider.System);
        Assert.True(loaded.Succeeded, loaded.Error);
        return loaded.Bundle;
    }

    public void Dispose()
    {
        _ca.Dispose();
        _files.Dispose();
    }
}
