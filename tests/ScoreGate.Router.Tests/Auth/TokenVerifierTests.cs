using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using ScoreGate.Router.Auth;

namespace ScoreGate.Router.Tests.Auth;

public sealed class TokenVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public async Task Check_TokenForThisEndpoint_IsValid()
    {
        var token = Sign("k1", "iris", Now);

        Assert.Equal(TokenCheck.Valid, await Verifier(("k1", _key)).CheckAsync(token, "iris"));
    }

    [Fact]
    public async Task Check_TokenForAnotherEndpoint_IsRefusedAsSuch()
    {
        var token = Sign("k1", "iris", Now);

        Assert.Equal(TokenCheck.OtherEndpoint, await Verifier(("k1", _key)).CheckAsync(token, "penguins"));
    }

    [Fact]
    public async Task Check_PastItsLifetimeAndSkew_IsExpired_WithinIt_IsValid()
    {
        var token = Sign("k1", "iris", Now);
        var verifier = Verifier(("k1", _key));

        _time.Advance(EndpointTokens.Lifetime + EndpointTokens.ClockSkew - TimeSpan.FromSeconds(1));
        Assert.Equal(TokenCheck.Valid, await verifier.CheckAsync(token, "iris"));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TokenCheck.Expired, await verifier.CheckAsync(token, "iris"));
    }

    [Fact]
    public async Task Check_IssuedInTheFuture_IsExpired()
    {
        var token = Sign("k1", "iris", Now + TimeSpan.FromMinutes(5));

        Assert.Equal(TokenCheck.Expired, await Verifier(("k1", _key)).CheckAsync(token, "iris"));
    }

    [Fact]
    public async Task Check_SignedByAnUnknownKey_OrTampered_OrGarbage_IsInvalid()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = Verifier(("k1", _key));
        var foreign = TokenSigner.Sign("k1", stranger, "iris", Now);
        var token = Sign("k1", "iris", Now);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{parts[1][..^2]}AA.{parts[2]}";

        Assert.Equal(TokenCheck.Invalid, await verifier.CheckAsync(foreign, "iris"));
        Assert.Equal(TokenCheck.Invalid, await verifier.CheckAsync(tampered, "iris"));
        Assert.Equal(TokenCheck.Invalid, await verifier.CheckAsync("not-a-token", "iris"));
        Assert.Equal(TokenCheck.Invalid, await verifier.CheckAsync(string.Empty, "iris"));
        Assert.Equal(TokenCheck.Invalid, await TokenVerifier.None.CheckAsync(token, "iris"));
    }

    [Fact]
    public async Task Check_AfterRotation_TokensOfTheOldKeyStillVerify_WhileItIsKept()
    {
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var old = Sign("k1", "iris", Now);
        var fresh = TokenSigner.Sign("k2", next, "iris", Now);

        var both = Verifier(("k1", _key), ("k2", next));
        var onlyNew = Verifier(("k2", next));

        Assert.Equal(TokenCheck.Valid, await both.CheckAsync(old, "iris"));
        Assert.Equal(TokenCheck.Valid, await both.CheckAsync(fresh, "iris"));
        Assert.Equal(TokenCheck.Invalid, await onlyNew.CheckAsync(old, "iris"));
    }

    private string Sign(string keyId, string endpoint, DateTimeOffset issuedAt) => TokenSigner.Sign(keyId, _key, endpoint, issuedAt);

    private TokenVerifier Verifier(params (string Id, ECDsa Key)[] keys) =>
        new(keys.ToDictionary(k => k.Id, k => k.Key.ExportSubjectPublicKeyInfo()), _time);
}
