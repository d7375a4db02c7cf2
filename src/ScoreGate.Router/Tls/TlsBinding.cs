using System.Net.Security;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>A host name (or the router default, when null) bound to a loaded, validated certificate.</summary>
/// <param name="hostName">The SNI name it answers, or null for the router's default.</param>
/// <param name="source">Where the certificate came from, for <c>tls show</c>, such as "sslSecret 'contoso'".</param>
/// <param name="certificate">The validated certificate.</param>
/// <param name="serverOptions">Prebuilt handshake options.</param>
/// <param name="clientCertificates">The client-certificate rules its handshakes apply, or null when it asks for none.</param>
public sealed class TlsBinding(string? hostName, string source, CertificateBundle certificate, SslServerAuthenticationOptions serverOptions, ClientCertificatePolicy? clientCertificates = null)
{
    public string? HostName { get; } = hostName;

    public string Source { get; } = source;

    public CertificateBundle Certificate { get; } = certificate;

    /// <summary>Prebuilt options handed to every handshake that selects this binding.</summary>
    public SslServerAuthenticationOptions ServerOptions { get; } = serverOptions;

    /// <summary>Null for a binding that never asks for a client certificate.</summary>
    public ClientCertificatePolicy? ClientCertificates { get; } = clientCertificates;
}
