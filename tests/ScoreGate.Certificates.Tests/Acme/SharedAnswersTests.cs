using ScoreGate.Certificates.Acme;

namespace ScoreGate.Certificates.Tests.Acme;

/// <summary>A store that fails costs only the answers other routers would give: this router's own still work, and nothing throws.</summary>
public sealed class SharedAnswersTests
{
    [Fact]
    public async Task Http01_StoreDown_PresentSaysWhyTheAnswerIsNotShared_ButAnswersItsOwnToken()
    {
        var responder = new Http01ChallengeResponder(new UnreachableStore());

        var problem = await responder.PresentAsync("iris.endpoints.test", "tok-1", "tok-1.thumb", default);

        Assert.Equal("The http-01 answer could not be shared with the other routers through the store: connection refused", problem);
        Assert.Equal("tok-1.thumb", await responder.AnswerAsync("tok-1", default));
        Assert.Null(await responder.AnswerAsync("tok-2", default));
        await responder.CleanupAsync("iris.endpoints.test", "tok-1", "tok-1.thumb", default);
        Assert.Null(await responder.AnswerAsync("tok-1", default));
    }

    [Fact]
    public async Task TlsAlpn01_StoreDown_PresentSaysWhy_AndUnknownNamesGetNoCertificate()
    {
        var responder = new TlsAlpn01ChallengeResponder(new UnreachableStore());

        var problem = await responder.PresentAsync("iris.endpoints.test", "tok-1", "tok-1.thumb", default);

        Assert.Equal("The tls-alpn-01 answer could not be shared with the other routers through the store: connection refused", problem);
        Assert.NotNull(await responder.CertificateForAsync("IRIS.endpoints.test", default));
        Assert.Null(await responder.CertificateForAsync("other.endpoints.test", default));
    }

    private sealed class UnreachableStore : IChallengeAnswerStore
    {
        public Task SaveChallengeAnswerAsync(string type, string name, string answer, CancellationToken cancellationToken) => throw new IOException("connection refused");

        public Task DeleteChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken) => throw new IOException("connection refused");

        public Task<string?> FindChallengeAnswerAsync(string type, string name, CancellationToken cancellationToken) => throw new IOException("connection refused");

        public Task<IReadOnlyDictionary<string, string>> ListChallengeAnswersAsync(string type, CancellationToken cancellationToken) => throw new IOException("connection refused");
    }
}
