using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScoreGate.Router.Auth;

/// <summary>
/// Checks access tokens from the OpenID Connect provider (<c>aad_token</c> endpoints), in this
/// order: a compact JWS whose <c>alg</c> is on the allow-list, a signature by one of the
/// provider's published keys, its issuer, <c>oidcAudience</c>, <c>exp</c> and <c>nbf</c> with
/// <see cref="ClockSkew"/>, then the endpoint's <see cref="AllowedCallers"/>. Never throws for a
/// bad token: every refusal is a result that says what is wrong.
/// </summary>
public sealed class OidcTokenValidator(OidcKeySource keys, TimeProvider time)
{
    /// <summary>How far the router's clock and the provider's may disagree (documented in docs/identity.md).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Asymmetric algorithms only, named explicitly: <c>none</c> and HMAC never verify (an HS256
    /// token "signed" with the provider's public key is the classic confusion attack).
    /// </summary>
    public static readonly IReadOnlyList<string> Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>Access tokens with many groups run to a few kilobytes; beyond this it is not a token.</summary>
    private const int MaxTokenChars = 16 * 1024;

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly OidcSettings _settings = keys.Settings;

    /// <param name="token">The bearer credential as sent (never logged nor echoed).</param>
    /// <param name="allowed">The endpoint's <c>allowed_callers</c>.</param>
    /// <param name="cancellationToken">The request's: a caller that leaves stops waiting for a fetch (which goes on for others).</param>
    public async ValueTask<OidcTokenCheck> CheckAsync(string token, AllowedCallers allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var getToken = $"Get an access token from {_settings.Issuer} for the audience '{_settings.Audience}'";
        if (token.Length is 0 or > MaxTokenChars || !Handler.CanReadToken(token) || ReadOrNull(token) is not { } jwt || jwt.IsEncrypted)
        {
            return Refused(OidcTokenFailure.Malformed, $"The bearer credential is not a signed JWT access token. {getToken} and send it as 'Authorization: Bearer <token>'.");
        }

        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            // RFC 7515 §4.1.11: a recipient that does not understand every listed extension must refuse; none is understood here.
            return Refused(OidcTokenFailure.Malformed, $"The token's header lists critical extensions ('crit'), which the router does not support. {getToken}.");
        }

