namespace ScoreGate.Router.Tls;

/// <summary>
/// Set on a connection whose handshake selected a binding that asks for client certificates
/// (and on no other, so other connections pay nothing): which binding, and what was decided
/// about the certificate, once per connection. Requests reach it through the connection's
/// features, so the data plane decides by the TLS connection, never by a Host header.
/// </summary>
public sealed class ClientCertificateFeature(TlsBinding binding, ClientCertificatePolicy policy)
{
    /// <summary>The binding the handshake selected (by SNI).</summary>
    public TlsBinding Binding { get; } = binding;

    public ClientCertificatePolicy Policy { get; } = policy;

    /// <summary>Filled in once the handshake completes; <see cref="ClientCertificateValidation.NoCertificate"/> until then.</summary>
    public ClientCertificateValidation Validation { get; set; } = ClientCertificateValidation.NoCertificate;

    /// <summary>True when the router's <c>forwardClientCertificate</c> setting passes the identity to the model.</summary>
    public bool ForwardToModel { get; set; }
}
