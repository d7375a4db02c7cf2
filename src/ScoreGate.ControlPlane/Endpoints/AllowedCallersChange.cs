using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>A change to an endpoint's <c>allowed_callers</c>: each list that is null stays as it is; an empty list lifts that restriction.</summary>
public sealed record AllowedCallersChange(IReadOnlyList<string>? Roles, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? Subjects)
{
    /// <returns>The restriction after this change, or null when no list restricts anything.</returns>
    public AllowedCallers? ApplyTo(AllowedCallers? current)
    {
        var result = new AllowedCallers(
            Roles ?? current?.Roles ?? [],
            Scopes ?? current?.Scopes ?? [],
            Subjects ?? current?.Subjects ?? []);
        return result.IsAnyone ? null : result;
    }
}
