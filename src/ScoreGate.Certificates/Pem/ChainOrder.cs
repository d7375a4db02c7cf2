using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Certificates.Pem;

/// <summary>
/// Puts a chain in the order TLS sends it (leaf, then each issuer) and says what is odd about it.
/// </summary>
internal static class ChainOrder
{
    public static List<X509Certificate2> Arrange(List<X509Certificate2> certificates, int leafIndex, string path, List<string> warnings)
    {
        var chain = new List<X509Certificate2> { certificates[leafIndex] };
        var remaining = certificates.Where((_, i) => i != leafIndex).ToList();
        while (!IsSelfIssued(chain[^1]))
        {
            var issuer = remaining.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(chain[^1].IssuerName.RawData));
            if (issuer is null)
            {
                break;
            }

            chain.Add(issuer);
            remaining.Remove(issuer);
        }

        var inFileOrder = certificates.Where(chain.Contains).ToList();
        if (!inFileOrder.SequenceEqual(chain))
        {
            warnings.Add($"The certificates in {path} are out of order; they are served leaf first. Put the leaf first, then each issuer, to silence this.");
        }

        foreach (var stray in remaining)
        {
            warnings.Add(Sentence($"{path} holds the certificate '{stray.Subject}', which is not part of the leaf's chain; it is not served."));
        }

        return chain;
    }

    public static void WarnAboutRootsAndGaps(List<X509Certificate2> chain, string path, List<string> warnings)
    {
        var top = chain[^1];
        if (chain.Count == 1 && IsSelfIssued(top))
        {
            warnings.Add($"The certificate '{top.Subject}' in {path} is self-signed: clients trust it only if given it explicitly. Use it for development only.");
            return;
        }

        if (IsSelfIssued(top))
        {
            warnings.Add(Sentence($"{path} includes the root certificate '{top.Subject}'. Clients already hold their roots; it is not sent, and you may drop it from the file."));
            return;
        }

        if (!IsTrustedBySystem(chain))
        {
            warnings.Add(Sentence($"{path} does not reach a trusted root: the issuer '{top.Issuer}' of '{top.Subject}' is neither in the file nor trusted by this machine. If clients fail to verify, append the missing intermediate certificate to the file."));
        }
    }

    /// <summary>Raises the first letter: a message may start with a source name such as "the certificate text".</summary>
    public static string Sentence(string text) => string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    public static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static bool IsTrustedBySystem(List<X509Certificate2> chain)
    {
        using var builder = new X509Chain();
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        builder.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).ToArray());
        builder.ChainPolicy.DisableCertificateDownloads = true;
        return builder.Build(chain[0]);
    }
}
