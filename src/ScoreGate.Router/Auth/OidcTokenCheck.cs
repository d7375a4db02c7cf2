namespace ScoreGate.Router.Auth;

/// <summary>What checking one access token found.</summary>
/// <param name="Failure"><see cref="OidcTokenFailure.None"/> when accepted.</param>
/// <param name="Detail">What is wrong and how to fix it, for the caller; never holds the token. Empty when accepted.</param>
/// <param name="Subject">The token's <c>oid</c> or <c>sub</c> once its signature verified (for the access log); else null.</param>
public sealed record OidcTokenCheck(OidcTokenFailure Failure, string Detail, string? Subject = null)
{
    public bool IsValid => Failure == OidcTokenFailure.None;

    /// <summary>The metric label: a fixed word per failure, never anything from the token.</summary>
    public string Reason => Failure switch
    {
        OidcTokenFailure.Expired or OidcTokenFailure.NotYetValid => "expired",
        OidcTokenFailure.WrongIssuer => "wrong_issuer",
        OidcTokenFailure.WrongAudience => "wrong_audience",
        OidcTokenFailure.AlgorithmNotAllowed => "algorithm",
        OidcTokenFailure.UnknownKey => "unknown_key",
        OidcTokenFailure.NotAllowed => "forbidden",
        OidcTokenFailure.ProviderUnavailable => "provider_unavailable",
        _ => "invalid",
    };
}
