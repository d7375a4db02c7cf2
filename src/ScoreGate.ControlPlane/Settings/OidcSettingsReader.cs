using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Router.Auth;
using static ScoreGate.ControlPlane.Settings.RouterSettingNames;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>Reads <c>oidcAuthority</c>, <c>oidcAudience</c> and <c>oidcCaBundle</c>: the provider of <c>aad_token</c> endpoints.</summary>
internal static class OidcSettingsReader
{
    /// <returns>The provider, or null when none is set or a setting is wrong (its error is in <paramref name="errors"/>).</returns>
    public static OidcSettings? Read(SettingValues reader, List<string> errors)
    {
        var authorityText = reader.Text(OidcAuthority);
        var audience = reader.Text(OidcAudience);
        var caBundle = ReadCaBundle(reader.Text(OidcCaBundle), errors);
        if (authorityText is null)
        {
            if (audience is not null || reader.Text(OidcCaBundle) is not null)
            {
                errors.Add($"{(audience is not null ? OidcAudience : OidcCaBundle)} is set but {OidcAuthority} is not. Set {OidcAuthority} to the OpenID Connect issuer URL (such as https://login.microsoftonline.com/<tenant>/v2.0), or remove it.");
            }

            return null;
        }

        var authority = ReadAuthority(authorityText, errors);
        if (audience is null)
        {
            errors.Add($"{OidcAuthority} is set but {OidcAudience} is not. Set {OidcAudience} to the audience ('aud') your provider puts in access tokens for this API, such as api://<app-id>.");
        }

        return authority is null || audience is null ? null : new OidcSettings(authority, audience, caBundle);
    }

    /// <summary>
    /// An absolute https URL without query or fragment. http only for a loopback host: tokens are
    /// checked against keys fetched from it, so a network attacker on plain HTTP could sign its own.
    /// </summary>
    private static Uri? ReadAuthority(string text, List<string> errors)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Host.Length == 0)
        {
            errors.Add($"{OidcAuthority} '{text}' is not an absolute https URL. Give the issuer URL of your OpenID Connect provider, such as https://keycloak.example.com/realms/ml.");
            return null;
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            errors.Add($"{OidcAuthority} '{text}' has a query, fragment or user name. Give the issuer URL alone, as it appears in the provider's tokens ('iss').");
            return null;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            errors.Add($"{OidcAuthority} '{text}' uses http: the signing keys would cross the network unprotected. Use https (with {OidcCaBundle} for a private CA); http is accepted only for a loopback address.");
            return null;
        }

        return url;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static string? ReadCaBundle(string? path, List<string> errors)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            errors.Add($"{OidcCaBundle} '{full}' does not exist. Give a PEM file with the CA certificate(s) your OpenID Connect provider's HTTPS chains to, or remove {OidcCaBundle} to trust the system roots.");
            return null;
        }

        try
        {
            var pem = File.ReadAllText(full);
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            if (certificates.Count == 0)
            {
                errors.Add($"{OidcCaBundle} '{full}' holds no PEM certificate. Give a PEM file with '-----BEGIN CERTIFICATE-----' blocks (convert DER with: openssl x509 -inform der -in ca.cer -out ca.pem).");
                return null;
            }

            return pem;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
        {
            errors.Add($"{OidcCaBundle} '{full}' cannot be read as PEM certificates: {error.Message}");
            return null;
        }
    }
}
