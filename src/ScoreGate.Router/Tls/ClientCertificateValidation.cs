using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Router.Tls;

/// <summary>
/// What was decided about one connection's client certificate, and who it names (for the access
/// log and, when enabled, the model's headers). Never holds a key.
/// </summary>
/// <param name="Reason">Accepted, or why not.</param>
/// <param name="Message">Says why in words a client can act on; empty when valid.</param>
/// <param name="Subject">The certificate's subject, or null without one.</param>
/// <param name="SubjectAlternativeNames">Its subject alternative names as one line ("DNS:a, IP Address:b"), or null.</param>
/// <param name="Sha256">Its SHA-256 fingerprint in hex, or null.</param>
public sealed record ClientCertificateValidation(ClientCertificateReason Reason, string Message, string? Subject, string? SubjectAlternativeNames, string? Sha256)
{
    public bool IsValid => Reason == ClientCertificateReason.Valid;

    public static ClientCertificateValidation NoCertificate { get; } =
        new(ClientCertificateReason.NoCertificate, "no client certificate was sent", null, null, null);

    /// <summary>A result for <paramref name="certificate"/> with its identity filled in.</summary>
    public static ClientCertificateValidation For(X509Certificate2 certificate, ClientCertificateReason reason, string message)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions["2.5.29.17"]?.Format(multiLine: false);
        return new(reason, message, certificate.Subject, string.IsNullOrEmpty(san) ? null : san, certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
    }
}
