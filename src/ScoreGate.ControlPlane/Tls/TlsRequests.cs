using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Tls;

/// <summary>Checks the shape of a <see cref="TlsRequest"/> and turns it into a stored binding.</summary>
public static class TlsRequests
{
    public static OperationResult<TlsBindingRecord> ToRecord(string scope, string? hostName, TlsRequest request, DateTimeOffset createdAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = SourceRecord(scope, hostName, request, createdAt, now);
        if (record.Error is not null)
        {
            return record;
        }

        if (request.ClientCaFile is null)
        {
            if (request.ClientCrlFile is not null)
            {
                return Invalid("--client-crl needs --client-ca: a CRL revokes certificates of a client CA. Give --client-ca with the PEM file of that CA, or remove --client-crl.");
            }

            if (request.ClientCertificateMode is not null)
            {
                return Invalid($"--client-certificate {request.ClientCertificateMode} needs --client-ca: client certificates are checked against a CA. Give --client-ca with the PEM file of the CA that issues them, or remove --client-certificate.");
            }

            return record;
        }

        if (!ClientCertificateModes.TryParse(request.ClientCertificateMode, out var mode))
        {
            return Invalid($"--client-certificate '{request.ClientCertificateMode}' is not a mode. Use required (a missing or bad client certificate fails the handshake; the default) or optional (such requests get 403 saying why).");
        }

        foreach (var path in new[] { request.ClientCaFile, request.ClientCrlFile }.OfType<string>())
        {
            if (!Path.IsPathFullyQualified(path))
            {
                return Invalid($"'{path}' is not an absolute path. The router reads the file itself, so give the full path.");
            }
        }

        return record.Value! with { ClientCaPath = request.ClientCaFile, ClientCrlPath = request.ClientCrlFile, ClientCertificateMode = ClientCertificateModes.Name(mode) };
    }

    private static OperationResult<TlsBindingRecord> SourceRecord(string scope, string? hostName, TlsRequest request, DateTimeOffset createdAt, DateTimeOffset now)
    {
        var files = request.CertificateFile is not null || request.KeyFile is not null;
        var secret = request.Secret is not null;
        var text = request.CertificatePem is not null || request.KeyPem is not null;
        var managed = request.LeafDomainLabel is not null;
        if ((files ? 1 : 0) + (secret ? 1 : 0) + (text ? 1 : 0) + (managed ? 1 : 0) != 1)
        {
            return Invalid("Give one certificate source: --cert and --key (PEM files), or --secret (a directory under secretsRoot), or --cert and --key with --upload (PEM text stored encrypted), or --leaf-domain-label (a managed certificate for a generated name).");
        }

        if (!managed && request.OverwriteExistingDomain)
        {
            return Invalid("--overwrite-existing-domain applies only with --leaf-domain-label.");
        }

        if (managed)
        {
            if (request.Cname is not null)
            {
                return Invalid("--cname cannot be combined with --leaf-domain-label: the managed certificate's name is generated.");
            }

            return new TlsBindingRecord(scope, hostName, TlsSourceKind.Managed, null, null, null, null, null, null, null, createdAt, now);
        }

        if (files)
        {
            if (request.CertificateFile is null || request.KeyFile is null)
            {
                return Invalid("Give both --cert and --key: the certificate chain and its private key.");
            }

            foreach (var path in new[] { request.CertificateFile, request.KeyFile, request.KeyPassphraseFile }.OfType<string>())
            {
                if (!Path.IsPathFullyQualified(path))
                {
                    return Invalid($"'{path}' is not an absolute path. The router reads the file itself, so give the full path.");
                }
            }

            return new TlsBindingRecord(scope, hostName, TlsSourceKind.Pem, request.CertificateFile, request.KeyFile, request.KeyPassphraseFile, null, null, null, null, createdAt, now);
        }

        if (secret)
        {
            if (request.Secret!.Length == 0 || request.Secret.Contains('/', StringComparison.Ordinal) || request.Secret is "." or "..")
            {
                return Invalid($"--secret '{request.Secret}' is not a secret name: give the name of a directory directly under secretsRoot, not a path.");
            }

            return new TlsBindingRecord(scope, hostName, TlsSourceKind.Secret, null, null, request.KeyPassphraseFile, request.Secret, null, null, null, createdAt, now);
        }

        if (request.CertificatePem is null || request.KeyPem is null)
        {
            return Invalid("Give both the certificate PEM text and the key PEM text.");
        }

        return new TlsBindingRecord(scope, hostName, TlsSourceKind.Content, null, null, null, null, request.CertificatePem, request.KeyPem, request.KeyPassphrase, createdAt, now);
    }

    private static OperationError Invalid(string message) => new(OperationErrorKind.Invalid, message);
}
