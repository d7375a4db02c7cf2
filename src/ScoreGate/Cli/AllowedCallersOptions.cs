using System.CommandLine;
using ScoreGate.ControlPlane.Api;
using ScoreGate.Router.Auth;

namespace ScoreGate.Cli;

/// <summary><c>--allowed-roles</c>, <c>--allowed-scopes</c> and <c>--allowed-subjects</c>: an aad_token endpoint's <c>allowed_callers</c>.</summary>
internal sealed class AllowedCallersOptions
{
    private readonly Option<string> _roles = new("--allowed-roles") { Description = "aad_token: roles a token needs one of (its 'roles' claim), comma-separated; \"\" lifts the restriction. Beside -f it overrides allowed_callers.roles." };
    private readonly Option<string> _scopes = new("--allowed-scopes") { Description = "aad_token: scopes a token needs one of ('scp' or 'scope'), comma-separated; \"\" lifts the restriction. Beside -f it overrides allowed_callers.scopes." };
    private readonly Option<string> _subjects = new("--allowed-subjects") { Description = "aad_token: subjects allowed to score ('oid', else 'sub'), comma-separated; \"\" lifts the restriction. Beside -f it overrides allowed_callers.subjects." };

    public static AllowedCallersOptions Create() => new();

    public IEnumerable<Option> All => [_roles, _scopes, _subjects];

    /// <returns>The lists given (null where a flag is absent), or null when no flag is.</returns>
    public AllowedCallersRequest? From(ParseResult parse)
    {
        var (roles, scopes, subjects) = (parse.GetValue(_roles), parse.GetValue(_scopes), parse.GetValue(_subjects));
        return roles is null && scopes is null && subjects is null ? null : new AllowedCallersRequest(Split(roles), Split(scopes), Split(subjects));
    }

    /// <summary>The file's allowed_callers (all three lists: the file says the whole of it), with the flags given winning list by list.</summary>
    public static AllowedCallersRequest? Merge(AllowedCallers? file, AllowedCallersRequest? flags)
    {
        if (file is null)
        {
            return flags;
        }

        return new AllowedCallersRequest(
            flags?.Roles ?? [.. file.Roles],
            flags?.Scopes ?? [.. file.Scopes],
            flags?.Subjects ?? [.. file.Subjects]);
    }

    private static List<string>? Split(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
