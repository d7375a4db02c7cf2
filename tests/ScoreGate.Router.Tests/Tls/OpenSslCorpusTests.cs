using System.Security.Authentication;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

/// <summary>
/// Every input DESIGN.md §3 accepts or refuses, made by openssl, with the exact outcome a user
/// sees. "{dir}" stands for the corpus directory in paths and messages.
/// </summary>
public sealed class OpenSslCorpusTests(OpenSslCorpus corpus) : IClassFixture<OpenSslCorpus>
{
    private const string MakeValid = "Give the full-chain PEM file your CA issued.";

    public static TheoryData<string, string, string?, string?, string> Cases => new()
    {
        // certificate file, key file, passphrase file, cname, expected: "accepted" (+ "; warns: <text>") or the refusal.
        { "www.pem", "ec-encrypted.key", null, "www.contoso.test",
            "corpus: '{dir}/ec-encrypted.key' is an encrypted private key and no passphrase was given. Put the passphrase in a file (mode 0600) and name it with sslKeyPassphraseFile." },
        { "www.pem", "legacy-encrypted.key", null, null,
            "corpus: '{dir}/legacy-encrypted.key' is encrypted with OpenSSL's legacy format (Proc-Type: 4,ENCRYPTED). Convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -v2 aes-256-cbc -in '{dir}/legacy-encrypted.key' -out key.pem, and give its passphrase with sslKeyPassphraseFile." },
        { "www.pem", "ec-encrypted.key", "wrong-passphrase.txt", null,
            "corpus: The passphrase in '{dir}/wrong-passphrase.txt' does not decrypt '{dir}/ec-encrypted.key'. Check that it is the passphrase of this key (one line)." },
        { "www.pem", "ec-encrypted.key", "passphrase.txt", "www.contoso.test", "accepted" },
        { "www.der", "ec.key", null, null,
            "corpus: '{dir}/www.der' is a DER certificate, not PEM. Convert it: openssl x509 -inform DER -in '{dir}/www.der' -out cert.pem" },
        { "www.pfx", "ec.key", null, null,
            "corpus: '{dir}/www.pfx' is a PFX/PKCS#12 file, not PEM. Convert it: openssl pkcs12 -in '{dir}/www.pfx' -nokeys -out cert.pem && openssl pkcs12 -in '{dir}/www.pfx' -nocerts -nodes -out key.pem" },
        { "www.pem", "other.key", null, null,
            "corpus: The private key in '{dir}/other.key' does not match the certificate 'CN=www.contoso.test' in '{dir}/www.pem'. Give the key that was generated together with this certificate's signing request." },
        { "old.pem", "ec.key", null, null,
            "corpus: The certificate 'CN=old.contoso.test' in '{dir}/old.pem' expired on 2020-02-01 00:00:00Z. Renew it with your CA and give the new files." },
        { "future.pem", "ec.key", null, null,
            "corpus: The certificate 'CN=future.contoso.test' in '{dir}/future.pem' is not valid yet: it starts on 2099-01-01 00:00:00Z. Check this machine's clock, or use a certificate that is valid now." },
        { "www.pem", "ec.key", null, "api.contoso.test",
            "sslCname 'api.contoso.test' is not covered by the certificate in '{dir}/www.pem', which is valid for: www.contoso.test. Use a certificate that names api.contoso.test, or set sslCname to one of the certificate's names." },
        { "wild.pem", "ec.key", null, "a.b.contoso.test",
            "sslCname 'a.b.contoso.test' is not covered by the certificate in '{dir}/wild.pem', which is valid for: *.contoso.test. Use a certificate that names a.b.contoso.test, or set sslCname to one of the certificate's names." },
        { "wild.pem", "ec.key", null, "api.contoso.test", "accepted" },
        { "www-reversed.pem", "ec.key", null, "www.contoso.test",
            "accepted; warns: The certificates in '{dir}/www-reversed.pem' are out of order; they are served leaf first. Put the leaf first, then each issuer, to silence this." },
        { "weak.pem", "rsa1024.key", null, null,
            "corpus: The RSA key in '{dir}/rsa1024.key' has 1024 bits; at least 2048 are needed. Issue a new certificate with an RSA 2048+ or ECDSA P-256 key." },
        { "empty.pem", "ec.key", null, null,
            "corpus: '{dir}/empty.pem' is empty. Give a PEM file with the certificate chain or the private key." },
        { "ec.key", "ec.key", null, null,
            "corpus: '{dir}/ec.key' holds a private key but no certificate. Give the certificate chain file as the certificate and this file as the key." },
        { "www.pem", "www.leaf", null, null,
            "corpus: '{dir}/www.leaf' holds a certificate but no private key. Give the private key file (-----BEGIN PRIVATE KEY-----) as the key." },
        { "garbage.pem", "ec.key", null, null,
            "corpus: '{dir}/garbage.pem' is not PEM: it has no '-----BEGIN ...-----' block. Give PEM text (the files that start with -----BEGIN CERTIFICATE----- or -----BEGIN PRIVATE KEY-----)." },
        { "missing.pem", "ec.key", null, null,
            "corpus: '{dir}/missing.pem' does not exist. Check the path, and that the router can see the file." },
        { "bom-crlf.pem", "crlf.key", null, "www.contoso.test", "accepted" },
        { "rsa.pem", "rsa-pkcs1.key", null, "rsa.contoso.test", "accepted" },
        { "sec1.pem", "ec-sec1.key", null, "sec1.contoso.test", "accepted" },
        { "combined.pem", "combined.pem", null, "www.contoso.test", "accepted" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_OpenSslMadeInput_HasItsExactOutcome(string certificate, string key, string? passphrase, string? cname, string expected)
    {
        var files = new PemCertificateFiles(corpus.File(certificate), corpus.File(key), passphrase is null ? null : corpus.File(passphrase));

        var result = TlsBindingLoader.Load(new FileCertificateSource("corpus", files), cname, SslProtocols.Tls12, TimeProvider.System);

        expected = expected.Replace("{dir}", corpus.Directory, StringComparison.Ordinal);
        if (!expected.StartsWith("accepted", StringComparison.Ordinal))
        {
            Assert.Null(result.Binding);
            Assert.Equal(expected, result.Error);
            return;
        }

        Assert.True(result.Binding is not null, result.Error);
        Assert.True(result.Binding.Certificate.Leaf.HasPrivateKey);
        Assert.Equal("Corpus Intermediate", Assert.Single(result.Binding.Certificate.Intermediates).GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        if (expected.Split("; warns: ") is [_, var warning])
        {
            Assert.Contains(warning, result.Binding.Certificate.Warnings);
        }
    }

    [Fact]
    public void Corpus_HasAtLeastTwentyCases() => Assert.True(Cases.Count >= 20, $"{Cases.Count} cases");
}
