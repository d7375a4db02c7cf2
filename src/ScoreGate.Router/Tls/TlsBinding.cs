using System.Net.Security;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>A host name (or the router default, when null) bound to a loaded, validated certificate.</summary>
public sealed class TlsBinding(string? hostName, CertificateBundle certificate, SslServerAuthenticationOptions serverOptions)
{
    public string? HostName { get; } = hostName;

    public CertificateBundle Certificate { get; } = certificate;

    /// <summary>Prebuilt options handed to every handshake that selects this binding.</summary>
    public SslServerAuthenticationOptions ServerOptions { get; } = serverOptions;
}
