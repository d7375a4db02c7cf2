namespace ScoreGate.Router.Tls;

/// <summary>What should be served for one name: the router default (null host) or an endpoint's host name.</summary>
/// <param name="HostName">The SNI name this binding answers, or null for the router's default.</param>
/// <param name="Source">Where its certificate comes from.</param>
/// <param name="Cname">The name the certificate must cover (the host name itself for endpoints).</param>
/// <param name="CnameName">How messages name where the name was set ("sslCname", "--cname").</param>
/// <param name="ClientCertificates">The client CA, CRL and mode, or null when its handshakes ask for no client certificate.</param>
public sealed record TlsBindingSpec(string? HostName, CertificateSource Source, string? Cname, string CnameName, ClientCertificateFiles? ClientCertificates = null)
{
    /// <summary>Changes exactly when the certificate files or the client CA/CRL files change.</summary>
    public string Fingerprint() => ClientCertificates is null ? Source.Fingerprint() : $"{Source.Fingerprint()}/{ClientCertificates.Fingerprint()}";

    /// <summary>Same source, same names: a reload can keep the loaded binding if the fingerprint also matches.</summary>
    public bool SameAs(TlsBindingSpec other) =>
        other is not null && string.Equals(HostName, other.HostName, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Cname, other.Cname, StringComparison.OrdinalIgnoreCase) &&
        Source.GetType() == other.Source.GetType() && Source.Description == other.Source.Description &&
        Equals(ClientCertificates, other.ClientCertificates);
}
