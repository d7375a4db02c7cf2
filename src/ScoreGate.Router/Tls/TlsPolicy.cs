using System.Net.Security;
using System.Security.Authentication;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>
/// The TLS the router offers: TLS 1.2 (ECDHE key exchange with AEAD suites only) and TLS 1.3,
/// never 1.0/1.1; ALPN h2 then http/1.1.
/// </summary>
public static class TlsPolicy
{
    private static readonly TlsCipherSuite[] Suites =
    [
        // TLS 1.3 (all AEAD, all forward secret).
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        // TLS 1.2: ECDHE only (forward secrecy), AEAD only (no CBC, no SHA-1 MACs).
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    public static SslProtocols Protocols(SslProtocols minimum) =>
        minimum == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Built once per certificate, when it loads, never during a handshake.</summary>
    public static SslServerAuthenticationOptions CreateServerOptions(CertificateBundle bundle, SslProtocols minimum)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(bundle.Leaf, bundle.Intermediates, offline: true),
            EnabledSslProtocols = Protocols(minimum),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy(Suites);
        }

        return options;
    }
}
