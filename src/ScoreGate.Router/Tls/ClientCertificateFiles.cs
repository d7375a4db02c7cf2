using System.Security.Cryptography;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Where a binding's client-certificate rules come from: a CA bundle and an optional CRL, both
/// files on the router's machine (watched like certificate files), and the mode.
/// </summary>
/// <param name="CaPath">PEM file with the CA certificate(s) that issue client certificates.</param>
/// <param name="CrlPath">PEM or DER CRL of one of those CAs, or null.</param>
/// <param name="Mode">What a missing or bad certificate does.</param>
/// <param name="CaName">How messages name where the CA bundle was set ("--client-ca", "sslClientCaPemFile").</param>
/// <param name="CrlName">How messages name where the CRL was set.</param>
public sealed record ClientCertificateFiles(string CaPath, string? CrlPath, ClientCertificateMode Mode, string CaName, string CrlName)
{
    /// <summary>Changes exactly when the files' contents change, so a new CA or CRL reloads the binding.</summary>
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { CaPath, CrlPath })
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
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"unreadable:{path}"));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
