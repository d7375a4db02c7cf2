using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Certificates.Pem;
using ScoreGate.Router.Tls;

namespace ScoreGate.Router.Tests.Tls;

public sealed class TlsSnapshotTests : IDisposable
{
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot();
    private readonly List<IDisposable> _owned = [];

    [Theory]
    [InlineData("api.contoso.test", "api")]
    [InlineData("API.CONTOSO.TEST", "api")]
    [InlineData("other.contoso.test", "wildcard")]
    [InlineData("a.b.contoso.test", "default")]
    [InlineData("fabrikam.test", "default")]
    [InlineData(null, "default")]
    [InlineData("", "default")]
    public void Find_PrefersExactThenWildcardThenDefault(string? serverName, string expected)
    {
        var snapshot = new TlsSnapshot(Binding(null, "default"), [Binding("api.contoso.test", "api"), Binding("*.contoso.test", "wildcard")]);

        Assert.Equal(expected, snapshot.Find(serverName)!.Certificate.Leaf.GetNameInfo(X509NameType.SimpleName, false));
    }

    [Fact]
    public void Select_UnknownNameWithoutDefault_RefusesTheHandshake()
    {
        var selector = new CertificateSelector();
        selector.Publish(new TlsSnapshot(null, [Binding("api.contoso.test", "api")]));

        Assert.Null(selector.Select("fabrikam.test"));
        Assert.NotNull(selector.Select("api.contoso.test"));
    }

    [Fact]
    public void CreateServerOptions_OffersOnlyTls12AndTls13WithAlpn_SuitesLeftToOpenSslConfiguration()
    {
        var binding = Binding(null, "policy");

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, binding.ServerOptions.EnabledSslProtocols);
        Assert.Equal(SslProtocols.Tls13, TlsPolicy.Protocols(SslProtocols.Tls13));
        Assert.Equal(["h2", "http/1.1"], binding.ServerOptions.ApplicationProtocols!.Select(p => p.ToString()));
        Assert.Null(binding.ServerOptions.CipherSuitesPolicy);
    }

    public void Dispose()
    {
        _owned.ForEach(o => o.Dispose());
        _ca.Dispose();
    }

    private TlsBinding Binding(string? host, string commonName)
    {
        var leaf = _ca.Issue([commonName]);
        _owned.Add(leaf);
        var bundle = new CertificateBundle(leaf.Certificate.CopyWithPrivateKey((System.Security.Cryptography.ECDsa)leaf.Key), [], []);
        _owned.Add(bundle);
        return new TlsBinding(host, "test", bundle, TlsPolicy.CreateServerOptions(bundle, SslProtocols.Tls12));
    }
}
