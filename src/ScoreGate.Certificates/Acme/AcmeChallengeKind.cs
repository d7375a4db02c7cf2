using System.Diagnostics.CodeAnalysis;

namespace ScoreGate.Certificates.Acme;

/// <summary>
/// How the CA checks that we control a name (RFC 8555 8). Settings, the store, the admin API and
/// the wire spell it as RFC 8555 does (<see cref="AcmeChallengeKinds.ToRfcName"/>); inside, it is this.
/// </summary>
public enum AcmeChallengeKind
{
    /// <summary>
    /// <c>http-01</c> (RFC 8555 8.3): the CA fetches <c>http://name/.well-known/acme-challenge/token</c>,
    /// which the router answers on <c>httpPort</c>. Needs port 80 reachable from the CA.
    /// </summary>
    Http01,

    /// <summary>
    /// <c>tls-alpn-01</c> (RFC 8737): the CA connects to <c>name:443</c> offering only ALPN
    /// <c>acme-tls/1</c> and gets a challenge certificate, answered on <c>httpsPort</c>.
    /// </summary>
    TlsAlpn01,

    /// <summary>
    /// <c>dns-01</c> (RFC 8555 8.4): the CA reads the TXT record at <c>_acme-challenge.name</c>,
    /// published through <c>dnsServer</c>. The only kind that validates wildcard names.
    /// </summary>
    Dns01,
}

/// <summary>The RFC 8555 spellings of <see cref="AcmeChallengeKind"/>, both ways.</summary>
public static class AcmeChallengeKinds
{
    /// <summary>The spellings accepted, for messages that say what to use instead.</summary>
    public const string Names = "http-01, tls-alpn-01 or dns-01";

    /// <summary>As RFC 8555 and RFC 8737 spell it: <c>http-01</c>, <c>tls-alpn-01</c>, <c>dns-01</c>.</summary>
    public static string ToRfcName(this AcmeChallengeKind kind) => kind switch
    {
        AcmeChallengeKind.Http01 => "http-01",
        AcmeChallengeKind.TlsAlpn01 => "tls-alpn-01",
        AcmeChallengeKind.Dns01 => "dns-01",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a challenge kind."),
    };

    /// <returns>False for any other spelling, such as a kind a CA offers that ScoreGate cannot answer.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out AcmeChallengeKind kind)
    {
        switch (name)
        {
            case "http-01":
                kind = AcmeChallengeKind.Http01;
                return true;
            case "tls-alpn-01":
                kind = AcmeChallengeKind.TlsAlpn01;
                return true;
            case "dns-01":
                kind = AcmeChallengeKind.Dns01;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
