using System.Security.Cryptography;
using System.Text;
using ScoreGate.Certificates.Pem;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Where a binding's certificate comes from (DESIGN.md §1): PEM files or a mounted secret
/// (watched), or PEM text given through the API (stored encrypted by the control plane).
/// </summary>
public abstract class CertificateSource
{
    /// <summary>Names the source in messages and <c>tls show</c>, such as "sslSecret 'contoso'".</summary>
    public abstract string Description { get; }

    public abstract CertificateLoadResult Load(TimeProvider time);

    /// <summary>Changes exactly when what <see cref="Load"/> would read changes.</summary>
    public abstract string Fingerprint();

    /// <summary>Never the key: sources end up in logs and exception messages.</summary>
    public override string ToString() => Description;
}

/// <summary>PEM files, including a mounted secret's <c>cert.pem</c>/<c>key.pem</c>.</summary>
public sealed class FileCertificateSource(string description, PemCertificateFiles files) : CertificateSource
{
    public override string Description { get; } = description;

    public PemCertificateFiles Files { get; } = files;

    public override CertificateLoadResult Load(TimeProvider time) => PemCertificateLoader.Load(Files, time);

    public override string Fingerprint() => CertificateFingerprint.Of(Files);
}

/// <summary>PEM text given through the admin API; it never changes, so it is never reloaded.</summary>
public sealed class TextCertificateSource(string description, string certificatePem, string keyPem, string? passphrase) : CertificateSource
{
    private readonly string _fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{certificatePem}\0{keyPem}\0{passphrase}")));

    public override string Description { get; } = description;

    public override CertificateLoadResult Load(TimeProvider time) => PemCertificateLoader.LoadText(certificatePem, keyPem, passphrase, time);

    public override string Fingerprint() => _fingerprint;
}
