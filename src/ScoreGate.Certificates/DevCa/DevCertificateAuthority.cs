using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Certificates.Files;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Certificates.DevCa;

/// <summary>
/// A local certificate authority for development only (quickstart and tests): an ECDSA P-256
/// root and a leaf for localhost, 127.0.0.1 and ::1. Private keys are written as encrypted
/// PKCS#8 with a random passphrase in a 0600 file, like any user's encrypted key.
/// </summary>
public static class DevCertificateAuthority
{
    private static readonly TimeSpan RootLifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(90);
    private static readonly TimeSpan ReissueWhenLeafHasLessThan = TimeSpan.FromDays(7);

    /// <summary>Returns the existing files if the leaf still has a week to live, otherwise makes new ones.</summary>
    public static DevCertificateFiles Ensure(string directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var files = DevCertificateFiles.In(directory);
        var now = time.GetUtcNow();
        if (files.AllExist() && LeafValidUntil(files.Certificate.CertificatePath) - now > ReissueWhenLeafHasLessThan)
        {
            return files;
        }

        Issue(files, now);
        return files;
    }

    private static DateTimeOffset LeafValidUntil(string path)
    {
        try
        {
            using var leaf = X509Certificate2.CreateFromPemFile(path);
            return leaf.NotAfter.ToUniversalTime();
        }
        catch (CryptographicException)
        {
            return DateTimeOffset.MinValue;
        }
    }

    private static void Issue(DevCertificateFiles files, DateTimeOffset now)
    {
        var passphrase = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, iterationCount: 100_000);

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=ScoreGate Development CA (do not trust in production)", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.Add(RootLifetime));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var leaf = leafRequest.Create(root, now.AddMinutes(-5), now.Add(LeafLifetime), RandomNumberGenerator.GetBytes(16));

        PrivateFile.WriteAllText(files.Certificate.PassphrasePath!, passphrase + "\n");
        PrivateFile.WriteAllText(files.RootKeyPath, rootKey.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe));
        PrivateFile.WriteAllText(files.Certificate.KeyPath, leafKey.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe));
        PrivateFile.WriteAllText(files.Certificate.CertificatePath, leaf.ExportCertificatePem() + "\n");
        PrivateFile.WriteAllText(files.RootCertificatePath, root.ExportCertificatePem() + "\n");
    }
}

/// <summary>Where the development CA keeps its files.</summary>
/// <param name="RootCertificatePath">The CA certificate clients are given (curl --cacert).</param>
/// <param name="RootKeyPath">The CA's encrypted private key.</param>
/// <param name="Certificate">The localhost leaf the router serves.</param>
public sealed record DevCertificateFiles(string RootCertificatePath, string RootKeyPath, PemCertificateFiles Certificate)
{
    public static DevCertificateFiles In(string directory) => new(
        Path.Combine(directory, "ca.pem"),
        Path.Combine(directory, "ca.key"),
        new PemCertificateFiles(
            Path.Combine(directory, "localhost.pem"),
            Path.Combine(directory, "localhost.key"),
            Path.Combine(directory, "passphrase")));

    public bool AllExist() =>
        new[] { RootCertificatePath, RootKeyPath, Certificate.CertificatePath, Certificate.KeyPath, Certificate.PassphrasePath! }.All(File.Exists);
}
