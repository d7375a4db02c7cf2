namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// A managed certificate (DESIGN.md §6): the generated name, the certificate last issued for it,
/// and the renewal state <c>tls show</c> reports. <see cref="KeyPem"/> is plaintext here; the
/// store encrypts it on the way to disk.
/// </summary>
public sealed record ManagedCertificateRecord(
    string Scope,
    string Label,
    string HostName,
    string Challenge,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string? CertificatePem { get; init; }

    public string? KeyPem { get; init; }

    public string? SerialNumber { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The ACME directory that issued the current certificate.</summary>
    public string? IssuedBy { get; init; }

    /// <summary>When the renewer looks at this certificate next (to renew, retry, or re-check ARI).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Set by <c>tls renew</c> and <c>sslRenew</c>: renew at the next attempt even if still valid.</summary>
    public bool RenewRequested { get; init; }

    /// <summary>Failed attempts since the last success; drives the backoff.</summary>
    public int Attempts { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public bool HasCertificate => CertificatePem is not null && KeyPem is not null;

    /// <summary>Never the key: records end up in logs and exception messages.</summary>
    public override string ToString() => $"ManagedCertificateRecord({(Scope.Length == 0 ? "router" : Scope)}, {HostName}, {SerialNumber ?? "not issued"})";
}

/// <summary>An ACME account: the key (encrypted at rest) and its URL at one CA.</summary>
public sealed record AcmeAccountRecord(string Directory, string KeyPem, string? AccountUrl, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"AcmeAccountRecord({Directory}, {AccountUrl})";
}
