using System.Net;
using ScoreGate.Certificates.Acme;
using ScoreGate.Dns.Tsig;

namespace ScoreGate.ControlPlane.Settings;

/// <summary>
/// Everything managed certificates and generated names need (DESIGN.md §2, §6): the ACME CA,
/// the DNS server that takes updates, and the parts of generated names. Shared by the router's
/// own managed certificate (<c>sslLeafDomainLabel</c>) and by endpoints' (<c>tls enable --leaf-domain-label</c>).
/// </summary>
public sealed record ManagedSettings
{
    /// <summary>The router's own label, or null when its certificate is not managed.</summary>
    public string? LeafDomainLabel { get; init; }

    public bool OverwriteExistingDomain { get; init; }

    public bool Renew { get; init; }

    public string Region { get; init; } = "local";

    public string? DnsZone { get; init; }

    public IReadOnlyList<IPAddress> PublicIps { get; init; } = [];

    public Uri AcmeDirectory { get; init; } = new("https://acme-v02.api.letsencrypt.org/directory");

    public Uri? AcmeFallbackDirectory { get; init; }

    public string? AcmeEmail { get; init; }

    /// <summary>PEM text of the CAs trusted for the ACME server's HTTPS, or null for the system roots.</summary>
    public string? AcmeCaBundlePem { get; init; }

    public AcmeExternalAccount? AcmeExternalAccount { get; init; }

    public string AcmeChallenge { get; init; } = "http-01";

    public CertificateKeyType AcmeKeyType { get; init; } = CertificateKeyType.EcdsaP256;

    /// <summary>Where RFC 2136 updates go, or null when someone else publishes the names.</summary>
    public IPEndPoint? DnsServer { get; init; }

    public TsigKey? DnsTsigKey { get; init; }
}
