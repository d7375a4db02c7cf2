namespace ScoreGate.Router.Auth;

/// <summary>Why an OpenID Connect access token was refused; each maps to one status and one metric reason.</summary>
public enum OidcTokenFailure
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Not a signed JWT in compact form (JWE, garbage, or a key pasted instead of a token).</summary>
    Malformed,

    /// <summary>Its <c>alg</c> is not RS256, PS256 or ES256: <c>none</c>, HMAC (HS256 with the public key as secret), and everything else.</summary>
    AlgorithmNotAllowed,

    /// <summary>Its <c>kid</c> is not among the provider's keys, even after the one refresh allowed.</summary>
    UnknownKey,

    /// <summary>The signature does not verify with the provider's key.</summary>
    BadSignature,

    /// <summary>Signed by the provider but its <c>iss</c> is not the provider's issuer.</summary>
    WrongIssuer,

    /// <summary>Its <c>aud</c> is not <c>oidcAudience</c>: a token for another API.</summary>
    WrongAudience,

    /// <summary>Past its <c>exp</c> (plus the clock skew), or without one.</summary>
    Expired,

    /// <summary>Before its <c>nbf</c> (minus the clock skew).</summary>
    NotYetValid,

    /// <summary>Valid, but lacks a role, scope or subject the endpoint's <c>allowed_callers</c> requires: 403.</summary>
    NotAllowed,

    /// <summary>No signing key was ever fetched and the provider cannot be reached: not the caller's fault (503).</summary>
    ProviderUnavailable,
}
