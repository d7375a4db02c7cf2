using System.Buffers;
using System.Collections.Concurrent;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// HTTP-01 (RFC 8555 8.3): the router answers <c>GET /.well-known/acme-challenge/{token}</c> on
/// <c>httpPort</c> while a validation is in progress: from its own table, or from the answers
/// other routers sharing the store have put there (the CA may reach any of them). Anyone may send
/// these requests, so none costs more than memory: a malformed token is refused before any
/// lookup, and other routers' answers come from <see cref="SharedAnswerCache"/>.
/// </summary>
public sealed class Http01ChallengeResponder(IChallengeAnswerStore? shared = null, TimeProvider? time = null) : IAcmeChallengeResponder
{
    public const string PathPrefix = "/.well-known/acme-challenge/";

    // RFC 8555 8.1: a token is base64url without padding; ours and Let's Encrypt's are 43 characters.
    private const int LongestToken = 256;

    private static readonly SearchValues<char> Base64UrlCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);
    private readonly SharedAnswerCache? _shared = shared is null ? null : new SharedAnswerCache(shared, AcmeChallengeKind.Http01.ToRfcName(), time ?? TimeProvider.System);

    public AcmeChallengeKind Kind => AcmeChallengeKind.Http01;

    /// <returns>The key authorization for <paramref name="token"/>, or null when none is pending.</returns>
    public async ValueTask<string?> AnswerAsync(string token, CancellationToken cancellationToken)
    {
        if (!IsToken(token))
        {
            return null;
        }

        return _answers.GetValueOrDefault(token) ?? (_shared is null ? null : await _shared.FindAsync(token, cancellationToken));
    }

    public async Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers[token] = keyAuthorization;
        return shared is null ? null : await SharedAnswers.SaveAsync(shared, Kind.ToRfcName(), token, keyAuthorization, cancellationToken);
    }

    public async Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers.TryRemove(token, out _);
        if (shared is not null)
        {
            await SharedAnswers.DeleteAsync(shared, Kind.ToRfcName(), token, cancellationToken);
        }
    }

    private static bool IsToken(string token) =>
        token.Length is > 0 and <= LongestToken && !token.AsSpan().ContainsAnyExcept(Base64UrlCharacters);
}
