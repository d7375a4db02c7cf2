using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ScoreGate.Router.Auth;

/// <summary>
/// The provider's signing keys, cached. The first token waits for the first fetch; after that a
/// token with an unknown <c>kid</c> (the provider rotated its key) triggers one refresh, and keys
/// older than <see cref="MaxKeyAge"/> are refetched in the background while the cached ones keep
/// serving. Fetches are at most one per <see cref="MinFetchInterval"/> and concurrent callers
/// share the one in flight, so a flood of forged kids cannot turn into a flood of fetches.
/// While fetches fail, the cached keys keep verifying tokens and <see cref="Outage"/> says why.
/// </summary>
/// <remarks>
/// Microsoft.IdentityModel's <c>ConfigurationManager</c> does the same caching, but its clock is
/// not a <see cref="TimeProvider"/> (tests could not drive the rate limit) and it does not report
/// an outage; its retriever and parser are used as they are.
/// </remarks>
public sealed partial class OidcKeySource
{
    /// <summary>At most one fetch per this interval, whatever triggers it (documented in docs/identity.md).</summary>
    public static readonly TimeSpan MinFetchInterval = TimeSpan.FromSeconds(10);

    /// <summary>Keys older than this are refetched in the background at the next token.</summary>
    public static readonly TimeSpan MaxKeyAge = TimeSpan.FromHours(1);

    private readonly OidcSettings _settings;
    private readonly IDocumentRetriever _retriever;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <remarks>Acquire <see cref="_lock"/> before reading or writing <see cref="_inFlight"/> and <see cref="_lastAttempt"/>.</remarks>
    private readonly Lock _lock = new();

    private Task<OidcSigningKeys?>? _inFlight;
    private DateTimeOffset? _lastAttempt;
    private volatile OidcSigningKeys? _current;
    private volatile OidcOutage? _outage;

    /// <param name="settings">The provider.</param>
    /// <param name="http">The client to fetch with (<see cref="OidcHttpClient"/>).</param>
    /// <param name="time">The clock for the rate limit and key age.</param>
    /// <param name="logger">Outages and key changes.</param>
    public OidcKeySource(OidcSettings settings, HttpClient http, TimeProvider time, ILogger<OidcKeySource> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        // http:// only for a loopback authority (the settings refuse any other).
        _retriever = new HttpDocumentRetriever(http) { RequireHttps = settings.Authority.Scheme == Uri.UriSchemeHttps };
        _time = time;
        _logger = logger;
    }

    public OidcSettings Settings => _settings;

    /// <summary>The keys last fetched, or null before the first fetch succeeds.</summary>
    public OidcSigningKeys? Current => _current;

    /// <summary>Null while the last fetch succeeded.</summary>
    public OidcOutage? Outage => _outage;

    /// <summary>The cached keys (refetched in the background when old); before the first success, waits for a fetch.</summary>
    /// <returns>Null when no keys were ever fetched and none can be now.</returns>
    public async ValueTask<OidcSigningKeys?> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current)
        {
            if (_time.GetUtcNow() - current.FetchedAt >= MaxKeyAge)
            {
                // Not awaited: the cached keys answer now; the fetch never throws.
                _ = StartFetch();
            }

            return current;
        }

        return StartFetch() is { } fetch ? await fetch.WaitAsync(cancellationToken).ConfigureAwait(false) : _current;
    }

    /// <summary>A token names a key the cache lacks: fetch again, unless a fetch was tried within <see cref="MinFetchInterval"/>.</summary>
    public async ValueTask<OidcSigningKeys?> RefreshAsync(CancellationToken cancellationToken) =>
        StartFetch() is { } fetch ? await fetch.WaitAsync(cancellationToken).ConfigureAwait(false) : _current;

    /// <returns>The fetch in flight or just started; null when the rate limit says not now.</returns>
    private Task<OidcSigningKeys?>? StartFetch()
    {
        lock (_lock)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var now = _time.GetUtcNow();
            if (_lastAttempt is { } last && now - last < MinFetchInterval)
            {
                return null;
            }

            _lastAttempt = now;
            // Not tied to any caller's cancellation: other callers may share it.
            return _inFlight = Task.Run(FetchAsync);
        }
    }

    /// <summary>Never throws: a failure becomes <see cref="Outage"/> and the cached keys stay.</summary>
    private async Task<OidcSigningKeys?> FetchAsync()
    {
        string problem;
        try
        {
            using var timeout = new CancellationTokenSource(OidcHttpClient.Timeout * 2);
            var metadata = await OpenIdConnectConfigurationRetriever.GetAsync(_settings.MetadataAddress, _retriever, timeout.Token).ConfigureAwait(false);
            var issuer = metadata.Issuer?.TrimEnd('/');
            if (!string.Equals(issuer, _settings.Issuer, StringComparison.Ordinal))
            {
                // OpenID Connect Discovery 1.0 §4.3: metadata for another issuer must not be used.
                problem = $"names issuer '{metadata.Issuer}', not '{_settings.Issuer}' (oidcAuthority); its keys were not taken";
            }
            else if (metadata.SigningKeys.Count == 0)
            {
                problem = $"has no signing keys at its jwks_uri ({metadata.JwksUri})";
            }
            else
            {
                var keys = new OidcSigningKeys(metadata.Issuer!, [.. metadata.SigningKeys], _time.GetUtcNow());
                var previous = _current;
                _current = keys;
                if (Interlocked.Exchange(ref _outage, null) is not null)
                {
                    Log.ProviderBack(_logger, _settings.Issuer);
                }

                var keyIds = string.Join(", ", keys.Keys.Select(k => k.KeyId));
                if (previous is null || keyIds != string.Join(", ", previous.Keys.Select(k => k.KeyId)))
                {
                    Log.KeysFetched(_logger, _settings.Issuer, keyIds);
                }

                return keys;
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // IOException, HttpRequestException, timeouts, and the parser's exceptions for a malformed document.
            problem = $"cannot be fetched from {_settings.MetadataAddress}: {Innermost(error).Message.TrimEnd('.')}";
        }

        var outage = _outage;
        _outage = new OidcOutage(problem, outage?.Since ?? _time.GetUtcNow());
        if (outage is null)
        {
            var cached = _current?.Keys.Count ?? 0;
            Log.ProviderUnreachable(_logger, _settings.Issuer, problem, cached);
        }

        return _current;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }
}
