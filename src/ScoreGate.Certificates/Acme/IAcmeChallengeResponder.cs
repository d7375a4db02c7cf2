namespace ScoreGate.Certificates.Acme;

/// <summary>
/// Makes one kind of challenge answerable (RFC 8555 8): puts the key authorization where the
/// CA will look, and removes it afterwards. Implementations: <see cref="Http01ChallengeResponder"/>,
/// <see cref="TlsAlpn01ChallengeResponder"/>, and the DNS-01 one in ScoreGate.Dns.
/// </summary>
public interface IAcmeChallengeResponder
{
    /// <summary>The kind of challenge it answers.</summary>
    AcmeChallengeKind Kind { get; }

    /// <param name="domain">The identifier being validated (for a wildcard, the name without <c>*.</c>).</param>
    /// <param name="token">The challenge token.</param>
    /// <param name="keyAuthorization"><c>token.thumbprint</c> (RFC 8555 8.1).</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>Null when ready for validation, else why the answer could not be put in place.</returns>
    Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="PresentAsync"/> put in place; never throws.</summary>
    Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken);
}
