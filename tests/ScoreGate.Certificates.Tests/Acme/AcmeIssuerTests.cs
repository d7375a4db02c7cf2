using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using ScoreGate.Certificates.Acme;
using ScoreGate.Certificates.Pem;
using ScoreGate.Dns;
using Xunit.Abstractions;

namespace ScoreGate.Certificates.Tests.Acme;

/// <summary>Issuance against a real Pebble, with each challenge type answered for real.</summary>
public sealed class AcmeIssuerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AcmePeers _peers = null!;

    public async Task InitializeAsync() => _peers = await AcmePeers.StartAsync();

    public async Task DisposeAsync() => await _peers.DisposeAsync();

    [Theory]
    [InlineData("http-01")]
    [InlineData("tls-alpn-01")]
    [InlineData("dns-01")]
    public async Task IssueAsync_EachChallengeType_ChainsToPebbleRootAndMatchesKey(string challengeType)
    {
        var name = $"{challengeType.Replace("-", string.Empty, StringComparison.Ordinal)}.endpoints.test";
        await _peers.PublishAsync(name);
        var issuer = _peers.Issuer();

        var watch = Stopwatch.StartNew();
        Assert.True(AcmeChallengeKinds.TryParse(challengeType, out var kind));
        var issued = await issuer.IssueAsync(new AcmeIssueRequest([name], kind), default);
        output.WriteLine($"{challengeType}: issued in {watch.ElapsedMilliseconds} ms");

        await AssertIssuedAsync(issued, [name]);
        Assert.Null(await _peers.TlsAlpn01.CertificateForAsync(name, default));
    }

    [Fact]
    public async Task IssueAsync_WildcardWithDns01_CoversNameAndWildcardAndRemovesTxtRecords()
    {
        string[] names = ["*.wild.endpoints.test", "wild.endpoints.test"];

        var issued = await _peers.Issuer().IssueAsync(new AcmeIssueRequest(names, AcmeChallengeKind.Dns01), default);

        await AssertIssuedAsync(issued, names);
        Assert.Equal(string.Empty, await _peers.Bind.DigAsync(Dns01ChallengeResponder.RecordName("wild.endpoints.test"), "TXT"));
    }

    [Fact]
    public async Task IssueAsync_WildcardWithHttp01_SaysWildcardsNeedDns01()
    {
        var error = await Assert.ThrowsAsync<AcmeException>(() => _peers.Issuer().IssueAsync(new AcmeIssueRequest(["*.wildhttp.endpoints.test"], AcmeChallengeKind.Http01), default));

        Assert.Equal("'*.wildhttp.endpoints.test' is a wildcard name: ACME validates those only with dns-01. Set the challenge type to dns-01 (and dnsServer so ScoreGate can publish the TXT record).", error.Message);
    }

    [Fact]
    public async Task IssueAsync_NameWithoutDnsRecord_SaysValidationFailedAndWhy()
    {
        var error = await Assert.ThrowsAsync<AcmeException>(() => _peers.Issuer().IssueAsync(new AcmeIssueRequest(["nowhere.endpoints.test"], AcmeChallengeKind.Http01), default));

        Assert.StartsWith($"The ACME server {_peers.Pebble.DirectoryUrl} could not validate 'nowhere.endpoints.test' with http-01: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("could not resolve URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueAsync_Rsa2048_IssuesAnRsaCertificate()
    {
        await _peers.PublishAsync("rsa.endpoints.test");

        var issued = await _peers.Issuer().IssueAsync(new AcmeIssueRequest(["rsa.endpoints.test"], AcmeChallengeKind.Http01, CertificateKeyType.Rsa2048), default);

        using var leaf = X509Certificate2.CreateFromPem(issued.ChainPem, issued.KeyPem);
        Assert.Equal(2048, leaf.GetRSAPublicKey()?.KeySize);
    }

    [Fact]
    public async Task IssueAsync_CaStopped_SaysTheServerCannotBeReached()
    {
        _peers.Pebble.Stop();

        var error = await Assert.ThrowsAsync<AcmeException>(() => _peers.Issuer().IssueAsync(new AcmeIssueRequest(["down.endpoints.test"], AcmeChallengeKind.Http01), default));

        Assert.StartsWith($"The ACME server {_peers.Pebble.DirectoryUrl} cannot be reached while asking for the directory: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAccountAsync_SameKeyTwice_FindsTheSameAccount()
    {
        using var key = AcmeAccountKey.Create();
        var http = AcmeHttpClient.Create(File.ReadAllText(_peers.Pebble.ListenerCaFile));

        var first = await new AcmeClient(http, _peers.Pebble.DirectoryUrl, key).EnsureAccountAsync("ops@contoso.com", null, default);
        var second = await new AcmeClient(http, _peers.Pebble.DirectoryUrl, AcmeAccountKey.FromPem(key.ExportPem())).EnsureAccountAsync(null, null, default);

        Assert.Equal(first, second);
    }

    private async Task AssertIssuedAsync(IssuedCertificate issued, IReadOnlyList<string> names)
    {
        // The same loader the router uses: key matches, chain order right, names covered.
        var loaded = PemCertificateLoader.LoadText(issued.ChainPem, issued.KeyPem, null, TimeProvider.System);
        Assert.Null(loaded.Error);
        using var bundle = loaded.Bundle!;
        Assert.Equal(names.Order(StringComparer.Ordinal), bundle.Names.Order(StringComparer.Ordinal));

        using var root = await _peers.Pebble.GetRootAsync();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(bundle.Intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(bundle.Leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(bundle.Leaf.SerialNumber, issued.SerialNumber);
    }
}
