namespace ScoreGate.Router.Auth;

/// <summary>Reads the credential of an <c>Authorization: Bearer &lt;token&gt;</c> header (RFC 6750 §2.1).</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <returns>The token, or an empty span when the header is missing or uses another scheme.</returns>
    public static ReadOnlySpan<char> From(string? authorization)
    {
        if (authorization is null || authorization.Length <= Scheme.Length ||
            !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        return authorization.AsSpan(Scheme.Length).Trim();
    }
}
