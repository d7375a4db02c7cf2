using System.Security.Cryptography;

namespace ScoreGate.Certificates.Pem;

/// <summary>
/// Reads the private key block of a PEM text: PKCS#8, PKCS#1 (RSA), SEC1 (EC), and
/// encrypted PKCS#8 when a passphrase file is given.
/// </summary>
internal static class PrivateKeyReader
{
    public static AsymmetricAlgorithm Read(PemInput input)
    {
        var path = input.KeyName;
        var keyText = input.KeyText;
        if (PemBlocks.IsLegacyEncryptedKey(keyText))
        {
            throw new PemFileException(
                $"{path} is encrypted with OpenSSL's legacy format (Proc-Type: 4,ENCRYPTED). Convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -v2 aes-256-cbc -in {path} -out key.pem, and give its passphrase with sslKeyPassphraseFile.");
        }

        foreach (var (label, block) in PemBlocks.Enumerate(keyText))
        {
            switch (label)
            {
                case "ENCRYPTED PRIVATE KEY":
                    return ReadEncrypted(block, input);
                case "RSA PRIVATE KEY":
                    return Import(RSA.Create(), block, path);
                case "EC PRIVATE KEY":
                    return Import(ECDsa.Create(), block, path);
                case "PRIVATE KEY":
                    return ImportPkcs8(block, path);
            }
        }

        throw new PemFileException(PemBlocks.HasCertificate(keyText) && !ReferenceEquals(keyText, input.CertificateText)
            ? $"{path} holds a certificate but no private key. Give the private key file (-----BEGIN PRIVATE KEY-----) as the key."
            : $"{path} holds no PEM private key (no '-----BEGIN PRIVATE KEY-----' block). Give the key that was generated with the certificate's signing request.");
    }

    private static AsymmetricAlgorithm ImportPkcs8(string block, string path)
    {
        var der = Convert.FromBase64String(Base64Body(block));
        try
        {
            var rsa = RSA.Create();
            try
            {
                rsa.ImportPkcs8PrivateKey(der, out _);
                return rsa;
            }
            catch (CryptographicException)
            {
                rsa.Dispose();
            }

            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportPkcs8PrivateKey(der, out _);
                return ecdsa;
            }
            catch (CryptographicException error)
            {
                ecdsa.Dispose();
                throw new PemFileException($"The private key in {path} is neither RSA nor ECDSA, or is damaged ({error.Message}). Give an RSA or ECDSA P-256/P-384 key.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static AsymmetricAlgorithm ReadEncrypted(string block, PemInput input)
    {
        if (input.ReadPassphrase is null)
        {
            throw new PemFileException($"{input.KeyName} is an encrypted private key and no passphrase was given. {input.PassphraseHint}");
        }

        var passphrase = input.ReadPassphrase();
        foreach (var key in new AsymmetricAlgorithm[] { RSA.Create(), ECDsa.Create() })
        {
            try
            {
                key.ImportFromEncryptedPem(block, passphrase);
                return key;
            }
            catch (CryptographicException)
            {
                key.Dispose();
            }
        }

        throw new PemFileException(
            $"The passphrase in {input.PassphraseName} does not decrypt {input.KeyName}. Check that it is the passphrase of this key (one line).");
    }

    private static AsymmetricAlgorithm Import(AsymmetricAlgorithm key, string block, string path)
    {
        try
        {
            key.ImportFromPem(block);
            return key;
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new PemFileException($"The private key in {path} is damaged ({error.Message}). Give the key file again.");
        }
    }

    private static string Base64Body(string block)
    {
        var fields = PemEncoding.Find(block);
        return block[fields.Base64Data];
    }
}
