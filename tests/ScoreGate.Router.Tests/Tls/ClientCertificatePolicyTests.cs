using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

public sealed class ClientCertificatePolicyTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot("Client CA");

    [Fact]
    public void Load_CaAndCrl_ReadsTheBundleAndTheRevokedSerials()
    {
        using var revoked = _ca.IssueClient("revoked");
        var result = Load(_ca.CertificatePem, _ca.CreateCrlPem(revoked.Certificate));

        Assert.Null(result.Error);
        Assert.Equal("CN=Client CA", Assert.Single(result.Policy!.Authorities).Subject);
        Assert.Equal(1, result.Policy.Revocations!.Count);
        Assert.True(result.Policy.Revocations.Revokes(revoked.Certificate));
    }

    [Fact]
    public void Load_MissingCaFile_NamesTheFlagAndFile()
    {
        var ca = _files.File("absent.pem");

        var result = ClientCertificatePolicy.Load(Files(ca, null), TimeProvider.System);

        Assert.StartsWith($"--client-ca '{ca}' cannot be read: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Give the PEM file of the CA that issues the client certificates.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CaFileWithoutCertificate_SaysHowToConvert()
    {
        var result = Load("not a certificate\n", null);

        Assert.Equal($"--client-ca '{_files.File("ca.pem")}' holds no PEM certificate. Give the CA certificate(s) that issue the client certificates (-----BEGIN CERTIFICATE-----); convert DER with: openssl x509 -inform der -in ca.der -out ca.pem", result.Error);
    }

    [Fact]
    public void Load_ClientCertificateGivenAsCa_IsRefused()
    {
        using var client = _ca.IssueClient("alice");

        var result = Load(client.CertificatePem, null);

        Assert.Equal($"--client-ca '{_files.File("ca.pem")}' holds 'CN=alice, O=ScoreGate Tests', which is not a CA certificate (no basicConstraints CA:TRUE). Give the CA that issues the client certificates, not a client certificate.", result.Error);
    }

    [Fact]
    public void Load_CrlThatIsNotACrl_IsRefused()
    {
        var result = Load(_ca.CertificatePem, _ca.CertificatePem);

        Assert.Equal($"--client-crl '{_files.File("crl.pem")}' is not a CRL. Give the CA's certificate revocation list in PEM (-----BEGIN X509 CRL-----) or DER, as made by: openssl ca -gencrl -out crl.pem", result.Error);
    }

    [Fact]
    public void Load_CrlOfAnotherCaWithTheSameName_IsRefusedAsNotSigned()
    {
        using var other = TestCertificateAuthority.CreateRoot("Client CA");

        var result = Load(_ca.CertificatePem, other.CreateCrlPem());

        Assert.Equal($"--client-crl '{_files.File("crl.pem")}' is issued by 'CN=Client CA' but not signed by any CA in --client-ca '{_files.File("ca.pem")}'. Give the CRL of a CA in the bundle (or add its CA to the bundle).", result.Error);
    }

    [Fact]
    public void Load_DerCrl_IsRead()
    {
        var pem = _ca.CreateCrlPem();
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        File.WriteAllText(_files.File("ca.pem"), _ca.CertificatePem);
        File.WriteAllBytes(_files.File("crl.der"), der);

        var result = ClientCertificatePolicy.Load(Files(_files.File("ca.pem"), _files.File("crl.der")), TimeProvider.System);

        Assert.Null(result.Error);
        Assert.Equal(0, result.Policy!.Revocations!.Count);
    }

    /// <summary>The commands docs/identity.md gives, run for real: openssl's CA, client certificates and CRL.</summary>
    [Fact]
    public async Task Load_OpensslCaAndCrl_RevokesExactlyTheRevokedCertificate()
    {
        const string script = """
            set -e
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=Contoso Clients CA" -keyout ca.key -out ca.pem \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
            printf 'extendedKeyUsage=clientAuth\nsubjectAltName=email:alice@contoso.com\n' > client.ext
            for name in alice mallory; do
              openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" -keyout $name.key -out $name.csr
              openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 90 -extfile client.ext -out $name.pem
            done
            mkdir -p demoCA && touch demoCA/index.txt && echo 1000 > demoCA/crlnumber
            printf '[ca]\ndefault_ca=c\n[c]\ndatabase=demoCA/index.txt\ncrlnumber=demoCA/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n' > ca.cnf
            openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -revoke mallory.pem
            openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -gencrl -out clients.crl
            """;
        using var run = await ProcessRun.RunAsync("bash", ["-c", script], TimeSpan.FromSeconds(60), _files.Path);
        run.ExpectExitCode(0);

        var result = ClientCertificatePolicy.Load(Files(_files.File("ca.pem"), _files.File("clients.crl")), TimeProvider.System);

        Assert.Null(result.Error);
        using var alice = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(_files.File("alice.pem")));
        using var mallory = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(_files.File("mallory.pem")));
        Assert.Equal(ClientCertificateReason.Valid, ClientCertificateValidator.Validate(result.Policy!, alice).Reason);
        Assert.Equal(ClientCertificateReason.Revoked, ClientCertificateValidator.Validate(result.Policy!, mallory).Reason);
    }

    private ClientCertificatePolicyLoadResult Load(string caPem, string? crlPem)
    {
        File.WriteAllText(_files.File("ca.pem"), caPem);
        if (crlPem is not null)
        {
            File.WriteAllText(_files.File("crl.pem"), crlPem);
        }

        return ClientCertificatePolicy.Load(Files(_files.File("ca.pem"), crlPem is null ? null : _files.File("crl.pem")), TimeProvider.System);
    }

    private static ClientCertificateFiles Files(string ca, string? crl) => new(ca, crl, ClientCertificateMode.Required, "--client-ca", "--client-crl");

    public void Dispose()
    {
        _ca.Dispose();
        _files.Dispose();
    }
}
