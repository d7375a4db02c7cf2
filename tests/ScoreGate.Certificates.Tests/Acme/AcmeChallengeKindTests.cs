using ScoreGate.Certificates.Acme;

namespace ScoreGate.Certificates.Tests.Acme;

/// <summary>Settings, the store and the wire keep RFC 8555's spellings; only those parse.</summary>
public sealed class AcmeChallengeKindTests
{
    [Theory]
    [InlineData("http-01", AcmeChallengeKind.Http01)]
    [InlineData("tls-alpn-01", AcmeChallengeKind.TlsAlpn01)]
    [InlineData("dns-01", AcmeChallengeKind.Dns01)]
    public void TryParse_RfcName_RoundTrips(string name, AcmeChallengeKind expected)
    {
        Assert.True(AcmeChallengeKinds.TryParse(name, out var kind));
        Assert.Equal(expected, kind);
        Assert.Equal(name, kind.ToRfcName());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Http01")]
    [InlineData("HTTP-01")]
    [InlineData("dns-account-01")]
    [InlineData("http-01 ")]
    public void TryParse_AnyOtherSpelling_IsRefused(string? name) => Assert.False(AcmeChallengeKinds.TryParse(name, out _));
}
