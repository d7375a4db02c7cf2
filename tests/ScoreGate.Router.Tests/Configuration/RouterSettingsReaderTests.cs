using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using ScoreGate.Router.Configuration;

namespace ScoreGate.Router.Tests.Configuration;

/// <summary>Every setting that can be wrong is refused with a message naming it and the fix.</summary>
public sealed class RouterSettingsReaderTests
{
    [Fact]
    public void Read_InsecureWithNothingElse_UsesDocumentedDefaults()
    {
        var read = Read(("allowInsecureConnections", "true"));

        Assert.Empty(read.Errors);
        var settings = read.Settings;
        Assert.False(settings.TlsEnabled);
        Assert.Equal(443, settings.HttpsPort);
        Assert.Equal(80, settings.HttpPort);
        Assert.Equal(SslProtocols.Tls12, settings.MinProtocol);
        Assert.Equal(new Uri("http://127.0.0.1:7400"), settings.AdminUrl);
        Assert.Null(settings.ListenAddress);
        Assert.Equal(Path.GetFullPath("./.scoregate"), settings.StateDir);
    }

    [Fact]
    public void Read_PemPair_BecomesTheCertificateSource()
    {
        var read = Read(("sslCertPemFile", "/etc/tls/cert.pem"), ("SSLKEYPEMFILE", "/etc/tls/key.pem"), ("sslMinProtocol", "tls13"), ("listenAddress", "::1"));

        Assert.Empty(read.Errors);
        Assert.Equal("/etc/tls/cert.pem", read.Settings.Certificate!.Files.CertificatePath);
        Assert.Equal("/etc/tls/key.pem", read.Settings.Certificate.Files.KeyPath);
        Assert.Equal(SslProtocols.Tls13, read.Settings.MinProtocol);
        Assert.Equal(IPAddress.IPv6Loopback, read.Settings.ListenAddress);
    }

    [Fact]
    public void Read_Secret_ReadsCertAndKeyUnderSecretsRoot()
    {
        var read = Read(("sslSecret", "contoso"), ("secretsRoot", "/mnt/secrets"));

        Assert.Empty(read.Errors);
        Assert.Equal("/mnt/secrets/contoso/cert.pem", read.Settings.Certificate!.Files.CertificatePath);
        Assert.Equal("/mnt/secrets/contoso/key.pem", read.Settings.Certificate.Files.KeyPath);
        Assert.Equal("sslSecret 'contoso'", read.Settings.Certificate.Description);
    }

    [Theory]
    [InlineData("sslCertPemFile", "c.pem", "sslCertPemFile is set but sslKeyPemFile is not. Set both: the certificate chain and its private key.")]
    [InlineData("sslKeyPemFile", "k.pem", "sslKeyPemFile is set but sslCertPemFile is not. Set both: the certificate chain and its private key.")]
    [InlineData("sslSecret", "../etc", "sslSecret '../etc' is not a secret name: give the name of a directory directly under secretsRoot, not a path.")]
    [InlineData("sslLeafDomainLabel", "contoso", "sslLeafDomainLabel: managed certificates are not available in this version of ScoreGate. Use sslCertPemFile and sslKeyPemFile, or sslSecret, for now.")]
    [InlineData("sslMinProtocol", "Ssl3", "sslMinProtocol 'Ssl3' is not supported. Use Tls12 or Tls13 (TLS 1.0 and 1.1 are never offered).")]
    [InlineData("httpsPort", "0", "httpsPort '0' is not a port. Give a number from 1 to 65535.")]
    [InlineData("httpPort", "eighty", "httpPort 'eighty' is not a port. Give a number from 1 to 65535.")]
    [InlineData("allowInsecureConnections", "yes", "allowInsecureConnections 'yes' is not true or false.")]
    [InlineData("listenAddress", "example.com", "listenAddress 'example.com' is not an IP address. Use * for all addresses, or one address such as 127.0.0.1 or ::1.")]
    [InlineData("adminUrl", "https://127.0.0.1:7400", "adminUrl 'https://127.0.0.1:7400' is not a URL like http://127.0.0.1:7400 (http, a host, a port, no path).")]
    [InlineData("adminUrl", "http://10.1.2.3:7400", "adminUrl 'http://10.1.2.3:7400' is not a loopback address. The admin API is plain HTTP guarded by a token; keep it on 127.0.0.1, ::1 or localhost.")]
    [InlineData("sslCname", "https://www.contoso.com/", "sslCname 'https://www.contoso.com/' is not a host name. Give the name clients use, such as www.contoso.com (no scheme, port or path).")]
    [InlineData("sslCnmae", "www.contoso.com", "'sslCnmae' is not a ScoreGate setting. Did you mean 'sslCname'? See 'scoregate serve --help' for the list.")]
    [InlineData("frobnicate", "1", "'frobnicate' is not a ScoreGate setting. See 'scoregate serve --help' for the list.")]
    public void Read_BadValue_IsRefusedWithItsMessage(string name, string value, string expected)
    {
        var read = name == "allowInsecureConnections" ? Read((name, value)) : Read(("allowInsecureConnections", "true"), (name, value));

        Assert.Contains(expected, read.Errors);
    }

    [Fact]
    public void Read_SecretAndPemPair_IsRefusedAsTwoSources()
    {
        var read = Read(("sslSecret", "contoso"), ("sslCertPemFile", "c.pem"), ("sslKeyPemFile", "k.pem"));

        Assert.Equal(["sslSecret and sslCertPemFile/sslKeyPemFile are both set. Choose one certificate source and remove the other."], read.Errors);
    }

    [Fact]
    public void Read_SamePortTwice_IsRefused()
    {
        var read = Read(("allowInsecureConnections", "true"), ("httpsPort", "8443"), ("httpPort", "8443"));

        Assert.Equal(["httpsPort and httpPort are both 8443. Give each listener its own port."], read.Errors);
    }

    [Fact]
    public void Read_CnameWithoutCertificate_IsRefused()
    {
        var read = Read(("allowInsecureConnections", "true"), ("sslCname", "www.contoso.com"));

        Assert.Equal(["sslCname is set but no certificate source is: the name is checked against a certificate. Set sslCertPemFile and sslKeyPemFile, or sslSecret."], read.Errors);
    }

    private static RouterSettingsReadResult Read(params (string Name, string Value)[] values) =>
        RouterSettingsReader.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)))
            .Build());
}
