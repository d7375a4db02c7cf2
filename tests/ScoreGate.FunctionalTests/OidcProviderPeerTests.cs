using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// The OpenID Connect test peer itself (tests/peers/oidc-provider, <see cref="OidcProviderServer"/>):
/// the aad_token tests rely on it issuing what a real authority issues, so it is checked here
/// with signatures verified against its published JWKS.
/// </summary>
public sealed class OidcProviderPeerTests
{
    private const string Audience = "api://scoregate-tests";

    [Fact]
    public async Task Discovery_NamesTheIssuerAndJwksUri_OverHttpsTrustedOnlyThroughTheCaFile()
    {
        using var provider = await OidcProviderServer.StartAsync();
        using var http = provider.CreateHttpClient();

        var discovery = JsonNode.Parse(await http.GetStringAsync(provider.DiscoveryUrl))!;

        Assert.Equal(provider.Issuer, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(provider.JwksUrl.ToString(), discovery["jwks_uri"]!.GetValue<string>());
        Assert.Equal(provider.TokenUrl.ToString(), discovery["token_endpoint"]!.GetValue<string>());
        Assert.Contains("client_credentials", discovery["grant_types_supported"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.StartsWith("https://127.0.0.1:", provider.Issuer, StringComparison.Ordinal);

        // The test CA is not trusted by the machine: only a client given the CA file connects.
        using var untrusting = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetStringAsync(provider.DiscoveryUrl));
    }

    [Fact]
    public async Task ClientCredentialsToken_IsAJwtForTheAudience_SignedByTheCurrentKey()
    {
        using var provider = await OidcProviderServer.StartAsync([new OidcClient("scorer", "scorer-secret", Roles: ["scorer", "reader"])]);

        var token = await provider.GetAccessTokenAsync(Audience, "scorer");

        Assert.Equal(3, token.Split('.').Length);
        var (header, payload) = OidcProviderServer.Decode(token);
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal("at+jwt", header["typ"]!.GetValue<string>());
        Assert.Equal(provider.CurrentKeyId, header["kid"]!.GetValue<string>());
        Assert.Equal(Audience, payload["aud"]!.GetValue<string>());
        Assert.Equal(provider.Issuer, payload["iss"]!.GetValue<string>());
        Assert.Equal("scorer", payload["sub"]!.GetValue<string>());
        Assert.Equal("scorer", payload["client_id"]!.GetValue<string>());
        Assert.Equal("score", payload["scope"]!.GetValue<string>());
        Assert.Equal(["scorer", "reader"], payload["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(3600, payload["exp"]!.GetValue<long>() - payload["iat"]!.GetValue<long>());
        Assert.True(Verifies(token, await provider.GetJwksAsync()), "The token's signature does not verify against the provider's JWKS.");
    }

    [Fact]
    public async Task BareAudience_AndClientWithoutRoles_GiveThatAudAndNoRolesClaim()
    {
        using var provider = await OidcProviderServer.StartAsync([new OidcClient("plain", "plain-secret")]);
        var applicationId = "6f1c2a3b-0d4e-4f5a-9b8c-7d6e5f4a3b2c";

        var (_, payload) = OidcProviderServer.Decode(await provider.GetAccessTokenAsync(applicationId));

        Assert.Equal(applicationId, payload["aud"]!.GetValue<string>());
        Assert.Equal("plain", payload["sub"]!.GetValue<string>());
        Assert.False(payload.ContainsKey("roles"));
    }

    [Fact]
    public async Task WrongSecret_IsRefusedByTheTokenEndpoint()
    {
        using var provider = await OidcProviderServer.StartAsync();

        using var response = await provider.RequestTokenAsync(Audience, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rotation_SignsWithANewKid_PublishedBesideTheOldOne_UntilRetired()
    {
        using var provider = await OidcProviderServer.StartAsync();
        var before = await provider.GetAccessTokenAsync(Audience);
        var oldKid = provider.CurrentKeyId;

        var newKid = await provider.RotateSigningKeyAsync();
        var after = await provider.GetAccessTokenAsync(Audience);

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, provider.CurrentKeyId);
        Assert.Equal(newKid, OidcProviderServer.Decode(after).Header["kid"]!.GetValue<string>());
        Assert.Equal(0, await provider.GetRequestCountAsync("/jwks"));
        var jwks = await provider.GetJwksAsync();
        Assert.Equal(1, await provider.GetRequestCountAsync("/jwks"));
        Assert.Equal([newKid, oldKid], KeyIds(jwks));
        Assert.True(Verifies(after, jwks));
        Assert.True(Verifies(before, jwks));

        var third = await provider.RotateSigningKeyAsync(retirePrevious: true);
        jwks = await provider.GetJwksAsync();
        Assert.Equal([third], KeyIds(jwks));
        Assert.False(Verifies(after, jwks));
    }

    [Fact]
    public async Task SignAsync_SignsExactlyTheClaimsGiven_WithTheCurrentKey_OrAnUnpublishedOne()
    {
        using var provider = await OidcProviderServer.StartAsync();
        var claims = provider.ClaimsFor(Audience, issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1));
        claims.Remove("roles");
        claims["iss"] = "https://elsewhere.example";

        var token = await provider.SignAsync(claims);
        var pss = await provider.SignAsync(claims, algorithm: "PS256");
        var forged = await provider.SignAsync(claims, unpublishedKey: true);
        var jwks = await provider.GetJwksAsync();

        var (header, payload) = OidcProviderServer.Decode(token);
        Assert.Equal(provider.CurrentKeyId, header["kid"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(claims, payload), $"Signed payload differs: {payload.ToJsonString()}");
        Assert.True(payload["exp"]!.GetValue<long>() < DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.True(Verifies(token, jwks));
        Assert.Equal("PS256", OidcProviderServer.Decode(pss).Header["alg"]!.GetValue<string>());
        Assert.True(Verifies(pss, jwks));
        Assert.DoesNotContain(OidcProviderServer.Decode(forged).Header["kid"]!.GetValue<string>(), KeyIds(jwks));
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.SignAsync(claims, algorithm: "ES256"));
    }

    [Fact]
    public async Task Es256Provider_IssuesEs256Tokens_AndCanRotateToAnotherAlgorithm()
    {
        using var provider = await OidcProviderServer.StartAsync(algorithm: "ES256");

        var token = await provider.GetAccessTokenAsync(Audience);
        await provider.RotateSigningKeyAsync(algorithm: "PS256");
        var pss = await provider.GetAccessTokenAsync(Audience);

        Assert.Equal("ES256", OidcProviderServer.Decode(token).Header["alg"]!.GetValue<string>());
        Assert.Equal("PS256", provider.CurrentAlgorithm);
        Assert.Equal("PS256", OidcProviderServer.Decode(pss).Header["alg"]!.GetValue<string>());
        var jwks = await provider.GetJwksAsync();
        Assert.True(Verifies(token, jwks));
        Assert.True(Verifies(pss, jwks));
    }

    [Fact]
    public async Task StopThenStartAgain_ServesAgainOnTheSamePortWithTheSameKey()
    {
        using var provider = await OidcProviderServer.StartAsync();
        var issuer = provider.Issuer;
        var kid = provider.CurrentKeyId;

        provider.Stop();
        await Assert.ThrowsAsync<HttpRequestException>(() => provider.GetAccessTokenAsync(Audience));
        await provider.StartAgainAsync();
        var token = await provider.GetAccessTokenAsync(Audience);

        Assert.Equal(issuer, provider.Issuer);
        Assert.Equal(kid, provider.CurrentKeyId);
        Assert.Equal(kid, OidcProviderServer.Decode(token).Header["kid"]!.GetValue<string>());
        Assert.Equal(issuer, OidcProviderServer.Decode(token).Payload["iss"]!.GetValue<string>());
    }

    private static List<string> KeyIds(JsonObject jwks) =>
        [.. jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>())];

    /// <summary>Checks the signature with the JWKS key named by the header's kid (false if none).</summary>
    private static bool Verifies(string token, JsonObject jwks)
    {
        var parts = token.Split('.');
        var (header, _) = OidcProviderServer.Decode(token);
        var kid = header["kid"]!.GetValue<string>();
        var alg = header["alg"]!.GetValue<string>();
        var jwk = jwks["keys"]!.AsArray().FirstOrDefault(k => k!["kid"]!.GetValue<string>() == kid);
        if (jwk is null)
        {
            return false;
        }

        Assert.False(jwk.AsObject().ContainsKey("d"), "The JWKS publishes a private key.");
        var data = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        var signature = Base64Url(parts[2]);
        if (alg.StartsWith("ES", StringComparison.Ordinal))
        {
            using var ec = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url(jwk["x"]!.GetValue<string>()), Y = Base64Url(jwk["y"]!.GetValue<string>()) },
            });
            return ec.VerifyData(data, signature, HashAlgorithmName.SHA256);
        }

        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url(jwk["n"]!.GetValue<string>()),
            Exponent = Base64Url(jwk["e"]!.GetValue<string>()),
        });
        var padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, padding);
    }

    private static byte[] Base64Url(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
