using System.Diagnostics.CodeAnalysis;

namespace ScoreGate.Certificates.Pem;

/// <summary>Either a bundle to serve or the one-line reason it was refused.</summary>
public sealed class CertificateLoadResult
{
    private CertificateLoadResult(CertificateBundle? bundle, string? error)
    {
        Bundle = bundle;
        Error = error;
    }

    public CertificateBundle? Bundle { get; }

    /// <summary>Names the file, what is wrong with it and how to fix it.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Bundle))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Bundle is not null;

    public static CertificateLoadResult Success(CertificateBundle bundle) => new(bundle, null);

    public static CertificateLoadResult Failure(string error) => new(null, error);
}
