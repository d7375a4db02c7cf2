using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScoreGate.Router.Tls;

/// <summary>
/// A binding's loaded client-certificate rules: the CA bundle (the only roots client
/// certificates may chain to), the CRL if one was given, and the mode. Loaded and checked once,
/// when the binding loads, never during a handshake.
/// </summary>
public sealed class ClientCertificatePolicy
{
    private ClientCertificatePolicy(ClientCertificateFiles files, X509Certificate2Collection authorities, RevocationList? revocations, TimeProvider time)
    {
        Files = files;
        Authorities = authorities;
        Revocations = revocations;
        Time = time;
    }

    public ClientCertificateFiles Files { get; }

    public ClientCertificateMode Mode => Files.Mode;

    /// <summary>The CA bundle: trust anchors for client certificates, and the names sent in the handshake's CertificateRequest.</summary>
    public X509Certificate2Collection Authorities { get; }

    public RevocationList? Revocations { get; }

    public TimeProvider Time { get; }

    /// <summary>Reads and checks the CA bundle and the CRL.</summary>
    /// <returns>The policy, or a one-line reason naming the file, what is wrong and how to fix it.</returns>
    public static ClientCertificatePolicyLoadResult Load(ClientCertificateFiles files, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(files.CaPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return Failed($"{files.CaName} '{files.CaPath}' cannot be read: {error.Message} Give the PEM file of the CA that issues the client certificates.");
        }
        catch (CryptographicException)
        {
            return Failed($"{files.CaName} '{files.CaPath}' holds a certificate that cannot be read. Give the CA certificate(s) in PEM (-----BEGIN CERTIFICATE-----); convert DER with: openssl x509 -inform der -in ca.der -out ca.pem");
        }

        if (authorities.Count == 0)
        {
            return Failed($"{files.CaName} '{files.CaPath}' holds no PEM certificate. Give the CA certificate(s) that issue the client certificates (-----BEGIN CERTIFICATE-----); convert DER with: openssl x509 -inform der -in ca.der -out ca.pem");
        }

        foreach (var authority in authorities)
        {
            if (authority.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
            {
                return Failed($"{files.CaName} '{files.CaPath}' holds '{authority.Subject}', which is not a CA certificate (no basicConstraints CA:TRUE). Give the CA that issues the client certificates, not a client certificate.");
            }

            if (authority.NotAfter.ToUniversalTime() < now.UtcDateTime || authority.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                return Failed($"{files.CaName} '{files.CaPath}' holds '{authority.Subject}', which is valid only from {authority.NotBefore.ToUniversalTime():u} to {authority.NotAfter.ToUniversalTime():u}. Give a CA certificate that is valid now.");
            }
        }

        RevocationList? revocations = null;
        if (files.CrlPath is { } crlPath)
        {
            byte[] contents;
            try
            {
                contents = File.ReadAllBytes(crlPath);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return Failed($"{files.CrlName} '{crlPath}' cannot be read: {error.Message} Give the CRL file (PEM or DER) of the client CA.");
            }

            if (!RevocationList.TryParse(contents, out revocations))
            {
                return Failed($"{files.CrlName} '{crlPath}' is not a CRL. Give the CA's certificate revocation list in PEM (-----BEGIN X509 CRL-----) or DER, as made by: openssl ca -gencrl -out crl.pem");
            }

            if (!authorities.Any(revocations!.IsSignedBy))
            {
                return Failed($"{files.CrlName} '{crlPath}' is issued by '{revocations!.Issuer.Name}' but not signed by any CA in {files.CaName} '{files.CaPath}'. Give the CRL of a CA in the bundle (or add its CA to the bundle).");
            }
        }

        return new ClientCertificatePolicyLoadResult(new ClientCertificatePolicy(files, authorities, revocations, time), null);
    }

    private static ClientCertificatePolicyLoadResult Failed(string error) => new(null, error);
}

/// <summary>A policy, or why there is none.</summary>
public sealed record ClientCertificatePolicyLoadResult(ClientCertificatePolicy? Policy, string? Error);
