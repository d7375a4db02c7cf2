using System.Collections.Concurrent;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// HTTP-01 (RFC 8555 8.3): the router answers <c>GET /.well-known/acme-challenge/{token}</c> on
/// <c>httpPort</c> while a validation is in progress: from its own table, or from the answers
/// other routers sharing the store have put there (the CA may reach any of them).
/// </summary>
public sealed class Http01ChallengeResponder(IChallengeAnswerStore? shared = null) : IAcmeChallengeResponder
{
    public const string PathPrefix = "/.well-known/acme-challenge/";

    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);

    public string Type => "http-01";

    /// <returns>The key authorization for <paramref name="token"/>, or null when none is pending.</returns>
    public async ValueTask<string?> AnswerAsync(string token, CancellationToken cancellationToken) =>
        _answers.GetValueOrDefault(token) ?? (shared is null ? null : await SharedAnswers.FindAsync(shared, Type, token, cancellationToken));

    public async Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers[token] = keyAuthorization;
        return shared is null ? null : await SharedAnswers.SaveAsync(shared, Type, token, keyAuthorization, cancellationToken);
    }

    public async Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers.TryRemove(token, out _);
        if (shared is not null)
        {
            await SharedAnswers.DeleteAsync(shared, Type, token, cancellationToken);
        }
    }
}
