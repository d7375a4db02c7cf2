using System.Net;
using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.Router;

namespace ScoreGate.ControlPlane.Tests.Settings;

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
        Assert.Equal(104_857_600, settings.MaxRequestBodyBytes);
        Assert.Equal(240, settings.MinRequestBodyDataRate);
        Assert.Equal(32_768, settings.MaxRequestHeadersBytes);
        Assert.Equal("python3", settings.PythonCommand);
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
    [InlineData("sslLeafDomainLabel", "contoso", "sslLeafDomainLabel needs dnsZone: the DNS zone the generated name lives in, such as endpoints.contoso.com.")]
    [InlineData("sslLeafDomainLabel", "-contoso", "sslLeafDomainLabel '-contoso' is not a DNS label: use 1 to 57 letters, digits and hyphens, not starting or ending with a hyphen.")]
    [InlineData("sslRenew", "true", "sslRenew applies only to a managed certificate: set sslLeafDomainLabel too, or remove it.")]
    [InlineData("region", "west_us", "region 'west_us' is not a DNS label: use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen.")]
    [InlineData("dnsZone", "localhost", "dnsZone 'localhost' is not a DNS zone. Give the zone generated names live in, such as endpoints.contoso.com.")]
    [InlineData("publicIp", "203.0.113.10,router", "publicIp 'router' is not an IP address. Give the address(es) clients reach the router at, such as 203.0.113.10 or 203.0.113.10,2001:db8::10.")]
    [InlineData("acmeDirectory", "http://ca.example/dir", "acmeDirectory 'http://ca.example/dir' is not an https:// URL. Give the CA's ACME directory URL, such as https://acme-v02.api.letsencrypt.org/directory.")]
    [InlineData("acmeEmail", "ops at contoso", "acmeEmail 'ops at contoso' is not an email address.")]
    [InlineData("acmeCaBundle", "/nonexistent/ca.pem", "acmeCaBundle '/nonexistent/ca.pem' cannot be read: Could not find a part of the path '/nonexistent/ca.pem'.")]
    [InlineData("acmeEabKeyId", "kid-1", "acmeEabKeyId is set but acmeEabHmacKey is not. Set both, as the CA gave them.")]
    [InlineData("acmeChallenge", "tls-sni-01", "acmeChallenge 'tls-sni-01' is not a challenge type. Use http-01, tls-alpn-01 or dns-01.")]
    [InlineData("acmeChallenge", "dns-01", "acmeChallenge=dns-01 publishes TXT records through dnsServer, which is not set. Set dnsServer, dnsTsigKeyName and dnsTsigSecret, or use http-01.")]
    [InlineData("acmeKeyType", "ed25519", "acmeKeyType 'ed25519' is not supported. Use ecdsa-p256 or rsa-2048.")]
    [InlineData("dnsServer", "ns1.contoso.com", "dnsServer 'ns1.contoso.com' is not an IP address with an optional port, such as 192.0.2.53 or 127.0.0.1:5353.")]
    [InlineData("dnsTsigSecret", "c2VjcmV0", "dnsTsigSecret is set but dnsTsigKeyName is not. Set both, as in the key file tsig-keygen wrote.")]
    [InlineData("sslMinProtocol", "Ssl3", "sslMinProtocol 'Ssl3' is not supported. Use Tls12 or Tls13 (TLS 1.0 and 1.1 are never offered).")]
    [InlineData("logFormat", "xml", "logFormat 'xml' is not supported. Use text or json.")]
    [InlineData("accessLog", "yes", "accessLog 'yes' is not true or false.")]
    [InlineData("compatibilityProfile", "aks", "compatibilityProfile 'aks' is not supported. Use managed or kubernetes.")]
    [InlineData("store", "postgres://scoregate:hunter2@db/scoregate", "store must be 'sqlite' or a PostgreSQL connection string such as Host=db.example;Port=5432;Database=scoregate;Username=scoregate;Password=... (URLs like postgres://... are not accepted).")]
    [InlineData("masterKeyFile", "/nonexistent/master.key", "masterKeyFile '/nonexistent/master.key' does not exist. Make one with: head -c 32 /dev/urandom | base64 > '/nonexistent/master.key' && chmod 600 '/nonexistent/master.key', and give every router sharing the store the same file.")]
    [InlineData("inferenceRouterServiceType", "Ingress", "inferenceRouterServiceType 'Ingress' is not supported. Use LoadBalancer or NodePort or ClusterIP.")]
    [InlineData("httpsPort", "0", "httpsPort '0' is not a port. Give a number from 1 to 65535.")]
    [InlineData("httpPort", "eighty", "httpPort 'eighty' is not a port. Give a number from 1 to 65535.")]
    [InlineData("allowInsecureConnections", "yes", "allowInsecureConnections 'yes' is not true or false.")]
    [InlineData("listenAddress", "example.com", "listenAddress 'example.com' is not an IP address. Use * for all addresses, or one address such as 127.0.0.1 or ::1.")]
    [InlineData("adminUrl", "https://127.0.0.1:7400", "adminUrl 'https://127.0.0.1:7400' is not a URL like http://127.0.0.1:7400 (http, a host, a port, no path).")]
    [InlineData("adminUrl", "http://10.1.2.3:7400", "adminUrl 'http://10.1.2.3:7400' is not a loopback address. The admin API is plain HTTP guarded by a token; keep it on 127.0.0.1, ::1 or localhost.")]
    [InlineData("adminUrl", "http://[::ffff:127.0.0.1]:7400", "adminUrl 'http://[::ffff:127.0.0.1]:7400' uses an IPv4-mapped IPv6 address. Write the IPv4 address itself, such as http://127.0.0.1:7400.")]
    [InlineData("adminUrl", "http://admin:hunter2@127.0.0.1:7400", "adminUrl must not carry a user name or password (user:password@): the admin API is guarded by the token in stateDir/admin.token. Remove them, as in http://127.0.0.1:7400.")]
    [InlineData("maxRequestBodyBytes", "100MB", "maxRequestBodyBytes '100MB' is not a whole number from 1 to 9223372036854775807. Give the largest scoring request body to accept, in bytes, such as 104857600 (100 MiB).")]
    [InlineData("maxRequestBodyBytes", "0", "maxRequestBodyBytes '0' is not a whole number from 1 to 9223372036854775807. Give the largest scoring request body to accept, in bytes, such as 104857600 (100 MiB).")]
    [InlineData("minRequestBodyDataRate", "-1", "minRequestBodyDataRate '-1' is not a whole number from 0 to 2147483647. Give the slowest acceptable body rate in bytes per second, such as 240, or 0 to turn the check off.")]
    [InlineData("minRequestBodyDataRate", "fast", "minRequestBodyDataRate 'fast' is not a whole number from 0 to 2147483647. Give the slowest acceptable body rate in bytes per second, such as 240, or 0 to turn the check off.")]
    [InlineData("maxRequestHeadersBytes", "512", "maxRequestHeadersBytes '512' is not a whole number from 1024 to 1048576. Give the largest total size of a request's headers, in bytes, such as 32768 (32 KiB).")]
    [InlineData("maxRequestHeadersBytes", "32k", "maxRequestHeadersBytes '32k' is not a whole number from 1024 to 1048576. Give the largest total size of a request's headers, in bytes, such as 32768 (32 KiB).")]
    [InlineData("sslCname", "https://www.contoso.com/", "sslCname 'https://www.contoso.com/' is not a host name. Give the name clients use, such as www.contoso.com (no scheme, port or path).")]
    [InlineData("sslCnmae", "www.contoso.com", "'sslCnmae' is not a ScoreGate setting. Did you mean 'sslCname'? See 'scoregate serve --help' for the list.")]
    [InlineData("frobnicate", "1", "'frobnicate' is not a ScoreGate setting. See 'scoregate serve --help' for the list.")]
    [InlineData("pythonCommand", "/opt/no-such-venv/bin/python", "pythonCommand '/opt/no-such-venv/bin/python' does not exist. Give the path of a Python interpreter that has the model's packages, such as /usr/bin/python3, or a name on PATH.")]
    public void Read_BadValue_IsRefusedWithItsMessage(string name, string value, string expected)
    {
        var read = name == "allowInsecureConnections" ? Read((name, value)) : Read(("allowInsecureConnections", "true"), (name, value));

        Assert.Contains(expected, read.Errors);
    }

    [Fact]
    public void Read_LeafDomainLabel_IsTheRouterCertificateSource()
    {
        var read = Read(("sslLeafDomainLabel", "Contoso"), ("dnsZone", "Endpoints.Test."), ("region", "westeurope"), ("publicIp", "192.0.2.10, 2001:db8::10"),
            ("dnsServer", "127.0.0.1:5353"), ("dnsTsigKeyName", "ddns-key"), ("dnsTsigSecret", "c2VjcmV0"), ("acmeChallenge", "DNS-01"));

        Assert.Empty(read.Errors);
        var managed = read.Settings.Managed;
        Assert.True(read.Settings.TlsEnabled);
        Assert.Equal(("contoso", "endpoints.test", "westeurope", "dns-01"), (managed.LeafDomainLabel, managed.DnsZone, managed.Region, managed.AcmeChallenge));
        Assert.Equal(["192.0.2.10", "2001:db8::10"], managed.PublicIps.Select(ip => ip.ToString()));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5353), managed.DnsServer);
        Assert.Equal("TSIG key 'ddns-key' (hmac-sha256)", managed.DnsTsigKey?.ToString());
    }

    [Fact]
    public void Read_LeafDomainLabelWithDnsServerButNoPublicIp_AsksForPublicIp()
    {
        var read = Read(("sslLeafDomainLabel", "contoso"), ("dnsZone", "endpoints.test"), ("dnsServer", "127.0.0.1"));

        Assert.Equal(["dnsServer is set, so the router publishes the A record of its generated name, but publicIp is not. Set publicIp to the address clients reach the router at."], read.Errors);
    }

    [Fact]
    public void Read_LeafDomainLabelAndSecret_IsRefusedAsTwoSources()
    {
        var read = Read(("sslLeafDomainLabel", "contoso"), ("dnsZone", "endpoints.test"), ("sslSecret", "contoso"));

        Assert.Equal(["sslLeafDomainLabel and sslSecret are both set. Choose one certificate source: a managed certificate or your own."], read.Errors);
    }

    [Fact]
    public void Read_BadTsigSecret_NamesTheSettingsButNeverTheSecret()
    {
        var read = Read(("allowInsecureConnections", "true"), ("dnsTsigKeyName", "ddns-key"), ("dnsTsigSecret", "s3cr3t!value"));

        var error = Assert.Single(read.Errors);
        Assert.Equal("dnsTsigKeyName/dnsTsigSecret/dnsTsigAlgorithm: the secret is not base64; copy the secret \"...\" value from the key file tsig-keygen wrote.", error);
        Assert.DoesNotContain("s3cr3t", error, StringComparison.Ordinal);
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

    [Fact]
    public void Read_DataPlaneSettings_ReachTheDataPlaneOptions()
    {
        var read = Read(("sslCertPemFile", "c.pem"), ("sslKeyPemFile", "k.pem"), ("sslCname", "www.contoso.com"), ("allowInsecureConnections", "true"), ("httpsPort", "8443"),
            ("compatibilityProfile", "kubernetes"), ("accessLog", "true"), ("maxRequestBodyBytes", "1000"), ("minRequestBodyDataRate", "0"));

        Assert.Empty(read.Errors);
        var expected = new DataPlaneOptions
        {
            AllowInsecureConnections = true,
            SslCname = "www.contoso.com",
            HttpsPort = 8443,
            CompatibilityProfile = CompatibilityProfile.Kubernetes,
            AccessLog = true,
            MaxRequestBodyBytes = 1000,
            MinRequestBodyDataRate = 0,
        };
        Assert.Equal(expected, read.Settings.DataPlane);
    }

    [Fact]
    public void Read_NothingSet_DataPlaneOptionsKeepTheirDefaults()
    {
        var read = Read(("allowInsecureConnections", "true"));

        Assert.Equal(new DataPlaneOptions { AllowInsecureConnections = true }, read.Settings.DataPlane);
    }

    [Fact]
    public void Read_Networks_DefaultToPrivateRangesAndNoProxies()
    {
        var read = Read(("allowInsecureConnections", "true"));

        Assert.Empty(read.Errors);
        Assert.Equal("127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7", read.Settings.DataPlane.PrivateNetworks.ToString());
        Assert.True(read.Settings.DataPlane.TrustedProxies.IsEmpty);
    }

    [Fact]
    public void Read_Networks_GivenAddressesAndPrefixes_ReachTheDataPlane()
    {
        var read = Read(("allowInsecureConnections", "true"), ("privateNetworks", "127.0.0.1, 10.1.0.0/16,fd00::/8"), ("TRUSTEDPROXIES", "192.168.5.10"));

        Assert.Empty(read.Errors);
        var dataPlane = read.Settings.DataPlane;
        Assert.Equal("127.0.0.1/32,10.1.0.0/16,fd00::/8", dataPlane.PrivateNetworks.ToString());
        Assert.True(dataPlane.PrivateNetworks.Contains(IPAddress.Parse("10.1.200.3")));
        Assert.False(dataPlane.PrivateNetworks.Contains(IPAddress.Parse("127.0.0.2")));
        Assert.True(dataPlane.TrustedProxies.Contains(IPAddress.Parse("192.168.5.10")));
        Assert.False(dataPlane.TrustedProxies.Contains(IPAddress.Parse("192.168.5.11")));
    }

    [Theory]
    [InlineData("privateNetworks", "10.0.0.0/33", "privateNetworks '10.0.0.0/33' has '10.0.0.0/33', whose prefix length '33' is not a whole number from 0 to 32. Write it like 10.0.0.0/8.")]
    [InlineData("privateNetworks", "10.0.0.1/8", "privateNetworks '10.0.0.1/8' has '10.0.0.1/8', which has bits set after its first 8. Write the network, 10.0.0.0/8, or the single address, 10.0.0.1/32.")]
    [InlineData("privateNetworks", "10.0.0.0/8,,fd00::/8", "privateNetworks '10.0.0.0/8,,fd00::/8' has an empty entry (two commas in a row, or one at an end). Remove the extra comma.")]
    [InlineData("trustedProxies", "10.0.0.5,lb.internal", "trustedProxies '10.0.0.5,lb.internal' has 'lb.internal', which is not an IP address or CIDR prefix. Write entries like 10.0.0.0/8, 192.168.1.20 or fd00::/8.")]
    public void Read_BadNetworkEntry_IsRefusedNamingTheSettingTheEntryAndTheFix(string name, string value, string expected)
    {
        var read = Read(("allowInsecureConnections", "true"), (name, value));

        Assert.Equal(expected, Assert.Single(read.Errors));
    }

    private static RouterSettingsReadResult Read(params (string Name, string Value)[] values) =>
        RouterSettingsReader.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)))
            .Build());
}
