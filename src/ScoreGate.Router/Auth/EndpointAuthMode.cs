namespace ScoreGate.Router.Auth;

/// <summary>How callers of an endpoint prove who they are (Azure ML's <c>auth_mode</c>).</summary>
public enum EndpointAuthMode
{
    /// <summary>Bearer primary or secondary key of the endpoint.</summary>
    Key,

    /// <summary>No credentials: only on explicit request (<c>--auth-mode none</c>).</summary>
    None,

    /// <summary>Bearer token from <c>endpoint get-token</c>: signed by the router, for this endpoint, short-lived.</summary>
    AmlToken,

    /// <summary>Bearer access token from the router's OpenID Connect provider (<c>oidcAuthority</c>), checked against its JWKS.</summary>
    AadToken,
}

/// <summary>The auth modes' names as users write them (Azure ML's spelling).</summary>
public static class EndpointAuthModes
{
    public const string Choices = "key (the default), aml_token, aad_token or none";

    public static string Name(EndpointAuthMode mode) => mode switch
    {
        EndpointAuthMode.AmlToken => "aml_token",
        EndpointAuthMode.AadToken => "aad_token",
        EndpointAuthMode.None => "none",
        _ => "key",
    };

    /// <returns>False when <paramref name="text"/> names no mode; empty means key.</returns>
    public static bool TryParse(string? text, out EndpointAuthMode mode)
    {
        mode = EndpointAuthMode.Key;
        foreach (var candidate in Enum.GetValues<EndpointAuthMode>())
        {
            if (string.IsNullOrEmpty(text) || string.Equals(text, Name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                mode = string.IsNullOrEmpty(text) ? EndpointAuthMode.Key : candidate;
                return true;
            }
        }

        return false;
    }
}
