using Microsoft.Extensions.Configuration;
using ScoreGate.ControlPlane.Settings;

namespace ScoreGate.ControlPlane.Tests.Settings;

/// <summary>oidcAuthority, oidcAudience and oidcCaBundle: each mistake is refused with the setting and the fix.</summary>
public sealed class OidcSettingsReaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Read_Nothing_HasNoProvider()
    {
        var read = Read();

        Assert.Empty(read.Errors);
        Assert.Null(read.Settings.Oidc);
    }

    [Fact]
    public void Read_AuthorityAudienceAndBundle_BecomeTheProvider()
    {
        using var ca = TestCertificateAuthority.CreateRoot();
        var bundle = _directory.Write("ca.pem", ca.CertificatePem);

        var read = Read(("oidcAuthority", "https://keycloak.example.com/realms/ml/"), ("oidcAudience", "scoring-api"), ("oidcCaBundle", bundle));

        Assert.Empty(read.Errors);
        var oidc = read.Settings.Oidc!;
        Assert.Equal("https://keycloak.example.com/realms/ml", oidc.Issuer);
        Assert.Equal("https://keycloak.example.com/realms/ml/.well-known/openid-configuration", oidc.MetadataAddress);
        Assert.Equal("scoring-api", oidc.Audience);
        Assert.Equal(ca.CertificatePem, oidc.CaBundlePem);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/realms/ml")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:8080")]
    public void Read_HttpOnLoopback_IsAccepted(string authority)
    {
        Assert.Empty(Read(("oidcAuthority", authority), ("oidcAudience", "a")).Errors);
    }

    [Theory]
    [InlineData("login.microsoftonline.com/tenant/v2.0", "oidcAuthority 'login.microsoftonline.com/tenant/v2.0' is not an absolute https URL. Give the issuer URL of your OpenID Connect provider, such as https://keycloak.example.com/realms/ml.")]
    [InlineData("ftp://idp.example.com", "oidcAuthority 'ftp://idp.example.com' is not an absolute https URL. Give the issuer URL of your OpenID Connect provider, such as https://keycloak.example.com/realms/ml.")]
    [InlineData("http://idp.example.com", "oidcAuthority 'http://idp.example.com' uses http: the signing keys would cross the network unprotected. Use https (with oidcCaBundle for a private CA); http is accepted only for a loopback address.")]
    [InlineData("https://idp.example.com/?tenant=1", "oidcAuthority 'https://idp.example.com/?tenant=1' has a query, fragment or user name. Give the issuer URL alone, as it appears in the provider's tokens ('iss').")]
    public void Read_BadAuthority_IsRefused(string authority, string error)
    {
        Assert.Equal([error], Read(("oidcAuthority", authority), ("oidcAudience", "a")).Errors);
    }

    [Fact]
    public void Read_AuthorityWithoutAudience_IsRefused()
    {
        Assert.Equal(
            ["oidcAuthority is set but oidcAudience is not. Set oidcAudience to the audience ('aud') your provider puts in access tokens for this API, such as api://<app-id>."],
            Read(("oidcAuthority", "https://idp.example.com")).Errors);
    }

    [Fact]
    public void Read_AudienceWithoutAuthority_IsRefused()
    {
        Assert.Equal(
            ["oidcAudience is set but oidcAuthority is not. Set oidcAuthority to the OpenID Connect issuer URL (such as https://login.microsoftonline.com/<tenant>/v2.0), or remove it."],
            Read(("oidcAudience", "api://x")).Errors);
    }

    [Fact]
    public void Read_MissingCaBundle_IsRefused_NamingTheFile()
    {
        var missing = _directory.File("nope.pem");

        Assert.Equal(
            [$"oidcCaBundle '{missing}' does not exist. Give a PEM file with the CA certificate(s) your OpenID Connect provider's HTTPS chains to, or remove oidcCaBundle to trust the system roots."],
            Read(("oidcAuthority", "https://idp.example.com"), ("oidcAudience", "a"), ("oidcCaBundle", missing)).Errors);
    }

    [Fact]
    public void Read_CaBundleWithoutCertificates_IsRefused()
    {
        var empty = _directory.Write("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        Assert.Equal(
            [$"oidcCaBundle '{empty}' holds no PEM certificate. Give a PEM file with '-----BEGIN CERTIFICATE-----' blocks (convert DER with: openssl x509 -inform der -in ca.cer -out ca.pem)."],
            Read(("oidcAuthority", "https://idp.example.com"), ("oidcAudience", "a"), ("oidcCaBundle", empty)).Errors);
    }

    private static RouterSettingsReadResult Read(params (string Name, string Value)[] values) =>
        RouterSettingsReader.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Append((Name: "allowInsecureConnections", Value: "true")).Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)))
            .Build());
}
