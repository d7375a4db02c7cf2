using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ScoreGate.Router.Auth;

namespace ScoreGate.Router.Tests.Auth;

public sealed class OidcTokenValidatorTests : IDisposable
{
    private const string Audience = "api://scoring";

    private readonly LoopbackOidcProvider _provider = new();
    // Whole seconds, as in tokens: the skew boundaries are then exact.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly HttpClient _http = OidcHttpClient.Create(null);
    private readonly OidcKeySource _keys;
    private readonly OidcTokenValidator _validator;

    public OidcTokenValidatorTests()
    {
        _keys = new OidcKeySource(new OidcSettings(new Uri(_provider.Issuer), Audience), _http, _time, NullLogger<OidcKeySource>.Instance);
        _validator = new OidcTokenValidator(_keys, _time);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    public void Dispose()
    {
        _provider.Dispose();
        _http.Dispose();
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.EcdsaSha256)]
    public async Task Check_TokenOfTheProvider_IsAccepted_WithItsSubject(string alg)
    {
        var kid = _provider.AddKey(alg);
        var token = _provider.Sign(kid, _provider.Claims(Now, Audience, subject: "svc-42"));

        var check = await Check(token);

        Assert.Equal(OidcTokenFailure.None, check.Failure);
        Assert.Equal("svc-42", check.Subject);
    }

    [Fact]
    public async Task Check_AlgNone_IsRefused()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var token = LoopbackOidcProvider.Handmade(new JsonObject { ["alg"] = "none", ["kid"] = kid, ["typ"] = "JWT" }, _provider.Claims(Now, Audience));

        var check = await Check(token);

