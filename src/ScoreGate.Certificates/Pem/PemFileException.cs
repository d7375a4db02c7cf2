namespace ScoreGate.Certificates.Pem;

/// <summary>A refusal inside the loader; never escapes it (it becomes a <see cref="CertificateLoadResult"/>).</summary>
internal sealed class PemFileException(string message) : Exception(message);
