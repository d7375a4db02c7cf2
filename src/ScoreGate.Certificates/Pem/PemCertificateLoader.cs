using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ScoreGate.Certificates.Pem;

/// <summary>
/// Reads a PEM certificate chain and private key and decides whether they can be served
/// (DESIGN.md §3). A refusal is one line that names the file, what is wrong and how to fix it;
/// anything servable but questionable becomes a warning on the bundle.
/// </summary>
public static class PemCertificateLoader
{
    private static readonly TimeSpan ExpiryWarningWindow = TimeSpan.FromDays(30);

    public static CertificateLoadResult Load(PemCertificateFiles files, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Load(() =>
        {
            var certificateText = ReadPemText(files.CertificatePath);
            var keyText = SamePath(files.CertificatePath, files.KeyPath) ? certificateText : ReadPemText(files.KeyPath);
            return new PemInput(
                certificateText, $"'{files.CertificatePath}'", keyText, $"'{files.KeyPath}'",
                files.PassphrasePath is { } path ? () => ReadPassphraseFile(path) : null,
                $"'{files.PassphrasePath}'",
                "Put the passphrase in a file (mode 0600) and name it with sslKeyPassphraseFile.");
        }, time);
    }

    /// <summary>Checks PEM text given through the API the same way as files.</summary>
    public static CertificateLoadResult LoadText(string certificatePem, string keyPem, string? passphrase, TimeProvider time) =>
        Load(() => new PemInput(
            certificatePem ?? string.Empty, "the certificate text", keyPem ?? string.Empty, "the key text",
            passphrase is null ? null : () => passphrase,
            "the passphrase given",
            "Give the key's passphrase with it."), time);

