using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Certificates.Pem;

/// <summary>
/// A validated certificate ready to serve: the leaf with its private key, the intermediates
/// to send with it (leaf-first order, no root), and what a person should know about it.
/// </summary>
public sealed class CertificateBundle : IDisposable
{
    public CertificateBundle(X509Certificate2 leaf, X509Certificate2Collection intermediates, IReadOnlyList<string> warnings)
    {
        Leaf = leaf;
        Intermediates = intermediates;
        Warnings = warnings;
    }

    public X509Certificate2 Leaf { get; }

    public X509Certificate2Collection Intermediates { get; }

    /// <summary>Served anyway, but logged and shown by <c>tls show</c>.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public IReadOnlyList<string> Names => HostNameMatcher.Names(Leaf);

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Intermediates)
        {
            certificate.Dispose();
        }
    }
}