        Assert.Equal(OidcTokenFailure.AlgorithmNotAllowed, check.Failure);
        Assert.Equal("The token's signing algorithm ('none') is not accepted: only RS256, PS256, ES256 with the provider's published keys are. " +
            $"Get an access token from {_provider.Issuer} for the audience '{Audience}'.", check.Detail);
    }

    [Fact]
    public async Task Check_Hs256SignedWithThePublicKey_IsRefused()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var publicKey = System.Text.Encoding.ASCII.GetBytes(((RSA)_provider.KeyOf(kid)).ExportSubjectPublicKeyInfoPem());
        var token = LoopbackOidcProvider.Handmade(new JsonObject { ["alg"] = "HS256", ["kid"] = kid, ["typ"] = "JWT" }, _provider.Claims(Now, Audience),
            input => HMACSHA256.HashData(publicKey, input));

        Assert.Equal(OidcTokenFailure.AlgorithmNotAllowed, (await Check(token)).Failure);
    }

    [Fact]
    public async Task Check_AnotherIssuer_IsRefused()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var claims = _provider.Claims(Now, Audience);
        claims["iss"] = "https://evil.example.com";

        var check = await Check(_provider.Sign(kid, claims));

        Assert.Equal(OidcTokenFailure.WrongIssuer, check.Failure);
        Assert.Equal("wrong_issuer", check.Reason);
    }

    [Fact]
    public async Task Check_WrongAudience_IsRefused_NamingTheAudienceNeeded()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.EcdsaSha256);

        var check = await Check(_provider.Sign(kid, _provider.Claims(Now, "api://another")));

        Assert.Equal(OidcTokenFailure.WrongAudience, check.Failure);
        Assert.Contains($"'aud' to be '{Audience}' (oidcAudience)", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SignedByAKeyTheProviderDoesNotPublish_IsRefused()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        using var stranger = RSA.Create(2048);
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = _provider.Claims(Now, Audience),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });

        Assert.Equal(OidcTokenFailure.BadSignature, (await Check(forged)).Failure);
    }

    [Fact]
    public async Task Check_PastExpiryBeyondTheSkew_IsExpired_WithinTheSkew_IsAccepted()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var token = _provider.Sign(kid, _provider.Claims(Now, Audience));

        _time.Advance(TimeSpan.FromHours(1) + OidcTokenValidator.ClockSkew);
        Assert.Equal(OidcTokenFailure.None, (await Check(token)).Failure);

        _time.Advance(TimeSpan.FromSeconds(1));
        var check = await Check(token);
        Assert.Equal(OidcTokenFailure.Expired, check.Failure);
        Assert.Equal("expired", check.Reason);
    }

    [Fact]
    public async Task Check_NotBeforeInTheFutureBeyondTheSkew_IsNotYetValid()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var later = _provider.Claims(Now + OidcTokenValidator.ClockSkew + TimeSpan.FromSeconds(5), Audience);
        var slightlyLater = _provider.Claims(Now + OidcTokenValidator.ClockSkew - TimeSpan.FromSeconds(5), Audience);

        Assert.Equal(OidcTokenFailure.NotYetValid, (await Check(_provider.Sign(kid, later))).Failure);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(kid, slightlyLater))).Failure);
    }

    [Fact]
    public async Task Check_WithoutExpiry_IsRefused()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var claims = _provider.Claims(Now, Audience);
        claims.Remove("exp");

        Assert.Equal(OidcTokenFailure.Expired, (await Check(_provider.Sign(kid, claims))).Failure);
    }

    [Theory]
    [InlineData("exp", 253402300800)]
    [InlineData("exp", long.MaxValue)]
    [InlineData("exp", -1_000_000_000_000_000_000)]
    [InlineData("nbf", long.MaxValue)]
    [InlineData("nbf", long.MinValue)]
    public async Task Check_SignedTokenWithATimeOutOfRange_IsMalformed_NeverAnError(string claim, long value)
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var claims = _provider.Claims(Now, Audience);
        claims[claim] = value;

        var check = await Check(_provider.Sign(kid, claims));

        Assert.Equal(OidcTokenFailure.Malformed, check.Failure);
        Assert.StartsWith("The token's 'exp' or 'nbf' is not a time between the years 1 and 9999.", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CriticalHeaderExtension_IsRefused_EvenWhenSigned()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var header = new Dictionary<string, object> { ["crit"] = new[] { "exp2" }, ["exp2"] = 1 };

        var check = await Check(_provider.Sign(kid, _provider.Claims(Now, Audience), header: header));

        Assert.Equal(OidcTokenFailure.Malformed, check.Failure);
        Assert.Contains("critical extensions ('crit')", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AudienceWithATrailingSlash_IsWrongAudience()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);

        Assert.Equal(OidcTokenFailure.WrongAudience, (await Check(_provider.Sign(kid, _provider.Claims(Now, Audience + "/")))).Failure);
    }

    [Fact]
    public async Task Check_OidThatIsNotAString_IsNoSubject_SubIsUsed()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var claims = _provider.Claims(Now, Audience, subject: "svc-7");
        claims["oid"] = 42;

        Assert.Equal("svc-7", (await Check(_provider.Sign(kid, claims))).Subject);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.!!!")]
    [InlineData("bm90IGpzb24.e30.c2ln")]
    [InlineData("eyJhbGciOjF9.bm90IGpzb24.c2ln")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln.e30.c2ln")]
    public async Task Check_Garbage_IsMalformed(string token)
    {
        _provider.AddKey(SecurityAlgorithms.RsaSha256);

        Assert.Equal(OidcTokenFailure.Malformed, (await Check(token)).Failure);
    }

    [Fact]
    public async Task Check_UnknownKid_RefreshesOnce_AndAtMostOncePerInterval()
    {
        var first = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(first, _provider.Claims(Now, Audience)))).Failure);
        Assert.Equal(1, _provider.MetadataFetches);

        // The provider rotates: a token with the new kid makes the one refresh, and is accepted.
        _time.Advance(OidcKeySource.MinFetchInterval);
        var rotated = _provider.AddKey(SecurityAlgorithms.EcdsaSha256);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(rotated, _provider.Claims(Now, Audience)))).Failure);
        Assert.Equal(2, _provider.MetadataFetches);

        // Another new kid within the interval: no fetch, refused.
        var third = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var check = await Check(_provider.Sign(third, _provider.Claims(Now, Audience)));
        Assert.Equal(OidcTokenFailure.UnknownKey, check.Failure);
        Assert.Equal(2, _provider.MetadataFetches);

        // Once the interval has passed, the next unknown kid may refresh again.
        _time.Advance(OidcKeySource.MinFetchInterval);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(third, _provider.Claims(Now, Audience)))).Failure);
        Assert.Equal(3, _provider.MetadataFetches);
    }

    [Fact]
    public async Task Check_ManyConcurrentFirstTokens_ShareOneFetch()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var token = _provider.Sign(kid, _provider.Claims(Now, Audience));

        var checks = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Check(token))));

        Assert.All(checks, c => Assert.Equal(OidcTokenFailure.None, c.Failure));
        Assert.Equal(1, _provider.MetadataFetches);
    }

    [Fact]
    public async Task Check_ProviderDown_CachedKeysKeepWorking_AndTheOutageIsReported()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(kid, _provider.Claims(Now, Audience)))).Failure);
        Assert.Null(_keys.Outage);

        _provider.Down = true;
        _time.Advance(OidcKeySource.MinFetchInterval);
        var unknown = await Check(_provider.Sign(_provider.AddKey(SecurityAlgorithms.RsaSha256), _provider.Claims(Now, Audience)));

        Assert.Equal(OidcTokenFailure.UnknownKey, unknown.Failure);
        Assert.NotNull(_keys.Outage);
        Assert.StartsWith($"cannot be fetched from {_provider.Issuer}/.well-known/openid-configuration", _keys.Outage!.Problem, StringComparison.Ordinal);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(kid, _provider.Claims(Now, Audience)))).Failure);

        // Old keys are refetched in the background; the fetch fails and the cached key still answers.
        _time.Advance(OidcKeySource.MaxKeyAge);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(kid, _provider.Claims(Now, Audience)))).Failure);

        _provider.Down = false;
        _time.Advance(OidcKeySource.MinFetchInterval);
        Assert.Equal(OidcTokenFailure.None, (await Check(_provider.Sign(kid, _provider.Claims(Now, Audience)))).Failure);
        await Eventually.TrueAsync(() => _keys.Outage is null, "the outage did not end after the provider came back");
    }

    [Fact]
    public async Task Check_ProviderNeverReached_IsProviderUnavailable_NotTheCallersFault()
    {
        _provider.AddKey(SecurityAlgorithms.RsaSha256);
        _provider.Down = true;
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);

        var check = await Check(_provider.Sign(kid, _provider.Claims(Now, Audience)));

        Assert.Equal(OidcTokenFailure.ProviderUnavailable, check.Failure);
        Assert.NotNull(_keys.Outage);
    }

    [Fact]
    public async Task Check_MetadataForAnotherIssuer_IsNotTrusted()
    {
        _provider.AnnouncedIssuer = "https://other.example.com";
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);

        var check = await Check(_provider.Sign(kid, _provider.Claims(Now, Audience)));

        Assert.Equal(OidcTokenFailure.ProviderUnavailable, check.Failure);
        Assert.Equal($"names issuer 'https://other.example.com', not '{_provider.Issuer}' (oidcAuthority); its keys were not taken", _keys.Outage!.Problem);
    }

    [Fact]
    public async Task Check_TokenLackingARequiredRole_IsNotAllowed_WithTheRoleNamed()
    {
        var kid = _provider.AddKey(SecurityAlgorithms.RsaSha256);
        var claims = _provider.Claims(Now, Audience);
        claims["roles"] = new[] { "reader" };
        var token = _provider.Sign(kid, claims);

        var refused = await _validator.CheckAsync(token, new AllowedCallers(["Scorer"], [], []), CancellationToken.None);
        var allowed = await _validator.CheckAsync(token, new AllowedCallers(["Scorer", "reader"], [], []), CancellationToken.None);

        Assert.Equal(OidcTokenFailure.NotAllowed, refused.Failure);
        Assert.Equal("The token is valid but lacks one of the roles 'Scorer' in its 'roles' claim. Ask the provider's administrator to grant it, then get a new token.", refused.Detail);
        Assert.Equal("client-1", refused.Subject);
        Assert.Equal(OidcTokenFailure.None, allowed.Failure);
    }

    private Task<OidcTokenCheck> Check(string token) => _validator.CheckAsync(token, AllowedCallers.Anyone, CancellationToken.None).AsTask();
}
