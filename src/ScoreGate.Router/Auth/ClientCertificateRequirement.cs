using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Auth;

/// <summary>
/// The client-certificate check of a scoring request, made before the key or token check (so a
/// request failing both gets 403, not 401). It decides by the TLS connection: the binding its
/// handshake selected by SNI and the certificate validated then (<see cref="ClientCertificateFeature"/>),
/// never by the Host header, which a client could set to anything on a connection it opened for
/// another name (and HTTP/2 clients reuse connections across names).
/// </summary>
public static class ClientCertificateRequirement
{
    /// <returns>Why the request is refused (403), or null when it may go on to authentication.</returns>
    public static string? Refusal(HttpContext context, EndpointRoute endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        var connection = context.Features.Get<ClientCertificateFeature>();
        if (endpoint.ClientCertificateHostName is { } own &&
            (connection is null || !string.Equals(connection.Binding.HostName, own, StringComparison.OrdinalIgnoreCase)))
        {
            // Asking for a certificate after the handshake would need renegotiation, which TLS 1.3
            // does not have (RFC 8446 §4.6.2's post-handshake auth is not offered by browsers,
            // curl or HTTP/2); so the certificate is asked for only in handshakes for its own name.
            var sni = context.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } name ? $"'{name}'" : "no name (no SNI)";
            var port = context.Request.Host.Port is { } p and not 443 ? $":{p}" : string.Empty;
            return $"Endpoint '{endpoint.Name}' requires a client certificate, which the router asks for only in TLS handshakes for the endpoint's own host name {own}; " +
                $"this connection was opened for {sni}, and TLS 1.3 has no renegotiation to ask for a certificate later. Score at https://{own}{port}/score with a client certificate.";
        }

        if (connection is { Validation.IsValid: false } refused)
        {
            var host = connection.Binding.HostName is { } bound ? $"Host {bound}" : "This router";
            return $"{host} requires a client certificate, and {refused.Validation.Message} ({Describe(refused.Validation.Reason)}). " +
                "Send a certificate issued by its client CA for client authentication (curl --cert client.pem --key client.key).";
        }

        return null;
    }

    private static string Describe(ClientCertificateReason reason) => reason switch
    {
        ClientCertificateReason.NoCertificate => "no certificate",
        ClientCertificateReason.UnknownIssuer => "unknown issuer",
        ClientCertificateReason.Expired => "expired",
        ClientCertificateReason.Revoked => "revoked",
        ClientCertificateReason.NotForClientAuthentication => "not for client authentication",
        _ => reason.ToString(),
    };
}
