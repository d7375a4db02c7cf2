using Microsoft.IdentityModel.Tokens;

namespace ScoreGate.Router.Auth;

/// <summary>What the provider's metadata said at one fetch: its issuer and signing keys (JWKS).</summary>
/// <param name="Issuer">The metadata's <c>issuer</c>, which accepted tokens carry as <c>iss</c>.</param>
/// <param name="Keys">The signing keys, each with its <c>kid</c>.</param>
/// <param name="FetchedAt">When they were fetched.</param>
public sealed record OidcSigningKeys(string Issuer, IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt)
{
    public bool Has(string keyId) => Keys.Any(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
}

/// <summary>The provider's metadata cannot be fetched (or is refused) since <paramref name="Since"/>.</summary>
/// <param name="Problem">What went wrong at the last attempt, to follow "the OpenID Connect provider's metadata".</param>
public sealed record OidcOutage(string Problem, DateTimeOffset Since);
