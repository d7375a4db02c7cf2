namespace ScoreGate.Certificates.Acme;

/// <summary>
/// Challenge answers every router can read, so the CA's validation may reach any replica, not
/// only the one that placed the order. Keys: the token for HTTP-01, the lower-case name for
/// TLS-ALPN-01. Answers are key authorizations, which the CA reads in the clear anyway.
/// </summary>
public interface IChallengeAnswerStore
{
    Task SaveChallengeAnswerAsync(string type, string name, string answer, CancellationToken cancellationToken);

    Task DeleteChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken);

    /// <returns>The answer, or null when no validation is pending for it.</returns>
    Task<string?> FindChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken);

    /// <returns>Every pending answer of <paramref name="type"/>, by name (one query, for a router's in-memory copy).</returns>
    Task<IReadOnlyDictionary<string, string>> ListChallengeAnswersAsync(string type, CancellationToken cancellationToken);
}
