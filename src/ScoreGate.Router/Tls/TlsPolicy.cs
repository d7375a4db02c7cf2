using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>
/// The TLS the router offers: TLS 1.2 and 1.3, never 1.0/1.1; ALPN h2 then http/1.1. The suites
/// (TLS 1.2: ECDHE with AEAD only) are set in scoregate-openssl.cnf, not with a
/// CipherSuitesPolicy, which would stop .NET from caching its OpenSSL context and so from
/// resuming sessions (measured in docs/performance.md).
/// </summary>
public static partial class TlsPolicy
{
    public static SslProtocols Protocols(SslProtocols minimum) =>
        minimum == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Built once per certificate, when it loads, never during a handshake.</summary>
    /// <param name="bundle">The certificate served.</param>
    /// <param name="minimum">The lowest TLS version offered.</param>
    /// <param name="clientCertificates">
    /// Null for a binding that does not ask for client certificates: its options are exactly those
    /// of a binding before mTLS existed (no CertificateRequest, no callback), so its handshakes
    /// cost what they did.
    /// </param>
    /// <param name="bindingName">Names the binding in the log when a required certificate is refused.</param>
    /// <param name="logger">Where refusals in required mode are logged (the handshake fails, so nothing else can say why).</param>
    public static SslServerAuthenticationOptions CreateServerOptions(
        CertificateBundle bundle, SslProtocols minimum, ClientCertificatePolicy? clientCertificates = null, string? bindingName = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = clientCertificates is null
                ? SslStreamCertificateContext.Create(bundle.Leaf, bundle.Intermediates, offline: true)
                // The bundle's subjects go in the CertificateRequest (certificate_authorities), so
                // clients holding several certificates pick one this host accepts.
                : SslStreamCertificateContext.Create(bundle.Leaf, bundle.Intermediates, offline: true,
                    SslCertificateTrust.CreateForX509Collection(clientCertificates.Authorities, sendTrustInHandshake: true)),
            EnabledSslProtocols = Protocols(minimum),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            ClientCertificateRequired = clientCertificates is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };

        if (clientCertificates is not null)
        {
            // .NET's own verdict (sslPolicyErrors) is against the system roots, which are not the
            // ones that count here; ours is ClientCertificateValidator's against the CA bundle.
            options.RemoteCertificateValidationCallback = clientCertificates.Mode == ClientCertificateMode.Required
                ? (_, certificate, _, _) => AcceptRequired(clientCertificates, certificate, bindingName ?? "the router's default binding", logger)
                // Optional: the handshake completes whatever was sent; the connection's
                // ClientCertificateFeature holds the verdict, and requests get 403 with it.
#pragma warning disable CA5359 // Not a server certificate, and not accepted blindly: ClientCertificateValidator judges it once the handshake completes.
                : static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return options;
    }

    private static bool AcceptRequired(ClientCertificatePolicy policy, X509Certificate? certificate, string bindingName, ILogger? logger)
    {
        using var owned = certificate is null or X509Certificate2 ? null : new X509Certificate2(certificate);
        var validation = ClientCertificateValidator.Validate(policy, owned ?? (X509Certificate2?)certificate);
        if (!validation.IsValid && logger is not null)
        {
            Log.ClientCertificateRefused(logger, bindingName, validation.Reason, validation.Message, validation.Subject ?? "(none)", validation.Sha256 ?? "(none)");
        }

        return validation.IsValid;
    }

    private static partial class Log
    {
        /// <summary>The client's doing, but the only trace of a failed handshake: Information, so operators see it.</summary>
        [LoggerMessage(EventId = 10, EventName = nameof(EventIds.ClientCertificateRefused), Level = LogLevel.Information,
            Message = "Handshake for {Binding} refused: {Reason}: {Message} (client certificate subject {Subject}, SHA-256 {Sha256}).")]
        public static partial void ClientCertificateRefused(ILogger logger, string binding, ClientCertificateReason reason, string message, string subject, string sha256);
    }
}
