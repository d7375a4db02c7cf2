using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using ScoreGate.Certificates.Acme;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Tests.Managed;

/// <summary>The CA may validate through any router: one that did not place the order answers from the store.</summary>
public sealed class SharedChallengeTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SqlStore _placing = null!;
    private SqlStore _other = null!;

    public async Task InitializeAsync()
    {
        var secrets = new SecretProtector(RandomNumberGenerator.GetBytes(32));
        _placing = await SqlStore.OpenSqliteAsync(_dir.File("scoregate.db"), secrets);
        _other = await SqlStore.OpenSqliteAsync(_dir.File("scoregate.db"), secrets);
    }

    public async Task DisposeAsync()
    {
        await _placing.DisposeAsync();
        await _other.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Http01_AnswerPresentedByOneRouter_IsGivenByAnother_UntilCleanedUp()
    {
        var placing = new Http01ChallengeResponder(_placing);
        var other = new Http01ChallengeResponder(_other);

        Assert.Null(await placing.PresentAsync("iris.endpoints.test", "tok-1", "tok-1.thumb", default));

        Assert.Equal("tok-1.thumb", await other.AnswerAsync("tok-1", default));
        Assert.Null(await other.AnswerAsync("tok-2", default));
        await placing.CleanupAsync("iris.endpoints.test", "tok-1", "tok-1.thumb", default);
        Assert.Null(await other.AnswerAsync("tok-1", default));
    }

    [Fact]
    public async Task TlsAlpn01_AnotherRouterBuildsTheChallengeCertificate_FromTheSharedAnswer()
    {
        var placing = new TlsAlpn01ChallengeResponder(_placing);
        var other = new TlsAlpn01ChallengeResponder(_other);

        await placing.PresentAsync("Iris.Endpoints.Test", "tok-1", "tok-1.thumb", default);
        var certificate = await other.CertificateForAsync("iris.endpoints.test.", default);

        Assert.NotNull(certificate);
        var extension = certificate.Extensions["1.3.6.1.5.5.7.1.31"]!;
        Assert.True(extension.Critical);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes("tok-1.thumb")), new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadOctetString());
        await placing.CleanupAsync("Iris.Endpoints.Test", "tok-1", "tok-1.thumb", default);
        Assert.Null(await other.CertificateForAsync("iris.endpoints.test", default));
    }
}
