using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ScoreGate.Router.Auth;

/// <summary>Signs endpoint tokens with one ES256 key (the control plane's current signing key).</summary>
public static class TokenSigner
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="keyId">The key's id, put in the token's <c>kid</c> so the router finds the key.</param>
    /// <param name="key">The ECDSA P-256 private key (the caller owns and disposes it).</param>
    /// <param name="endpoint">The audience (<see cref="EndpointTokens.Audience"/>): the only endpoint the token is good for.</param>
    /// <param name="issuedAt">When the token starts to be valid.</param>
    public static string Sign(string keyId, ECDsa key, string endpoint, DateTimeOffset issuedAt)
    {
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = EndpointTokens.Issuer,
            Audience = endpoint,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + EndpointTokens.Lifetime).UtcDateTime,
            // Not cached: the caller disposes the key, and a cached provider would outlive it.
            SigningCredentials = new SigningCredentials(
                new ECDsaSecurityKey(key) { KeyId = keyId, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } },
                SecurityAlgorithms.EcdsaSha256),
        });
    }
}
