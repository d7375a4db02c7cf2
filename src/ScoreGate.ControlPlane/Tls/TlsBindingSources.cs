using ScoreGate.Certificates.Pem;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Tls;

/// <summary>Turns a stored TLS binding into what the data plane loads and watches.</summary>
public static class TlsBindingSources
{
    /// <returns>Null for a managed binding whose certificate is not issued yet.</returns>
    public static TlsBindingSpec? Spec(TlsBindingRecord binding, RouterSettings settings, ManagedCertificateRecord? managed)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(settings);
        if (binding.Kind == TlsSourceKind.Managed)
        {
            return ManagedSpec(binding.Scope.Length == 0 ? null : binding.HostName, managed) is { } managedSpec
                ? managedSpec with { ClientCertificates = ClientCertificates(binding) }
                : null;
        }

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
        return new TlsBindingSpec(binding.Scope.Length == 0 ? null : binding.HostName, source, cname, "--cname", ClientCertificates(binding));
    }

    /// <summary>The binding's client CA, CRL and mode, or null when it asks for no client certificate.</summary>
    public static ClientCertificateFiles? ClientCertificates(TlsBindingRecord binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.ClientCaPath is not { } ca)
        {
            return null;
        }

        // Stored only after TlsRequests checked it; anything else would be a hand-edited row, read as the stricter mode.
        var mode = ClientCertificateModes.TryParse(binding.ClientCertificateMode, out var parsed) ? parsed : ClientCertificateMode.Required;
        return new ClientCertificateFiles(ca, binding.ClientCrlPath, mode, "--client-ca", "--client-crl");
    }

    /// <summary>The issued certificate of a managed record, checked against its generated name; null until issued.</summary>
    /// <param name="hostName">The host the binding serves, or null for the router's default.</param>
    /// <param name="managed">The managed record.</param>
    public static TlsBindingSpec? ManagedSpec(string? hostName, ManagedCertificateRecord? managed)
    {
        if (managed is not { HasCertificate: true })
        {
            return null;
        }

        var owner = managed.Scope.Length == 0 ? "the router" : $"endpoint '{managed.Scope}'";
        var source = new TextCertificateSource($"{owner}, managed certificate for {managed.HostName}", managed.CertificatePem!, managed.KeyPem!, null);
        return new TlsBindingSpec(hostName, source, managed.HostName, "the generated name");
    }
}
