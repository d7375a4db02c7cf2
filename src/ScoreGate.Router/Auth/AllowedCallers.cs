using Microsoft.IdentityModel.JsonWebTokens;

namespace ScoreGate.Router.Auth;

/// <summary>
/// Who may score an <c>aad_token</c> endpoint, beyond holding a valid token (endpoint file
/// <c>allowed_callers:</c>). Each list that is not empty must match: the token needs at least one
/// of its roles, one of its scopes and one of its subjects. Empty lists admit any token.
/// </summary>
/// <param name="Roles">Matched against the <c>roles</c> claim (an array, or one string).</param>
/// <param name="Scopes">Matched against <c>scp</c>, else <c>scope</c> (space-separated, RFC 8693 §4.2).</param>
/// <param name="Subjects">Matched against <c>oid</c> (Entra's stable object id), else <c>sub</c>.</param>
public sealed record AllowedCallers(IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes, IReadOnlyList<string> Subjects)
{
    public static AllowedCallers Anyone { get; } = new([], [], []);

    public bool IsAnyone => Roles.Count == 0 && Scopes.Count == 0 && Subjects.Count == 0;

    /// <returns>Null when the token is allowed; otherwise what it lacks, for the 403 message.</returns>
    public string? Refuses(JsonWebToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var missing = new List<string>();
        if (Roles.Count > 0 && !Roles.Intersect(RolesOf(token), StringComparer.Ordinal).Any())
        {
            missing.Add($"one of the roles {Quoted(Roles)} in its 'roles' claim");
        }

        if (Scopes.Count > 0 && !Scopes.Intersect(ScopesOf(token), StringComparer.Ordinal).Any())
        {
            missing.Add($"one of the scopes {Quoted(Scopes)} in its 'scp' or 'scope' claim");
        }

        if (Subjects.Count > 0 && (SubjectOf(token) is not { } subject || !Subjects.Contains(subject, StringComparer.Ordinal)))
        {
            missing.Add($"a subject ('oid', else 'sub') among {Quoted(Subjects)}");
        }

        return missing.Count == 0 ? null : string.Join("; and ", missing);
    }

    /// <summary>Who the token speaks for: <c>oid</c> (Entra's id, stable across apps), else <c>sub</c>.</summary>
    public static string? SubjectOf(JsonWebToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Claim(token, "oid") ?? Claim(token, "sub");
    }

    /// <summary>A claim that is a JSON string (the library types date-like strings as DateTime); a number or object named 'oid' or 'sub' is nobody.</summary>
    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetClaim(name, out var claim) && claim.ValueType is System.Security.Claims.ClaimValueTypes.String or System.Security.Claims.ClaimValueTypes.DateTime && !string.IsNullOrEmpty(claim.Value) ? claim.Value : null;

    /// <summary>One value per claim instance: a JSON array claim comes as one claim per element, a string as one.</summary>
    private static IEnumerable<string> Values(JsonWebToken token, string name) =>
        token.Claims.Where(c => c.Type == name).Select(c => c.Value);

    private static IEnumerable<string> RolesOf(JsonWebToken token) => Values(token, "roles");

    /// <summary>Entra puts delegated scopes in 'scp', RFC 8693 §4.2 and Keycloak in 'scope': space-separated, sometimes an array.</summary>
    private static IEnumerable<string> ScopesOf(JsonWebToken token) =>
        Values(token, "scp").Concat(Values(token, "scope")).SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));
}
