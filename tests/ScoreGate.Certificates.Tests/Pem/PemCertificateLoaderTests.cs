using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Certificates.Tests.Pem;

/// <summary>What the loader accepts and refuses (DESIGN.md §3), with the exact messages people see.</summary>
public sealed class PemCertificateLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCertificateAuthority _root = TestCertificateAuthority.CreateRoot();
    private readonly TestCertificate _leaf;

    public PemCertificateLoaderTests()
    {
        _leaf = _root.Issue(["www.contoso.test"]);
    }

    [Fact]
    public void Load_Pkcs8EcPair_ServesLeafWithKeyAndNames()
    {
        var (cert, key) = _leaf.WriteTo(_dir.Path);

        var result = Load(cert, key);

        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.Bundle.Leaf.HasPrivateKey);
        Assert.Equal(_leaf.SerialNumber, result.Bundle.Leaf.SerialNumber);
        Assert.Equal(["www.contoso.test"], result.Bundle.Names);
    }

    [Fact]
    public void Load_Pkcs1RsaKey_IsAccepted()
    {
        using var rsaLeaf = _root.Issue(["rsa.contoso.test"], rsaKeySize: 2048);
        var cert = _dir.Write("rsa.pem", rsaLeaf.CertificatePem);
        var key = _dir.Write("rsa.key", ((RSA)rsaLeaf.Key).ExportRSAPrivateKeyPem());

        Assert.True(Load(cert, key).Succeeded);
    }

    [Fact]
    public void Load_Sec1EcKey_IsAccepted()
    {
        var cert = _dir.Write("ec.pem", _leaf.CertificatePem);
        var key = _dir.Write("ec.key", ((ECDsa)_leaf.Key).ExportECPrivateKeyPem());

        Assert.True(Load(cert, key).Succeeded);
    }

    [Fact]
    public void Load_CrlfLineEndingsBomAndComments_AreAccepted()
    {
        var cert = _dir.Write("crlf.pem", "\uFEFFsubject=www.contoso.test\r\n" + _leaf.CertificatePem.Replace("\n", "\r\n", StringComparison.Ordinal));
        var key = _dir.Write("crlf.key", "\uFEFF" + _leaf.KeyPem.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.True(Load(cert, key).Succeeded);
    }

    [Fact]
    public void Load_CertificateAndKeyInOneFile_IsAccepted()
    {
        var both = _dir.Write("both.pem", _leaf.KeyPem + _leaf.CertificatePem);

        Assert.True(Load(both, both).Succeeded);
    }

    [Fact]
    public void Load_EncryptedKeyWithRightPassphrase_IsAccepted()
    {
        var (cert, _) = _leaf.WriteTo(_dir.Path);
        var key = _dir.Write("enc.key", EncryptedKey("s3cret"));
        var passphrase = _dir.Write("pass", "s3cret\n");

        Assert.True(PemCertificateLoader.Load(new PemCertificateFiles(cert, key, passphrase), TimeProvider.System).Succeeded);
    }

    [Fact]
    public void Load_EncryptedKeyWithoutPassphrase_IsRefusedSayingHow()
    {
        var (cert, _) = _leaf.WriteTo(_dir.Path);
        var key = _dir.Write("enc.key", EncryptedKey("s3cret"));

        AssertRefused($"'{key}' is an encrypted private key and no passphrase was given. Put the passphrase in a file (mode 0600) and name it with sslKeyPassphraseFile.", Load(cert, key));
    }

    [Fact]
    public void Load_EncryptedKeyWithWrongPassphrase_IsRefused()
    {
        var (cert, _) = _leaf.WriteTo(_dir.Path);
        var key = _dir.Write("enc.key", EncryptedKey("s3cret"));
        var passphrase = _dir.Write("pass", "wrong\n");

        AssertRefused(
            $"The passphrase in '{passphrase}' does not decrypt '{key}'. Check that it is the passphrase of this key (one line).",
            PemCertificateLoader.Load(new PemCertificateFiles(cert, key, passphrase), TimeProvider.System));
    }

    [Fact]
    public async Task Load_LegacyOpenSslEncryptedKey_IsRefusedWithConversion()
    {
        var (cert, _) = _leaf.WriteTo(_dir.Path);
        var key = _dir.File("legacy.key");
        using var run = await ProcessRun.RunAsync("openssl", ["genrsa", "-traditional", "-aes256", "-passout", "pass:s3cret", "-out", key, "2048"], TimeSpan.FromSeconds(30));
        Assert.True(run.ExitCode == 0, run.AllOutput);

        AssertRefused(
            $"'{key}' is encrypted with OpenSSL's legacy format (Proc-Type: 4,ENCRYPTED). Convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -v2 aes-256-cbc -in '{key}' -out key.pem, and give its passphrase with sslKeyPassphraseFile.",
            Load(cert, key));
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_IsRefused()
    {
        using var other = _root.Issue(["other.contoso.test"]);
        var cert = _dir.Write("cert.pem", _leaf.CertificatePem);
        var key = _dir.Write("other.key", other.KeyPem);

        AssertRefused(
            $"The private key in '{key}' does not match the certificate 'CN=www.contoso.test' in '{cert}'. Give the key that was generated together with this certificate's signing request.",
            Load(cert, key));
    }

    [Fact]
    public void Load_ExpiredCertificate_IsRefused()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = _root.Issue(["old.contoso.test"], now.AddDays(-30), now.AddDays(-1));
        var (cert, key) = expired.WriteTo(_dir.Path);

        var result = Load(cert, key);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"The certificate 'CN=old.contoso.test' in '{cert}' expired on ", result.Error);
        Assert.EndsWith(". Renew it with your CA and give the new files.", result.Error);
    }

    [Fact]
    public void Load_NotYetValidCertificate_IsRefused()
    {
        var now = DateTimeOffset.UtcNow;
        using var future = _root.Issue(["new.contoso.test"], now.AddDays(2), now.AddDays(30));
        var (cert, key) = future.WriteTo(_dir.Path);

        var result = Load(cert, key);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"The certificate 'CN=new.contoso.test' in '{cert}' is not valid yet: it starts on ", result.Error);
    }

    [Fact]
    public void Load_ExpiringWithin30Days_IsServedWithWarning()
    {
        var (cert, key) = _leaf.WriteTo(_dir.Path);
        var time = new FakeTimeProvider(new DateTimeOffset(_leaf.Certificate.NotAfter.ToUniversalTime()).AddDays(-10));

        var result = PemCertificateLoader.Load(new PemCertificateFiles(cert, key), time);

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Bundle.Warnings, w => w.Contains("in less than 30 days. Renew it soon.", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Rsa1024_IsRefusedAsWeak()
    {
        using var weak = _root.Issue(["weak.contoso.test"], rsaKeySize: 1024);
        var (cert, key) = weak.WriteTo(_dir.Path);

        AssertRefused($"The RSA key in '{key}' has 1024 bits; at least 2048 are needed. Issue a new certificate with an RSA 2048+ or ECDSA P-256 key.", Load(cert, key));
    }

    [Fact]
    public void Load_DerCertificate_IsRefusedWithOpenSslConversion()
    {
        var der = _dir.File("cert.der");
        File.WriteAllBytes(der, _leaf.Certificate.RawData);
        var (_, key) = _leaf.WriteTo(_dir.Path);

        AssertRefused($"'{der}' is a DER certificate, not PEM. Convert it: openssl x509 -inform DER -in '{der}' -out cert.pem", Load(der, key));
    }

    [Fact]
    public void Load_PfxFile_IsRefusedWithOpenSslConversion()
    {
        var pfx = _dir.File("cert.pfx");
        using (var withKey = _leaf.Certificate.CopyWithPrivateKey((ECDsa)_leaf.Key))
        {
            File.WriteAllBytes(pfx, withKey.Export(X509ContentType.Pkcs12, "pw"));
        }

        var (_, key) = _leaf.WriteTo(_dir.Path);

        AssertRefused(
            $"'{pfx}' is a PFX/PKCS#12 file, not PEM. Convert it: openssl pkcs12 -in '{pfx}' -nokeys -out cert.pem && openssl pkcs12 -in '{pfx}' -nocerts -nodes -out key.pem",
            Load(pfx, key));
    }

    [Theory]
    [InlineData("", "'{0}' is empty. Give a PEM file with the certificate chain or the private key.")]
    [InlineData("hello, I am not a certificate", "'{0}' is not PEM: it has no '-----BEGIN ...-----' block. Give PEM text (the files that start with -----BEGIN CERTIFICATE----- or -----BEGIN PRIVATE KEY-----).")]
    public void Load_CertificateFileWithoutPem_IsRefused(string contents, string expected)
    {
        var cert = _dir.Write("bad.pem", contents);
        var (_, key) = _leaf.WriteTo(_dir.Path);

        AssertRefused(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, cert), Load(cert, key));
    }

    [Fact]
    public void Load_KeyGivenAsCertificate_IsRefused()
    {
        var (_, key) = _leaf.WriteTo(_dir.Path);

        AssertRefused($"'{key}' holds a private key but no certificate. Give the certificate chain file as the certificate and this file as the key.", Load(key, key));
    }

    [Fact]
    public void Load_CertificateGivenAsKey_IsRefused()
    {
        var (cert, _) = _leaf.WriteTo(_dir.Path);
        var copy = _dir.Write("copy.pem", _leaf.CertificatePem);

        AssertRefused($"'{copy}' holds a certificate but no private key. Give the private key file (-----BEGIN PRIVATE KEY-----) as the key.", Load(cert, copy));
    }

    [Fact]
    public void Load_MissingFile_IsRefusedNamingIt()
    {
        var (_, key) = _leaf.WriteTo(_dir.Path);
        var missing = _dir.File("missing.pem");

        AssertRefused($"'{missing}' does not exist. Check the path, and that the router can see the file.", Load(missing, key));
    }

    [Fact]
    public void Load_ChainOutOfOrder_IsReorderedWithWarning()
    {
        using var intermediate = _root.CreateIntermediate();
        using var leaf = intermediate.Issue(["chain.contoso.test"]);
        var cert = _dir.Write("chain.pem", intermediate.CertificatePem + leaf.CertificatePem);
        var key = _dir.Write("chain.key", leaf.KeyPem);

        var result = Load(cert, key);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(leaf.SerialNumber, result.Bundle.Leaf.SerialNumber);
        Assert.Equal(intermediate.Certificate.SerialNumber, Assert.Single(result.Bundle.Intermediates).SerialNumber);
        Assert.Contains($"The certificates in '{cert}' are out of order; they are served leaf first. Put the leaf first, then each issuer, to silence this.", result.Bundle.Warnings);
    }

    [Fact]
    public void Load_ChainWithRoot_IsServedWithoutRootAndWarned()
    {
        var cert = _dir.Write("withroot.pem", _leaf.CertificatePem + _root.CertificatePem);
        var key = _dir.Write("withroot.key", _leaf.KeyPem);

        var result = Load(cert, key);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Bundle.Intermediates);
        Assert.Contains($"'{cert}' includes the root certificate 'CN=ScoreGate Test Root'. Clients already hold their roots; it is not sent, and you may drop it from the file.", result.Bundle.Warnings);
    }

    [Fact]
    public void Load_SelfSignedCertificate_IsServedWithDevelopmentWarning()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self.contoso.test", key, HashAlgorithmName.SHA256);
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = _dir.Write("self.pem", self.ExportCertificatePem());
        var keyPath = _dir.Write("self.key", key.ExportPkcs8PrivateKeyPem());

        var result = Load(cert, keyPath);

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains($"The certificate 'CN=self.contoso.test' in '{cert}' is self-signed: clients trust it only if given it explicitly. Use it for development only.", result.Bundle.Warnings);
    }

    [Fact]
    public void LoadText_ValidPemText_IsServed()
    {
        var result = PemCertificateLoader.LoadText(_leaf.CertificatePem, EncryptedKey("s3cret"), "s3cret", TimeProvider.System);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(_leaf.SerialNumber, result.Bundle.Leaf.SerialNumber);
    }

    [Theory]
    [InlineData("garbage", "key", null, "The certificate text is not PEM: it has no '-----BEGIN ...-----' block. Give PEM text (the files that start with -----BEGIN CERTIFICATE----- or -----BEGIN PRIVATE KEY-----).")]
    [InlineData("cert", "encrypted", null, "The key text is an encrypted private key and no passphrase was given. Give the key's passphrase with it.")]
    [InlineData("cert", "encrypted", "wrong", "The passphrase in the passphrase given does not decrypt the key text. Check that it is the passphrase of this key (one line).")]
    [InlineData("cert", "other", null, "The private key in the key text does not match the certificate 'CN=www.contoso.test' in the certificate text. Give the key that was generated together with this certificate's signing request.")]
    public void LoadText_BadPemText_IsRefusedNamingWhatWasGiven(string certificate, string key, string? passphrase, string expected)
    {
        using var other = _root.Issue(["other.contoso.test"]);
        var certificatePem = certificate == "cert" ? _leaf.CertificatePem : certificate;
        var keyPem = key switch { "key" => _leaf.KeyPem, "encrypted" => EncryptedKey("s3cret"), _ => other.KeyPem };

        AssertRefused(expected, PemCertificateLoader.LoadText(certificatePem, keyPem, passphrase, TimeProvider.System));
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _root.Dispose();
        _dir.Dispose();
    }

    private static CertificateLoadResult Load(string cert, string key) =>
        PemCertificateLoader.Load(new PemCertificateFiles(cert, key), TimeProvider.System);

    private static void AssertRefused(string expected, CertificateLoadResult result)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(expected, result.Error);
    }

    private string EncryptedKey(string passphrase) =>
        _leaf.Key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
}
