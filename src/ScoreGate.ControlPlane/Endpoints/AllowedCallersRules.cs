using ScoreGate.ControlPlane.Settings;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>What an endpoint's auth mode and <c>allowed_callers</c> must be, given the router's OpenID Connect settings.</summary>
internal static class AllowedCallersRules
{
    /// <summary>Claim values are short names or ids; longer is a mistake (a token pasted in).</summary>
    private const int MaxValueLength = 256;

    private const int MaxEntries = 100;

    /// <param name="endpoint">The endpoint's name, for the message.</param>
    /// <param name="mode">Its auth mode after the change.</param>
    /// <param name="allowed">Its allowed callers after the change.</param>
    /// <param name="providerSet">Whether the router has oidcAuthority (or the auth mode is not being changed).</param>
    /// <returns>What is wrong and the field it is in, or null.</returns>
    public static (string Message, string Field)? Check(string endpoint, EndpointAuthMode mode, AllowedCallers? allowed, bool providerSet)
    {
        if (mode == EndpointAuthMode.AadToken && !providerSet)
        {
            return ($"Endpoint '{endpoint}' cannot use aad_token: it needs the router setting {RouterSettingNames.OidcAuthority} (the OpenID Connect issuer whose tokens it accepts) and {RouterSettingNames.OidcAudience}. " +
                $"Restart the router with both set, or choose another auth mode ({EndpointAuthModes.Choices}).", "auth_mode");
        }

        if (allowed is null)
        {
            return null;
        }

        if (mode != EndpointAuthMode.AadToken)
        {
            return ($"Endpoint '{endpoint}' uses {EndpointAuthModes.Name(mode)} auth, but allowed_callers applies only to aad_token (OpenID Connect tokens carry the roles, scopes and subjects it checks). " +
                "Set auth_mode to aad_token, or remove allowed_callers (with the CLI: --allowed-roles \"\" --allowed-scopes \"\" --allowed-subjects \"\").", "allowed_callers");
        }

        foreach (var (list, values) in new[] { ("roles", allowed.Roles), ("scopes", allowed.Scopes), ("subjects", allowed.Subjects) })
        {
            if (values.Count > MaxEntries)
            {
                return ($"Endpoint '{endpoint}': allowed_callers.{list} has {values.Count} entries; at most {MaxEntries} are allowed. Grant a role to the callers instead of listing them.", $"allowed_callers.{list}");
            }

            if (values.FirstOrDefault(v => v.Length is 0 or > MaxValueLength || v.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) is { } bad)
            {
                return ($"Endpoint '{endpoint}': allowed_callers.{list} has an entry that is empty, longer than {MaxValueLength} characters or holds spaces ('{Shown(bad)}'). " +
                    "Give one role, scope or subject per entry, as it appears in the token (such as Scorer, score.invoke or an object id).", $"allowed_callers.{list}");
            }
        }

        return null;
    }

    private static string Shown(string value) =>
        new([.. value.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
}
