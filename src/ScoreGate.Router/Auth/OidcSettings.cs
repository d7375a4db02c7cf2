namespace ScoreGate.Router.Auth;

/// <summary>
/// The OpenID Connect provider whose access tokens <c>aad_token</c> endpoints accept (router
/// settings <c>oidcAuthority</c>, <c>oidcAudience</c>, <c>oidcCaBundle</c>), already validated.
/// </summary>
/// <param name="Authority">The issuer URL; its metadata is at <see cref="MetadataAddress"/>.</param>
/// <param name="Audience">The <c>aud</c> every accepted token must carry.</param>
/// <param name="CaBundlePem">PEM certificates to trust for the provider's HTTPS instead of the system roots, or null.</param>
public sealed record OidcSettings(Uri Authority, string Audience, string? CaBundlePem = null)
{
    /// <summary>OpenID Connect Discovery 1.0 §4: the authority with <c>/.well-known/openid-configuration</c> appended.</summary>
    public string MetadataAddress => $"{Authority.AbsoluteUri.TrimEnd('/')}/.well-known/openid-configuration";

    /// <summary>The issuer the provider's metadata must state, and its tokens carry: the authority without a trailing slash.</summary>
    public string Issuer => Authority.AbsoluteUri.TrimEnd('/');
}
