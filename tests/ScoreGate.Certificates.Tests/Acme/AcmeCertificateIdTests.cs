using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Certificates.Acme;

namespace ScoreGate.Certificates.Tests.Acme;

public sealed class AcmeCertificateIdTests
{
    [Fact]
    public void Of_Rfc9773Example_GivesTheRfcIdentifier()
    {
        // RFC 9773 4.1: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ari.example", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4")));
        using var certificate = request.Create(new X500DistinguishedName("CN=issuer"), X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1), [0x00, 0x87, 0x65, 0x43, 0x21]);

        Assert.Equal("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", AcmeCertificateId.Of(certificate));
    }
}
