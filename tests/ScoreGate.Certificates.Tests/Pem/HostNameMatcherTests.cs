using ScoreGate.Certificates.Pem;

namespace ScoreGate.Certificates.Tests.Pem;

/// <summary>RFC 6125 §6.4 host name matching, including the hostile cases.</summary>
public sealed class HostNameMatcherTests
{
    [Theory]
    [InlineData("www.contoso.com", "www.contoso.com", true)]
    [InlineData("www.contoso.com", "WWW.Contoso.COM", true)]
    [InlineData("www.contoso.com", "www.contoso.com.", true)]
    [InlineData("*.contoso.com", "api.contoso.com", true)]
    [InlineData("*.contoso.com", "contoso.com", false)]
    [InlineData("*.contoso.com", "a.b.contoso.com", false)]
    [InlineData("*.contoso.com", ".contoso.com", false)]
    [InlineData("www.contoso.com", "www.contoso.co", false)]
    [InlineData("www.contoso.com", "evil-www.contoso.com", false)]
    public void Matches_Pattern_FollowsRfc6125(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, HostNameMatcher.Matches(pattern, host.TrimEnd('.')));
    }

    [Fact]
    public void Covers_IpAddressSan_MatchesOnlyThatAddress()
    {
        using var ca = TestCertificateAuthority.CreateRoot();
        using var leaf = ca.Issue(["localhost", "127.0.0.1"]);

        Assert.True(HostNameMatcher.Covers(leaf.Certificate, "127.0.0.1"));
        Assert.True(HostNameMatcher.Covers(leaf.Certificate, "localhost"));
        Assert.False(HostNameMatcher.Covers(leaf.Certificate, "127.0.0.2"));
        Assert.Equal(["localhost", "127.0.0.1"], HostNameMatcher.Names(leaf.Certificate));
    }

    [Fact]
    public void Covers_CertificateWithoutSan_CoversNothing()
    {
        using var ca = TestCertificateAuthority.CreateRoot();
        using var leaf = ca.Issue([]);

        Assert.False(HostNameMatcher.Covers(leaf.Certificate, "test"));
        Assert.Empty(HostNameMatcher.Names(leaf.Certificate));
    }
}
