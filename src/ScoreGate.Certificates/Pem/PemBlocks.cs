using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Certificates.Pem;

/// <summary>
/// Finds the PEM blocks in a text (RFC 7468): any line endings, text or comments around blocks.
/// </summary>
internal static class PemBlocks
{
    internal const string CertificateLabel = "CERTIFICATE";

    private static readonly string[] PrivateKeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

    public static IEnumerable<(string Label, string Block)> Enumerate(string text)
    {
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var block = rest[fields.Location];
            var label = rest[fields.Label].ToString();
            yield return (label, block.ToString());
            rest = rest[fields.Location.End..];
        }
    }

    public static List<X509Certificate2> Certificates(string text, string path)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var (label, block) in Enumerate(text))
        {
            if (label != CertificateLabel)
            {
                continue;
            }

            try
            {
                certificates.Add(X509Certificate2.CreateFromPem(block));
            }
            catch (CryptographicException error)
            {
                throw new PemFileException($"Certificate block {certificates.Count + 1} in {path} is damaged ({error.Message}). Download the certificate again from your CA.");
            }
        }

        return certificates;
    }

    public static bool HasPrivateKey(string text) =>
        Enumerate(text).Any(b => PrivateKeyLabels.Contains(b.Label)) || IsLegacyEncryptedKey(text);

    public static bool HasCertificate(string text) => Enumerate(text).Any(b => b.Label == CertificateLabel);

    /// <summary>
    /// OpenSSL's pre-PKCS#8 encryption ("Proc-Type: 4,ENCRYPTED" headers inside the block),
    /// which RFC 7468 parsers do not read.
    /// </summary>
    public static bool IsLegacyEncryptedKey(string text) =>
        text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.OrdinalIgnoreCase);
}
