using System.Net;
using static ScoreGate.ControlPlane.Settings.RouterSettingNames;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>
/// What <c>adminUrl</c> may be, checked the same way by <c>serve</c> and by the CLI verbs that
/// use it to find the router: plain http on a loopback address with a port and no path, no
/// credentials, and no IPv4-mapped IPv6 address (Kestrel cannot bind one as loopback).
/// </summary>
public static class AdminUrlRule
{
    /// <returns>The URL, or null with <paramref name="problem"/> naming adminUrl, what is wrong and the fix.</returns>
    public static Uri? Check(string value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = null;
        var parsed = Uri.TryCreate(value, UriKind.Absolute, out var url);

        // Checked first, and the value is never echoed: it holds a password.
        if (parsed && url!.UserInfo.Length > 0)
        {
            problem = $"{AdminUrl} must not carry a user name or password (user:password@): the admin API is guarded by the token in stateDir/admin.token. Remove them, as in http://127.0.0.1:7400.";
            return null;
        }

        if (!parsed || url!.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/" || url.Port <= 0)
        {
            problem = $"{AdminUrl} '{value}' is not a URL like http://127.0.0.1:7400 (http, a host, a port, no path).";
            return null;
        }

        if (IPAddress.TryParse(url.DnsSafeHost, out var address) && address.IsIPv4MappedToIPv6)
        {
            problem = $"{AdminUrl} '{value}' uses an IPv4-mapped IPv6 address. Write the IPv4 address itself, such as http://{address.MapToIPv4()}:{url.Port}.";
            return null;
        }

        if (!url.IsLoopback)
        {
            problem = $"{AdminUrl} '{value}' is not a loopback address. The admin API is plain HTTP guarded by a token; keep it on 127.0.0.1, ::1 or localhost.";
            return null;
        }

        return url;
    }
}
