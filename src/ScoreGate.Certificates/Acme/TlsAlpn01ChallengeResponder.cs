using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// TLS-ALPN-01 (RFC 8737): while a validation is in progress, a handshake that offers only the
/// <c>acme-tls/1</c> protocol for the name gets a self-signed certificate carrying the key
/// authorization's digest in the critical acmeIdentifier extension. Every other handshake for
/// the name is untouched, so renewing this way never disturbs clients. A router that did not
/// place the order builds the certificate from the answer shared in the store.
/// </summary>
public sealed class TlsAlpn01ChallengeResponder(IChallengeAnswerStore? shared = null) : IAcmeChallengeResponder
{
    /// <summary>The ALPN protocol id of RFC 8737 6.2.</summary>
    public const string Protocol = "acme-tls/1";

    // id-pe-acmeIdentifier (RFC 8737 6.1).
    private const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.OrdinalIgnoreCase);

    public AcmeChallengeKind Kind => AcmeChallengeKind.TlsAlpn01;

    /// <returns>The challenge certificate for <paramref name="serverName"/>, or null when none is pending.</returns>
    public async ValueTask<X509Certificate2?> CertificateForAsync(string? serverName, CancellationToken cancellationToken)
    {
        if (serverName is null)
        {
            return null;
        }

        var name = serverName.TrimEnd('.').ToLowerInvariant();
        if (_certificates.GetValueOrDefault(name) is { } own)
        {
            return own;
        }

        // Made per validation handshake (a handful per order) and left to the collector, since
        // the handshake owns it.
        return shared is not null && await SharedAnswers.FindAsync(shared, Kind.ToRfcName(), name, cancellationToken) is { } answer ? Create(name, answer) : null;
    }

    public async Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var name = domain.ToLowerInvariant();
        var old = _certificates.GetValueOrDefault(name);
        _certificates[name] = Create(name, keyAuthorization);
        old?.Dispose();
        return shared is null ? null : await SharedAnswers.SaveAsync(shared, Kind.ToRfcName(), name, keyAuthorization, cancellationToken);
    }

    public async Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        var name = domain.ToLowerInvariant();
        if (_certificates.TryRemove(name, out var certificate))
        {
            certificate.Dispose();
        }

        if (shared is not null)
        {
            await SharedAnswers.DeleteAsync(shared, Kind.ToRfcName(), name, cancellationToken);
        }
    }

    /// <summary>RFC 8737 3: SAN = the name; acmeIdentifier = OCTET STRING of SHA-256(key authorization).</summary>
    public static X509Certificate2 Create(string domain, string keyAuthorization)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ACME TLS-ALPN-01 challenge", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization)));
        request.CertificateExtensions.Add(new X509Extension(AcmeIdentifierOid, writer.Encode(), critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Re-imported so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
