using System.Security.Cryptography;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>
/// What the certificate files hold right now, as a hash of their contents. Contents, not
/// timestamps: mounted secrets change by swapping a <c>..data</c> symlink, which leaves the
/// paths' own timestamps alone (the same reason Kestrel's CertificatePathWatcher polls).
/// </summary>
public static class CertificateFingerprint
{
    public static string Of(PemCertificateFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { files.CertificatePath, files.KeyPath, files.PassphrasePath })
        {
            if (path is null)
            {
                continue;
            }

            try
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Missing or unreadable is a state of its own: a change to it is a change.
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"unreadable:{path}"));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
