using System.Buffers.Text;
using System.Diagnostics;
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
        // The other router answers from memory, refreshed at most every 200 ms: the answer goes with the next refresh.
        await Eventually.TrueAsync(async () => await other.AnswerAsync("tok-1", default) is null, "the cleaned-up answer was still given");
    }

    [Fact]
    public async Task Http01_FloodOfUnknownTokens_CostsAtMostFiveStoreReadsASecond_AndTheRealAnswerIsStillGiven()
    {
        var placing = new Http01ChallengeResponder(_placing);
        var reads = new CountingAnswerStore(_other);
        var other = new Http01ChallengeResponder(reads);
        Assert.Null(await placing.PresentAsync("iris.endpoints.test", "real-token", "real-token.thumb", default));

        var watch = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, 2000).Select(_ => other.AnswerAsync(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), default).AsTask()).ToList();
        var real = other.AnswerAsync("real-token", default).AsTask();
        var answers = await Task.WhenAll(flood);
        var elapsed = watch.Elapsed;

        Assert.All(answers, Assert.Null);
        Assert.Equal("real-token.thumb", await real);
        // One read for every waiter, at most one every 200 ms, however many requests came.
        Assert.InRange(reads.Count, 1, 1 + (int)Math.Ceiling(elapsed / TimeSpan.FromMilliseconds(200)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("tok en")]
    [InlineData("tok%2e1")]
    [InlineData("tok\0")]
    [InlineData("tok=")]
    [InlineData("tok\u00e9")]
    public async Task Http01_MalformedToken_IsRefusedWithoutAStoreRead(string token)
    {
        token = System.Text.RegularExpressions.Regex.Unescape(token);
        var reads = new CountingAnswerStore(_other);
        var other = new Http01ChallengeResponder(reads);

        Assert.Null(await other.AnswerAsync(token, default));
        Assert.Null(await other.AnswerAsync(new string('a', 257), default));
        Assert.Equal(0, reads.Count);
    }

    /// <summary>Counts the reads of challenge answers that reach the store.</summary>
    private sealed class CountingAnswerStore(IChallengeAnswerStore inner) : IChallengeAnswerStore
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task SaveChallengeAnswerAsync(string type, string name, string answer, CancellationToken cancellationToken) =>
            inner.SaveChallengeAnswerAsync(type, name, answer, cancellationToken);

        public Task DeleteChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken) =>
            inner.DeleteChallengeAnswerAsync(type, name, cancellationToken);

        public Task<string?> FindChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.FindChallengeAnswerAsync(type, name, cancellationToken);
        }

        public Task<IReadOnlyDictionary<string, string>> ListChallengeAnswersAsync(string type, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return inner.ListChallengeAnswersAsync(type, cancellationToken);
        }
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
