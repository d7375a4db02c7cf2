using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScoreGate.Router.Auth;

/// <summary>
/// Checks endpoint tokens (ES256 JWTs) against the signing keys the router currently knows:
/// signature, issuer, audience (the endpoint) and lifetime. Public keys only: the private keys
/// stay with the control plane.
/// </summary>
public sealed class TokenVerifier
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly SecurityKey[] _keys;
    private readonly TimeProvider _time;

    /// <param name="publicKeys">Key id → SubjectPublicKeyInfo (DER) of each signing key still valid for verification.</param>
    /// <param name="time">The clock lifetimes are checked against.</param>
    public TokenVerifier(IReadOnlyDictionary<string, byte[]> publicKeys, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        _time = time ?? TimeProvider.System;
        _keys = [.. publicKeys.Select(k =>
        {
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(k.Value, out _);
            return (SecurityKey)new ECDsaSecurityKey(key) { KeyId = k.Key };
        })];
    }

    public static TokenVerifier None { get; } = new(new Dictionary<string, byte[]>());

    /// <param name="token">The bearer token as sent.</param>
    /// <param name="endpoint">The audience the endpoint accepts (<see cref="EndpointTokens.Audience"/>).</param>
    public async Task<TokenCheck> CheckAsync(string token, string endpoint)
    {
        if (_keys.Length == 0 || string.IsNullOrEmpty(token))
        {
            return TokenCheck.Invalid;
        }

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = EndpointTokens.Issuer,
            ValidAudience = endpoint,
            IssuerSigningKeys = _keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = EndpointTokens.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) => IsCurrent(notBefore, expires),
        }).ConfigureAwait(false);

        return result.IsValid ? TokenCheck.Valid
            : result.Exception is SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException ? TokenCheck.Expired
            : result.Exception is SecurityTokenInvalidAudienceException ? TokenCheck.OtherEndpoint
            : TokenCheck.Invalid;
    }

    private bool IsCurrent(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } end && now <= end + EndpointTokens.ClockSkew && (notBefore is not { } start || now >= start - EndpointTokens.ClockSkew);
    }
}

/// <summary>What a token check found.</summary>
public enum TokenCheck
{
    Valid,

    /// <summary>Signature, issuer or format wrong: not one of ours.</summary>
    Invalid,

    /// <summary>Ours, but outside its lifetime.</summary>
    Expired,

    /// <summary>Ours, but for another endpoint.</summary>
    OtherEndpoint,
}
