using ScoreGate.Certificates.Pem;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Configuration;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Tls;

/// <summary>Turns a stored TLS binding into what the data plane loads and watches.</summary>
public static class TlsBindingSources
{
    public static TlsBindingSpec Spec(TlsBindingRecord binding, RouterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(settings);
        var owner = binding.Scope.Length == 0 ? "the router (tls enable)" : $"endpoint '{binding.Scope}'";
        CertificateSource source = binding.Kind switch
        {
            TlsSourceKind.Pem => new FileCertificateSource(
                $"{owner}, --cert/--key",
                new PemCertificateFiles(binding.CertificatePath!, binding.KeyPath!, binding.PassphrasePath)),
            TlsSourceKind.Secret => new FileCertificateSource(
                $"{owner}, --secret '{binding.SecretName}'",
                new PemCertificateFiles(
                    Path.Combine(settings.SecretsRoot, binding.SecretName!, "cert.pem"),
                    Path.Combine(settings.SecretsRoot, binding.SecretName!, "key.pem"),
                    binding.PassphrasePath)),
            TlsSourceKind.Content => new TextCertificateSource($"{owner}, PEM text", binding.CertificatePem!, binding.KeyPem!, binding.Passphrase),
            _ => throw new ArgumentException($"A {binding.Kind} binding has no certificate source.", nameof(binding)),
        };

        var cname = binding.HostName ?? (binding.Scope.Length == 0 ? settings.SslCname : null);
        return new TlsBindingSpec(binding.Scope.Length == 0 ? null : binding.HostName, source, cname, "--cname");
    }
}
