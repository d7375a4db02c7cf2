using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Certificates.Pem;

/// <summary>
/// Decides whether a certificate covers a host name, the way TLS clients do (RFC 6125 §6.4):
/// only subject alternative names count (the subject CN is ignored, as browsers and curl do),
/// and a wildcard is allowed only as the whole left-most label, matching exactly one label.
/// </summary>
public static class HostNameMatcher
{
    public static bool Covers(X509Certificate2 certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = SubjectAlternativeNames(certificate);
        if (san is null)
        {
            return false;
        }

        if (IPAddress.TryParse(hostName.Trim('[', ']'), out var address))
        {
            return san.EnumerateIPAddresses().Any(address.Equals);
        }

        var host = hostName.TrimEnd('.');
        return san.EnumerateDnsNames().Any(pattern => Matches(pattern, host));
    }

    /// <summary>The DNS names and IP addresses the certificate is valid for, for messages and <c>tls show</c>.</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = SubjectAlternativeNames(certificate);
        return san is null
            ? []
            : [.. san.EnumerateDnsNames(), .. san.EnumerateIPAddresses().Select(ip => ip.ToString())];
    }

    internal static bool Matches(string pattern, string host)
    {
        pattern = pattern.TrimEnd('.');
        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        // "*.example.org" covers "a.example.org" but neither "example.org" nor "a.b.example.org".
        var suffix = pattern[1..];
        var firstDot = host.IndexOf('.', StringComparison.Ordinal);
        return firstDot > 0 && string.Equals(host[firstDot..], suffix, StringComparison.OrdinalIgnoreCase);
    }

    private const string SubjectAlternativeNameOid = "2.5.29.17";

    private static X509SubjectAlternativeNameExtension? SubjectAlternativeNames(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[SubjectAlternativeNameOid];
        return extension switch
        {
            null => null,
            X509SubjectAlternativeNameExtension typed => typed,
            _ => new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical),
        };
    }
}
