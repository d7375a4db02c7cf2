using System.Net.Security;
using System.Security.Authentication;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>
/// The TLS the router offers: TLS 1.2 and 1.3, never 1.0/1.1; ALPN h2 then http/1.1. The suites
/// (TLS 1.2: ECDHE with AEAD only) are set in scoregate-openssl.cnf, not with a
/// CipherSuitesPolicy, which would stop .NET from caching its OpenSSL context and so from
/// resuming sessions (measured in docs/performance.md).
/// </summary>
public static class TlsPolicy
{
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
        return options;
    }
}
