using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Testing;

/// <summary>
/// An in-process PKI for tests: a root (and optional intermediate) that issues leaves with any
/// names, validity and key type. Nothing is trusted by the machine.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private TestCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    public static TestCertificateAuthority CreateRoot(string name = "ScoreGate Test Root")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5)), key);
    }

    /// <summary>An intermediate CA signed by this one.</summary>
    public TestCertificateAuthority CreateIntermediate(string name = "ScoreGate Test Intermediate")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddDays(-1), now.AddYears(2), RandomNumberGenerator.GetBytes(16));
        return new TestCertificateAuthority(issued.CopyWithPrivateKey(key), key);
    }

    /// <summary>Issues a leaf for DNS names and/or IP addresses.</summary>
    public TestCertificate Issue(IEnumerable<string> names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, int rsaKeySize = 0)
    {
        AsymmetricAlgorithm key = rsaKeySize > 0 ? RSA.Create(rsaKeySize) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subjectNames = names.ToList();
        var request = key is RSA rsa
            ? new CertificateRequest($"CN={subjectNames.FirstOrDefault() ?? "test"}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={subjectNames.FirstOrDefault() ?? "test"}", (ECDsa)key, HashAlgorithmName.SHA256);
        if (subjectNames.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in subjectNames)
            {
                if (IPAddress.TryParse(name, out var ip))
                {
                    san.AddIpAddress(ip);
                }
                else
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        var certificate = request.Create(Certificate.SubjectName, generator, notBefore ?? now.AddHours(-1), notAfter ?? now.AddDays(90), RandomNumberGenerator.GetBytes(16));
        return new TestCertificate(certificate, key);
    }

    /// <summary>The clientAuth extended key usage (RFC 5280 §4.2.1.12).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>The serverAuth extended key usage.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Issues a client certificate for <paramref name="commonName"/> (also an e-mail SAN), with the
    /// clientAuth EKU unless other usages are given; an empty list leaves the EKU extension out.
    /// </summary>
    public TestCertificate IssueClient(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, IReadOnlyList<string>? extendedKeyUsages = null,
        X509KeyUsageFlags keyUsage = X509KeyUsageFlags.DigitalSignature)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=ScoreGate Tests", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddEmailAddress($"{commonName}@clients.contoso.test");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        var usages = extendedKeyUsages ?? [ClientAuthentication];
        if (usages.Count > 0)
        {
            var oids = new OidCollection();
            foreach (var usage in usages)
            {
                oids.Add(new Oid(usage));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key),
            notBefore ?? now.AddHours(-1), notAfter ?? now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        return new TestCertificate(certificate, key);
    }

    /// <summary>A CRL (PEM, "X509 CRL") signed by this CA that revokes <paramref name="revoked"/>.</summary>
    public string CreateCrlPem(params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        var now = DateTimeOffset.UtcNow;
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, now.AddMinutes(-5));
        }

        var der = builder.Build(Certificate, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-1));
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}

/// <summary>A leaf certificate and its key, exportable as the PEM files users give the router.</summary>
public sealed class TestCertificate(X509Certificate2 certificate, AsymmetricAlgorithm key) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public AsymmetricAlgorithm Key { get; } = key;

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>PKCS#8 ("BEGIN PRIVATE KEY").</summary>
    public string KeyPem => Key.ExportPkcs8PrivateKeyPem() + "\n";

    public string SerialNumber => Certificate.SerialNumber;

    /// <summary>Writes cert.pem and key.pem into <paramref name="directory"/>.</summary>
    public (string CertificatePath, string KeyPath) WriteTo(string directory, string certificateName = "cert.pem", string keyName = "key.pem")
    {
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, certificateName);
        var keyPath = Path.Combine(directory, keyName);
        File.WriteAllText(certificatePath, CertificatePem);
        File.WriteAllText(keyPath, KeyPem);
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
