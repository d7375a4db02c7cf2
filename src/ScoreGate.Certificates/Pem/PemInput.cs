namespace ScoreGate.Certificates.Pem;

/// <summary>
/// The texts the loader checks, with the names its messages use for them: a quoted path for
/// files, a plain description for PEM text given through the API.
/// </summary>
/// <param name="CertificateText">PEM text holding the chain.</param>
/// <param name="CertificateName">How messages name it, such as "'/etc/tls/cert.pem'".</param>
/// <param name="KeyText">PEM text holding the key.</param>
/// <param name="KeyName">How messages name it.</param>
/// <param name="ReadPassphrase">Reads the passphrase (may refuse with a message); null when none was given.</param>
/// <param name="PassphraseName">How messages name where the passphrase came from.</param>
/// <param name="PassphraseHint">How to give a passphrase, for the message when one is missing.</param>
internal sealed record PemInput(
    string CertificateText,
    string CertificateName,
    string KeyText,
    string KeyName,
    Func<string>? ReadPassphrase,
    string PassphraseName,
    string PassphraseHint);
