using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Checks a client certificate against a binding's <see cref="ClientCertificatePolicy"/>: the
/// chain (the CA bundle as the only roots, never the system's), the validity period, the
/// clientAuth extended key usage when the certificate has the extension (anyExtendedKeyUsage
/// counts, as RFC 5280 §4.2.1.12 says), digitalSignature when it has a key usage, no CA certificate,
/// and the CRL when given.
/// </summary>
public static class ClientCertificateValidator
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string AnyExtendedKeyUsage = "2.5.29.37.0";

    public static ClientCertificateValidation Validate(ClientCertificatePolicy policy, X509Certificate2? certificate)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (certificate is null)
        {
            return ClientCertificateValidation.NoCertificate;
        }

        var now = policy.Time.GetUtcNow();
        var notBefore = certificate.NotBefore.ToUniversalTime();
        var notAfter = certificate.NotAfter.ToUniversalTime();
        if (now.UtcDateTime > notAfter)
        {
            return ClientCertificateValidation.For(certificate, ClientCertificateReason.Expired, $"the client certificate expired on {notAfter:u}");
        }

        if (now.UtcDateTime < notBefore)
        {
            return ClientCertificateValidation.For(certificate, ClientCertificateReason.Expired, $"the client certificate is not valid yet (valid from {notBefore:u})");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(policy.Authorities);
        // Revocation is checked against the operator's CRL below (RevocationList says why not here).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(certificate))
        {
            return ClientCertificateValidation.For(certificate, ClientCertificateReason.UnknownIssuer,
                $"the client certificate is not issued by a CA this host trusts for client certificates (unknown issuer '{certificate.Issuer}')");
        }

        if (certificate.Extensions["2.5.29.37"] is X509EnhancedKeyUsageExtension usage &&
            !usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value is ClientAuthentication or AnyExtendedKeyUsage))
        {
            return ClientCertificateValidation.For(certificate, ClientCertificateReason.NotForClientAuthentication,
                "the client certificate is not for client authentication (its extended key usage lacks clientAuth)");
        }

        // A CA's own certificate (even the trusted root, which chains to itself) speaks for no client;
        // and a certificate whose key usage excludes signing cannot sign the handshake's CertificateVerify.
        if (certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            return ClientCertificateValidation.For(certificate, ClientCertificateReason.NotForClientAuthentication,
                "the client certificate is a CA certificate (basicConstraints CA:TRUE), not a client's; send a certificate the CA issued to the client");
        }

        if (certificate.Extensions["2.5.29.15"] is X509KeyUsageExtension keyUsage && !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return ClientCertificateValidation.For(certificate, ClientCertificateReason.NotForClientAuthentication,
                "the client certificate is not for client authentication (its key usage lacks digitalSignature)");
        }

        if (policy.Revocations is { } crl)
        {
            // Every certificate below the root the chain ended at: the leaf and any intermediate.
            for (var i = 0; i < chain.ChainElements.Count - 1; i++)
            {
                var element = chain.ChainElements[i].Certificate;
                if (crl.Revokes(element))
                {
                    return ClientCertificateValidation.For(certificate, ClientCertificateReason.Revoked, i == 0
                        ? $"the client certificate is revoked (serial {element.SerialNumber} is on the CRL)"
                        : $"the client certificate's issuer '{element.Subject}' is revoked");
                }
            }
        }

        return ClientCertificateValidation.For(certificate, ClientCertificateReason.Valid, string.Empty);
    }
}
