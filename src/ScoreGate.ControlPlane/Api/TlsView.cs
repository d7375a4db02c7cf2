using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Api;

/// <summary>What <c>tls show</c> prints about a binding: enough to answer "what is served, until when, and is anything wrong".</summary>
public sealed record TlsView(
    bool Enabled,
    string? HostName,
    string? Source,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Chain,
    string? Key,
    string? SerialNumber,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter,
    IReadOnlyList<string> Warnings)
{
    public static TlsView Disabled { get; } = new(false, null, null, [], [], null, null, null, null, []);

    /// <summary>Why the source's last load failed (the certificate shown, if any, is the last good one).</summary>
    public string? Problem { get; init; }

    /// <summary>For a managed certificate: its generated name and renewal state.</summary>
    public ManagedView? Managed { get; init; }

    /// <summary>True for an endpoint without a certificate of its own: the router's serves it.</summary>
    public bool UsesRouterCertificate { get; init; }

    /// <summary>"required" or "optional" when the binding asks for client certificates (mTLS); null when it does not.</summary>
    public string? ClientCertificateMode { get; init; }

    /// <summary>The CA bundle's file and subjects, when the binding asks for client certificates.</summary>
    public string? ClientCa { get; init; }

    public IReadOnlyList<string>? ClientCaSubjects { get; init; }

    /// <summary>The CRL's file, issuer, entries and dates, when one was given.</summary>
    public string? ClientCrl { get; init; }

    /// <summary>A host whose source never loaded: its handshakes are refused.</summary>
    public static TlsView Broken(string hostName, string? problem) => Disabled with { HostName = hostName, Problem = problem };

    public static TlsView Of(TlsBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var certificate = binding.Certificate;
        var leaf = certificate.Leaf;
        var client = binding.ClientCertificates;
        return new TlsView(
            true,
            binding.HostName,
            binding.Source,
            certificate.Names,
            [leaf.Subject, .. certificate.Intermediates.Select(c => c.Subject)],
            DescribeKey(leaf),
            leaf.SerialNumber,
            leaf.NotBefore.ToUniversalTime(),
            leaf.NotAfter.ToUniversalTime(),
            certificate.Warnings)
        {
            ClientCertificateMode = client is null ? null : ClientCertificateModes.Name(client.Mode),
            ClientCa = client?.Files.CaPath,
            ClientCaSubjects = client is null ? null : [.. client.Authorities.Select(a => a.Subject)],
            ClientCrl = client?.Revocations is { } crl
                ? $"{client.Files.CrlPath} (issuer {crl.Issuer.Name}, {crl.Count} revoked, updated {crl.ThisUpdate:u}{(crl.NextUpdate is { } next ? $", next update {next:u}" : string.Empty)})"
                : null,
        };
    }

    private static string DescribeKey(X509Certificate2 leaf)
    {
        using var ecdsa = leaf.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            var curve = ecdsa.ExportParameters(false).Curve.Oid.FriendlyName switch
            {
                "nistP256" or "ECDSA_P256" => "P-256",
                "nistP384" or "ECDSA_P384" => "P-384",
                var other => other ?? "unknown curve",
            };
            return $"ECDSA {curve} ({ecdsa.KeySize} bits)";
        }

        using RSA? rsa = leaf.GetRSAPublicKey();
        return rsa is null ? leaf.PublicKey.Oid.FriendlyName ?? "unknown" : $"RSA {rsa.KeySize} bits";
    }
}
