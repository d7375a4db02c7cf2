namespace ScoreGate.Certificates.Pem;

/// <summary>A refusal inside the loader; never escapes it (it becomes a <see cref="CertificateLoadResult"/>).</summary>
/// <remarks>Messages may start with a source name such as "the certificate text"; the first letter is raised.</remarks>
internal sealed class PemFileException(string message) : Exception(ChainOrder.Sentence(message));
