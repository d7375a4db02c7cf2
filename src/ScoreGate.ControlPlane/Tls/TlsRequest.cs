namespace ScoreGate.ControlPlane.Tls;

/// <summary>
/// A new certificate for the router or an endpoint, from exactly one source: PEM files on the
/// router's machine (<see cref="CertificateFile"/> and <see cref="KeyFile"/>), a mounted secret
/// (<see cref="Secret"/>), PEM text (<see cref="CertificatePem"/> and <see cref="KeyPem"/>), or a
/// managed certificate for a generated name (<see cref="LeafDomainLabel"/>). With
/// <see cref="ClientCaFile"/> its handshakes also ask for client certificates (mTLS), checked
/// against that CA bundle and <see cref="ClientCrlFile"/>; <see cref="ClientCertificateMode"/> is
/// "required" (the default) or "optional".
/// </summary>
public sealed record TlsRequest(
    string? CertificateFile = null,
    string? KeyFile = null,
    string? KeyPassphraseFile = null,
    string? Secret = null,
    string? CertificatePem = null,
    string? KeyPem = null,
    string? KeyPassphrase = null,
    string? Cname = null,
    string? LeafDomainLabel = null,
    bool OverwriteExistingDomain = false,
    string? ClientCaFile = null,
    string? ClientCrlFile = null,
    string? ClientCertificateMode = null)
{
    /// <summary>Never the key or passphrase: requests end up in logs and exception messages.</summary>
    public override string ToString() => $"TlsRequest(cert: {CertificateFile}, secret: {Secret}, text: {CertificatePem is not null}, cname: {Cname}, label: {LeafDomainLabel}, client CA: {ClientCaFile})";
}