        if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return Refused(OidcTokenFailure.AlgorithmNotAllowed,
                $"The token's signing algorithm ({Printable(jwt.Alg)}) is not accepted: only {string.Join(", ", Algorithms)} with the provider's published keys are. {getToken}.");
        }

        OidcSigningKeys? signing;
        try
        {
            signing = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
            if (signing is not null && !string.IsNullOrEmpty(jwt.Kid) && !signing.Has(jwt.Kid))
            {
                // A key the provider may just have rotated to: one refresh, rate-limited by the source.
                signing = await keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return Refused(OidcTokenFailure.ProviderUnavailable, "The request ended while the provider's signing keys were being fetched.");
        }

        if (signing is null)
        {
            // Why the fetch failed can name internal addresses: that stays with the operator (status, /healthz, the log).
            return Refused(OidcTokenFailure.ProviderUnavailable,
                $"The router cannot verify tokens yet: the signing keys of {_settings.Issuer} could not be fetched. Retry shortly; the router's operator sees why with 'scoregate status'.");
        }

        if (!string.IsNullOrEmpty(jwt.Kid) && !signing.Has(jwt.Kid))
        {
            return Refused(OidcTokenFailure.UnknownKey,
                $"The token is signed with a key ('kid') that {_settings.Issuer} does not publish (keys are refetched at most every {OidcKeySource.MinFetchInterval.TotalSeconds:0} s). {getToken}.");
        }

        TokenValidationResult result;
        try
        {
            result = await Validate(jwt, signing).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The library reports failures as results; anything it throws is still the token's fault, never a 500.
            return Refused(OidcTokenFailure.BadSignature, $"The token could not be verified with the published keys of {signing.Issuer}. {getToken}.");
        }

        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidIssuerException => Refused(OidcTokenFailure.WrongIssuer,
                    $"The token was issued by another issuer: this endpoint accepts tokens of {signing.Issuer} (oidcAuthority) only. {getToken}."),
                SecurityTokenInvalidAudienceException => Refused(OidcTokenFailure.WrongAudience,
                    $"The token is for another audience: this endpoint needs 'aud' to be '{_settings.Audience}' (oidcAudience). Ask the provider for a token for that audience (Entra: scope '{_settings.Audience}/.default')."),
                SecurityTokenInvalidAlgorithmException => Refused(OidcTokenFailure.AlgorithmNotAllowed,
                    $"The token's signing algorithm is not accepted: only {string.Join(", ", Algorithms)} are. {getToken}."),
                _ => Refused(OidcTokenFailure.BadSignature,
                    $"The token's signature does not verify with the published keys of {signing.Issuer}: it was altered, or not issued by that provider. {getToken}."),
            };
        }

        var now = time.GetUtcNow();
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp))
        {
            return Refused(OidcTokenFailure.Expired, $"The token has no expiry ('exp'); access tokens must have one. {getToken}.");
        }

        var hasNbf = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf);
        if (!IsTime(exp) || (hasNbf && !IsTime(nbf)))
        {
            // Signed by the provider, yet no date: refused, never turned into an overflow (a 500).
            return Refused(OidcTokenFailure.Malformed, $"The token's 'exp' or 'nbf' is not a time between the years 1 and 9999. {getToken}.");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (now > expires + ClockSkew)
        {
            return Refused(OidcTokenFailure.Expired, $"The token expired at {expires:u} ({ClockSkew.TotalSeconds:0} s of clock skew allowed). Get a new one from {_settings.Issuer}.");
        }

        if (hasNbf && now < DateTimeOffset.FromUnixTimeSeconds(nbf) - ClockSkew)
        {
            return Refused(OidcTokenFailure.NotYetValid,
                $"The token is not valid before {DateTimeOffset.FromUnixTimeSeconds(nbf):u} ({ClockSkew.TotalSeconds:0} s of clock skew allowed). Check the clocks of the provider and the router (NTP).");
        }

        var subject = AllowedCallers.SubjectOf(jwt);
        if (allowed.Refuses(jwt) is { } missing)
        {
            return new OidcTokenCheck(OidcTokenFailure.NotAllowed, $"The token is valid but lacks {missing}. Ask the provider's administrator to grant it, then get a new token.", subject);
        }

        return new OidcTokenCheck(OidcTokenFailure.None, string.Empty, subject);
    }

    private Task<TokenValidationResult> Validate(JsonWebToken jwt, OidcSigningKeys signing) => Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
    {
        ValidIssuer = signing.Issuer,
        ValidAudience = _settings.Audience,
        IssuerSigningKeys = signing.Keys,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        TryAllIssuerSigningKeys = string.IsNullOrEmpty(jwt.Kid),
        // exp and nbf are checked after, against the router's TimeProvider, with a fixed skew.
        ValidateLifetime = false,
        RequireExpirationTime = false,
        ValidateIssuerSigningKey = false,
        // 'aud' must be oidcAudience exactly (docs/identity.md), not also with a trailing slash.
        IgnoreTrailingSlashWhenValidatingAudience = false,
    });

    private static bool IsTime(long unixSeconds) =>
        unixSeconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && unixSeconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static OidcTokenCheck Refused(OidcTokenFailure failure, string detail) => new(failure, detail);

    private static JsonWebToken? ReadOrNull(string token)
    {
        try
        {
            return new JsonWebToken(token);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // SecurityTokenMalformedException and its kin; whatever a hostile header makes the parser throw.
            return null;
        }
    }

    /// <summary>The header's alg as the caller wrote it, only if short and plain; it is the caller's text.</summary>
    private static string Printable(string? alg) =>
        alg is { Length: > 0 and <= 16 } && alg.All(char.IsAsciiLetterOrDigit) ? $"'{alg}'" : "not a known name";
}
