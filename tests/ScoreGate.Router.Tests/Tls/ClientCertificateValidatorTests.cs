using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

public sealed class ClientCertificateValidatorTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot("Client CA");
    private readonly TestCertificateAuthority _otherCa = TestCertificateAuthority.CreateRoot("Client CA");

    [Fact]
    public void Validate_GoodCertificate_IsValidWithItsIdentity()
    {
        using var client = _ca.IssueClient("alice");

        var result = ClientCertificateValidator.Validate(Policy(), client.Certificate);

        Assert.Equal(ClientCertificateReason.Valid, result.Reason);
        Assert.Equal("CN=alice, O=ScoreGate Tests", result.Subject);
        Assert.Contains("alice@clients.contoso.test", result.SubjectAlternativeNames, StringComparison.Ordinal);
        Assert.Equal(client.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), result.Sha256);
    }

    [Fact]
    public void Validate_NoCertificate_SaysNoneWasSent()
    {
        var result = ClientCertificateValidator.Validate(Policy(), null);

        Assert.Equal(ClientCertificateReason.NoCertificate, result.Reason);
        Assert.Equal("no client certificate was sent", result.Message);
    }

    [Fact]
    public void Validate_CertificateOfAnotherCaWithTheSameName_IsUnknownIssuer()
    {
        // Same subject as the trusted CA: only the signature tells them apart.
        using var client = _otherCa.IssueClient("mallory");

        var result = ClientCertificateValidator.Validate(Policy(), client.Certificate);

        Assert.Equal(ClientCertificateReason.UnknownIssuer, result.Reason);
        Assert.Equal("the client certificate is not issued by a CA this host trusts for client certificates (unknown issuer 'CN=Client CA')", result.Message);
    }

    [Fact]
    public void Validate_ExpiredCertificate_IsExpired()
    {
        var now = DateTimeOffset.UtcNow;
        using var client = _ca.IssueClient("late", now.AddDays(-10), now.AddDays(-1));

        var result = ClientCertificateValidator.Validate(Policy(), client.Certificate);

        Assert.Equal(ClientCertificateReason.Expired, result.Reason);
        Assert.StartsWith("the client certificate expired on ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotYetValidCertificate_IsExpiredSayingFromWhen()
    {
        var now = DateTimeOffset.UtcNow;
        using var client = _ca.IssueClient("early", now.AddDays(1), now.AddDays(10));

        var result = ClientCertificateValidator.Validate(Policy(), client.Certificate);

        Assert.Equal(ClientCertificateReason.Expired, result.Reason);
        Assert.StartsWith("the client certificate is not valid yet (valid from ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RevokedCertificate_IsRevoked_AndOthersOfTheCaAreNot()
    {
        using var revoked = _ca.IssueClient("revoked");
        using var kept = _ca.IssueClient("kept");
        var policy = Policy(_ca.CreateCrlPem(revoked.Certificate));

        var result = ClientCertificateValidator.Validate(policy, revoked.Certificate);

        Assert.Equal(ClientCertificateReason.Revoked, result.Reason);
        Assert.Equal($"the client certificate is revoked (serial {revoked.SerialNumber} is on the CRL)", result.Message);
        Assert.Equal(ClientCertificateReason.Valid, ClientCertificateValidator.Validate(policy, kept.Certificate).Reason);
    }

    [Fact]
    public void Validate_ServerAuthOnlyCertificate_IsNotForClientAuthentication()
    {
        using var client = _ca.IssueClient("server", extendedKeyUsages: [TestCertificateAuthority.ServerAuthentication]);

        var result = ClientCertificateValidator.Validate(Policy(), client.Certificate);

        Assert.Equal(ClientCertificateReason.NotForClientAuthentication, result.Reason);
        Assert.Equal("the client certificate is not for client authentication (its extended key usage lacks clientAuth)", result.Message);
    }

    [Fact]
    public void Validate_CertificateWithoutExtendedKeyUsage_IsValid()
    {
        using var client = _ca.IssueClient("plain", extendedKeyUsages: []);

        Assert.Equal(ClientCertificateReason.Valid, ClientCertificateValidator.Validate(Policy(), client.Certificate).Reason);
    }

    [Fact]
    public void Validate_AnyExtendedKeyUsage_IsValid()
    {
        using var client = _ca.IssueClient("any", extendedKeyUsages: ["2.5.29.37.0"]);

        Assert.Equal(ClientCertificateReason.Valid, ClientCertificateValidator.Validate(Policy(), client.Certificate).Reason);
    }

    [Fact]
    public void Validate_KeyUsageWithoutDigitalSignature_IsNotForClientAuthentication()
    {
        using var client = _ca.IssueClient("encipher-only", keyUsage: System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment);

        var result = ClientCertificateValidator.Validate(Policy(), client.Certificate);

        Assert.Equal(ClientCertificateReason.NotForClientAuthentication, result.Reason);
        Assert.Equal("the client certificate is not for client authentication (its key usage lacks digitalSignature)", result.Message);
    }

    [Fact]
    public void Validate_TheTrustedCasOwnCertificate_IsNotForClientAuthentication()
    {
        var result = ClientCertificateValidator.Validate(Policy(), _ca.Certificate);

        Assert.Equal(ClientCertificateReason.NotForClientAuthentication, result.Reason);
        Assert.Equal("the client certificate is a CA certificate (basicConstraints CA:TRUE), not a client's; send a certificate the CA issued to the client", result.Message);
    }

    [Fact]
    public void Validate_AnIntermediateCaCertificate_IsNotForClientAuthentication()
    {
        using var intermediate = _ca.CreateIntermediate("Issued CA");

        Assert.Equal(ClientCertificateReason.NotForClientAuthentication, ClientCertificateValidator.Validate(Policy(), intermediate.Certificate).Reason);
    }

    private ClientCertificatePolicy Policy(string? crlPem = null)
    {
        var ca = _files.File("ca.pem");
        File.WriteAllText(ca, _ca.CertificatePem);
        string? crl = null;
        if (crlPem is not null)
        {
            crl = _files.File("crl.pem");
            File.WriteAllText(crl, crlPem);
        }

        var loaded = ClientCertificatePolicy.Load(new ClientCertificateFiles(ca, crl, ClientCertificateMode.Optional, "--client-ca", "--client-crl"), TimeProvider.System);
        Assert.Null(loaded.Error);
        return loaded.Policy!;
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _files.Dispose();
    }
}
