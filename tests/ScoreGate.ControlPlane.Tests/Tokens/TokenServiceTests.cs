using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.ControlPlane.Store;
using ScoreGate.ControlPlane.Tokens;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Tests.Tokens;

/// <summary>Signing keys rotate weekly when tokens are asked for; a replaced key verifies until its tokens have expired.</summary>
public sealed class TokenServiceTests : IAsyncLifetime
{
    // Starts at the real time: the published verifier checks lifetimes on the system clock.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private PublishingStore _published = null!;
    private TokenService _tokens = null!;

    /// <summary>What tokens for endpoint iris carry: its name and incarnation.</summary>
    private string IrisAudience => _published.Routes.Current.Find("iris")!.TokenAudience;

    public async Task InitializeAsync()
    {
        _published = await PublishingStore.OpenAsync();
        _tokens = new TokenService(_published.Store, _published.Publisher, _time);
        var endpoints = new EndpointService(_published.Store, _published.Publisher, _time, NullLogger<EndpointService>.Instance);
        await endpoints.CreateEndpointAsync("iris", "aml_token", null, default);
    }

    public Task DisposeAsync()
    {
        _tokens.Dispose();
        _published.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FirstToken_CreatesTheSigningKey_AndPublishesIt()
    {
        var token = (await _tokens.GetTokenAsync("iris", default)).Value!;

        var key = Assert.Single(await _published.Store.ListTokenSigningKeysAsync());
        Assert.Equal(TokenCheck.Valid, await (await VerifierAsync()).CheckAsync(token.AccessToken, IrisAudience));
        Assert.Equal((_time.GetUtcNow() + EndpointTokens.Lifetime).ToUnixTimeSeconds(), token.ExpiryTimeUtc);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(TokenCheck.Valid, await _published.Routes.Current.Tokens.CheckAsync((await _tokens.GetTokenAsync("iris", default)).Value!.AccessToken, IrisAudience));
        Assert.Equal(key, Assert.Single(await _published.Store.ListTokenSigningKeysAsync()));
    }

    [Fact]
    public async Task AfterAWeek_ANewKeySigns_TheOldOneVerifiesUntilItsLastTokenExpires_ThenIsDeleted()
    {
        await _tokens.GetTokenAsync("iris", default);
        _time.Advance(EndpointTokens.KeyRotation - TimeSpan.FromMinutes(1));
        var lastOfOld = (await _tokens.GetTokenAsync("iris", default)).Value!;

        _time.Advance(TimeSpan.FromMinutes(1));
        var firstOfNew = (await _tokens.GetTokenAsync("iris", default)).Value!;
        Assert.Equal(2, (await _published.Store.ListTokenSigningKeysAsync()).Count);
        Assert.Equal(TokenCheck.Valid, await (await VerifierAsync()).CheckAsync(lastOfOld.AccessToken, IrisAudience));
        Assert.Equal(TokenCheck.Valid, await (await VerifierAsync()).CheckAsync(firstOfNew.AccessToken, IrisAudience));

        _time.Advance(EndpointTokens.Lifetime + EndpointTokens.ClockSkew + TimeSpan.FromSeconds(1));
        var later = (await _tokens.GetTokenAsync("iris", default)).Value!;

        Assert.Single(await _published.Store.ListTokenSigningKeysAsync());
        Assert.Equal(TokenCheck.Valid, await (await VerifierAsync()).CheckAsync(later.AccessToken, IrisAudience));
    }

    [Fact]
    public async Task GetToken_UnknownEndpoint_IsNotFound()
    {
        var result = await _tokens.GetTokenAsync("nope", default);

        Assert.Equal(OperationErrorKind.NotFound, result.Error!.Kind);
        Assert.Empty(await _published.Store.ListTokenSigningKeysAsync());
    }

    /// <summary>Checks against the stored keys on the test's clock.</summary>
    private async Task<TokenVerifier> VerifierAsync()
    {
        var keys = await _published.Store.ListTokenSigningKeysAsync();
        return new TokenVerifier(keys.ToDictionary(k => k.Id, k =>
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(k.KeyPem);
            return key.ExportSubjectPublicKeyInfo();
        }), _time);
    }
}
