using System.Security.Cryptography;

namespace ScoreGate.Certificates.Acme;

/// <summary>The key a managed certificate is issued for.</summary>
public enum CertificateKeyType
{
    /// <summary>ECDSA on P-256: small, fast handshakes; the default.</summary>
    EcdsaP256,

    /// <summary>RSA 2048 bits, for clients that cannot do ECDSA.</summary>
    Rsa2048,
}

/// <summary>Makes the key and the CSR (RFC 2986) that finalizes an order.</summary>
public static class CertificateSigningRequests
{
    public static AsymmetricAlgorithm CreateKey(CertificateKeyType type) =>
        type == CertificateKeyType.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A DER CSR for <paramref name="names"/>: the first as CN, all as SANs (RFC 8555 7.4).</summary>
    public static byte[] Create(AsymmetricAlgorithm key, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var subject = $"CN={names[0]}";
        var request = key switch
        {
            ECDsa ec => new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("Only ECDSA and RSA keys are supported.", nameof(key)),
        };
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequest();
    }
}