    private static CertificateLoadResult Load(Func<PemInput> read, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            return CertificateLoadResult.Success(LoadOrThrow(read(), time.GetUtcNow()));
        }
        catch (PemFileException refused)
        {
            return CertificateLoadResult.Failure(refused.Message);
        }
    }

    private static CertificateBundle LoadOrThrow(PemInput input, DateTimeOffset now)
    {
        var warnings = new List<string>();
        var certificateName = input.CertificateName;
        RequirePem(input.CertificateText, certificateName);
        RequirePem(input.KeyText, input.KeyName);

        var certificates = PemBlocks.Certificates(input.CertificateText, certificateName);
        if (certificates.Count == 0)
        {
            throw new PemFileException(PemBlocks.HasPrivateKey(input.CertificateText)
                ? $"{certificateName} holds a private key but no certificate. Give the certificate chain file as the certificate and this file as the key."
                : $"{certificateName} holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' block). Give the full-chain PEM file your CA issued.");
        }

        using var key = PrivateKeyReader.Read(input);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        var leafIndex = certificates.FindIndex(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey));
        if (leafIndex < 0)
        {
            throw new PemFileException(
                $"The private key in {input.KeyName} does not match the certificate '{certificates[0].Subject}' in {certificateName}. " +
                "Give the key that was generated together with this certificate's signing request.");
        }

        var chain = ChainOrder.Arrange(certificates, leafIndex, certificateName, warnings);
        var leaf = chain[0];
        CheckValidity(leaf, certificateName, now, warnings);
        CheckKeyStrength(key, input.KeyName);
        ChainOrder.WarnAboutRootsAndGaps(chain, certificateName, warnings);

        var servable = key switch
        {
            RSA rsa => leaf.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => leaf.CopyWithPrivateKey(ecdsa),
            _ => throw new PemFileException($"{input.KeyName} holds a {key.GetType().Name} key; only RSA and ECDSA keys are supported."),
        };
        var intermediates = new X509Certificate2Collection();
        intermediates.AddRange(chain.Skip(1).Where(c => !ChainOrder.IsSelfIssued(c)).ToArray());
        foreach (var unused in certificates.Where(c => !intermediates.Contains(c)))
        {
            unused.Dispose();
        }

        return new CertificateBundle(servable, intermediates, warnings);
    }

    private static void CheckValidity(X509Certificate2 leaf, string path, DateTimeOffset now, List<string> warnings)
    {
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        if (now < notBefore)
        {
            throw new PemFileException(
                $"The certificate '{leaf.Subject}' in {path} is not valid yet: it starts on {notBefore:u}. Check this machine's clock, or use a certificate that is valid now.");
        }

        if (now > notAfter)
        {
            throw new PemFileException(
                $"The certificate '{leaf.Subject}' in {path} expired on {notAfter:u}. Renew it with your CA and give the new files.");
        }

        if (notAfter - now < ExpiryWarningWindow)
        {
            warnings.Add($"The certificate '{leaf.Subject}' in {path} expires on {notAfter:u}, in less than {ExpiryWarningWindow.Days} days. Renew it soon.");
        }
    }

    private static void CheckKeyStrength(AsymmetricAlgorithm key, string path)
    {
        switch (key)
        {
            case RSA rsa when rsa.KeySize < 2048:
                throw new PemFileException(
                    $"The RSA key in {path} has {rsa.KeySize} bits; at least 2048 are needed. Issue a new certificate with an RSA 2048+ or ECDSA P-256 key.");
            case ECDsa ecdsa:
                var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve.Oid;
                if (curve.Value is not ("1.2.840.10045.3.1.7" or "1.3.132.0.34"))
                {
                    throw new PemFileException(
                        $"The EC key in {path} uses curve '{curve.FriendlyName ?? curve.Value}'; only P-256 and P-384 are supported. Issue a new certificate with one of those.");
                }

                break;
        }
    }

    private static string ReadPemText(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new PemFileException($"'{path}' does not exist. Check the path, and that the router can see the file.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new PemFileException($"'{path}' does not exist (its directory is missing). Check the path.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new PemFileException($"'{path}' cannot be read by this user. Let the router's user read it (for example chmod 0640 with the router's group).");
        }
        catch (IOException error)
        {
            throw new PemFileException($"'{path}' cannot be read: {error.Message}");
        }

        if (bytes.Length == 0)
        {
            throw new PemFileException($"'{path}' is empty. Give a PEM file with the certificate chain or the private key.");
        }

        if (bytes[0] == 0x30)
        {
            throw new PemFileException(BinaryInputAdvice(path, bytes));
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(bytes).TrimStart('\uFEFF');
    }

    private static string BinaryInputAdvice(string path, byte[] bytes)
    {
        // A DER SEQUENCE: tell a PFX from a DER certificate so the advice is the right openssl command.
        var contentType = X509ContentType.Unknown;
        try
        {
            contentType = X509Certificate2.GetCertContentType(bytes);
        }
        catch (CryptographicException)
        {
        }

        return contentType switch
        {
            X509ContentType.Pkcs12 =>
                $"'{path}' is a PFX/PKCS#12 file, not PEM. Convert it: openssl pkcs12 -in '{path}' -nokeys -out cert.pem && openssl pkcs12 -in '{path}' -nocerts -nodes -out key.pem",
            X509ContentType.Cert =>
                $"'{path}' is a DER certificate, not PEM. Convert it: openssl x509 -inform DER -in '{path}' -out cert.pem",
            _ =>
                $"'{path}' is binary (DER), not PEM. Convert it: openssl pkey -inform DER -in '{path}' -out key.pem (for a key) or openssl x509 -inform DER -in '{path}' -out cert.pem (for a certificate)",
        };
    }

    private static void RequirePem(string text, string name)
    {
        if (!text.Contains("-----BEGIN ", StringComparison.Ordinal))
        {
            throw new PemFileException($"{name} is not PEM: it has no '-----BEGIN ...-----' block. Give PEM text (the files that start with -----BEGIN CERTIFICATE----- or -----BEGIN PRIVATE KEY-----).");
        }
    }

    private static string ReadPassphraseFile(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new PemFileException($"The passphrase file '{path}' cannot be read ({error.Message}). Check sslKeyPassphraseFile.");
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
