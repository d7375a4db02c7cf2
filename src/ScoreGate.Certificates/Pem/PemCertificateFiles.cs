namespace ScoreGate.Certificates.Pem;

/// <summary>
/// Where a certificate comes from on disk. <paramref name="KeyPath"/> may equal
/// <paramref name="CertificatePath"/> when one file holds both.
/// </summary>
/// <param name="CertificatePath">PEM certificate chain, leaf first.</param>
/// <param name="KeyPath">PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, optionally encrypted PKCS#8).</param>
/// <param name="PassphrasePath">File holding the passphrase of an encrypted key; never the passphrase itself.</param>
public sealed record PemCertificateFiles(string CertificatePath, string KeyPath, string? PassphrasePath = null);
