namespace ScoreGate.ControlPlane.Store;

/// <summary>Where a stored TLS binding takes its certificate from.</summary>
public enum TlsSourceKind
{
    /// <summary>PEM files on the router's machine, watched for changes.</summary>
    Pem,

    /// <summary>A secret directory under secretsRoot holding cert.pem and key.pem, watched.</summary>
    Secret,

    /// <summary>PEM text given through the API; the key and passphrase are encrypted at rest.</summary>
    Content,

    /// <summary>Router scope only: TLS turned off for names without a binding of their own.</summary>
    Disabled,

    /// <summary>Issued and renewed over ACME for a generated name; the certificate lives in the managed-certificate record.</summary>
    Managed,
}

/// <summary>
/// A TLS binding set through the API: for the router (<see cref="Scope"/> empty) or for one
/// endpoint, with the host name clients use for it. Holds key material in plaintext: the store
/// encrypts <see cref="KeyPem"/> and <see cref="Passphrase"/> on the way to disk.
/// With <see cref="ClientCaPath"/>, its handshakes ask for client certificates issued by that CA
/// bundle (mTLS); <see cref="ClientCrlPath"/> and <see cref="ClientCertificateMode"/> ("required"
/// or "optional") go with it.
/// </summary>
public sealed record TlsBindingRecord(
    string Scope,
    string? HostName,
    TlsSourceKind Kind,
    string? CertificatePath,
    string? KeyPath,
    string? PassphrasePath,
    string? SecretName,
    string? CertificatePem,
    string? KeyPem,
    string? Passphrase,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ClientCaPath = null,
    string? ClientCrlPath = null,
    string? ClientCertificateMode = null)
{
    public const string RouterScope = "";

    /// <summary>Never the key or passphrase: records end up in logs and exception messages.</summary>
    public override string ToString() => $"TlsBindingRecord({(Scope.Length == 0 ? "router" : Scope)}, {Kind}, {HostName})";
}
