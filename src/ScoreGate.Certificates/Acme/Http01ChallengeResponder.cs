using System.Collections.Concurrent;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// HTTP-01 (RFC 8555 8.3): the router answers <c>GET /.well-known/acme-challenge/{token}</c> on
/// <c>httpPort</c> from this table while a validation is in progress.
/// </summary>
public sealed class Http01ChallengeResponder : IAcmeChallengeResponder
{
    public const string PathPrefix = "/.well-known/acme-challenge/";

    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);

    public string Type => "http-01";

    /// <returns>The key authorization for <paramref name="token"/>, or null when none is pending.</returns>
    public string? Answer(string token) => _answers.GetValueOrDefault(token);

    public Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers[token] = keyAuthorization;
        return Task.FromResult<string?>(null);
    }

    public Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers.TryRemove(token, out _);
        return Task.CompletedTask;
    }
}
