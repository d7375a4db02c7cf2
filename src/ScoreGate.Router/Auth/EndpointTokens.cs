namespace ScoreGate.Router.Auth;

/// <summary>The shape of endpoint tokens, shared by the control plane that signs them and the router that checks them.</summary>
public static class EndpointTokens
{
    /// <summary>The <c>iss</c> of every token; <c>aud</c> is <see cref="Audience"/>.</summary>
    public const string Issuer = "scoregate";

    /// <summary>
    /// A token's audience: the endpoint's name and its incarnation, drawn when it was created, so
    /// an endpoint deleted and created again under the same name refuses the old one's tokens.
    /// Endpoints stored before incarnations existed have none: their tokens name the endpoint alone.
    /// </summary>
    public static string Audience(string endpoint, string incarnation) =>
        incarnation.Length == 0 ? endpoint : $"{endpoint}/{incarnation}";

    /// <summary>Short-lived, so a leaked token is worth little; clients refresh at half-life, as Azure ML's do.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static readonly TimeSpan RefreshAfter = Lifetime / 2;

    /// <summary>How long a key signs new tokens before a new one takes over.</summary>
    public static readonly TimeSpan KeyRotation = TimeSpan.FromDays(7);

    /// <summary>Clocks of the router and its clients may differ this much.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
}
