using System.Net;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// aad_token in the Native AOT binary: the OpenID Connect metadata and JWKS are parsed by
/// Microsoft.IdentityModel, which must survive trimming. A provider token scores; status shows the provider.
/// </summary>
public sealed class NativeAotOidcTests(PublishedBinary published) : IClassFixture<PublishedBinary>
{
    private const string Audience = "api://scoregate-aot";

    [Fact]
    public async Task PublishedBinary_AcceptsAProviderToken_AndRefusesAnotherAudience()
    {
        using var provider = await OidcProviderServer.StartAsync();
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(
            ["--allowInsecureConnections", "true", "--oidcAuthority", provider.Issuer, "--oidcAudience", Audience, "--oidcCaBundle", provider.CaBundleFile],
            executable: published.Path);
        await router.ExpectSuccessAsync("endpoint", "create", "--name", "aot-oidc", "--auth-mode", "aad_token", "--allowed-roles", "scorer");
        await router.ExpectSuccessAsync("deployment", "create", "--endpoint", "aot-oidc", "--name", "blue", "--url", model.Url);
        await router.ExpectSuccessAsync("endpoint", "update", "--name", "aot-oidc", "--traffic", "blue=100");
        using var client = new HttpClient { BaseAddress = router.HttpBase };

        var valid = await ScoreAsync(client, "aot-oidc", await provider.GetAccessTokenAsync(Audience));
        var otherAudience = await ScoreAsync(client, "aot-oidc", await provider.GetAccessTokenAsync("api://elsewhere"));
        var status = await router.ExpectSuccessAsync("status");

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience.StatusCode);
        Assert.Contains($"oidc        ok ({provider.Issuer}; 1 key(s) cached)", status.StandardOutput, StringComparison.Ordinal);
    }
}
