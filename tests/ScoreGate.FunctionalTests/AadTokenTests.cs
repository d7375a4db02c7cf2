using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// <c>auth_mode: aad_token</c> against a real OpenID Connect provider (node oidc-provider on
/// HTTPS loopback, trusted through oidcCaBundle): real client-credentials tokens, real key
/// rotation, a real outage.
/// </summary>
public sealed class AadTokenTests(AadTokenTests.ProviderFixture fixture) : IClassFixture<AadTokenTests.ProviderFixture>
{
    private const string Audience = "api://scoregate-tests";

    /// <summary>A client the provider gives no roles to.</summary>
    private static readonly OidcClient NoRoles = new("no-roles-client", "no-roles-secret");

    [Fact]
    public async Task ProviderToken_Scores200_AndTheAccessLogHasItsSubjectNeverTheToken()
    {
        await fixture.CreateEndpointAsync("oidc-valid");
        var token = await fixture.Provider.GetAccessTokenAsync(Audience);

        var response = await ScoreAsync(fixture.Client, "oidc-valid", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subject = Payload(token)["sub"]!.GetValue<string>();
        await fixture.Router.Process.WaitForLineAsync(l => l.Contains("/api/v1/service/oidc-valid/score 200", StringComparison.Ordinal) && l.Contains($"subject=\"{subject}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(token, fixture.Router.Process.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], fixture.Router.Process.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTokens_Get401_WithInvalidTokenChallenge_AndAMessage()
    {
        await fixture.CreateEndpointAsync("oidc-bad");
        var provider = fixture.Provider;
        var otherIssuer = provider.ClaimsFor(Audience);
        otherIssuer["iss"] = "https://attacker.example.com";
        var cases = new (string Name, string Token, string Message)[]
        {
            ("wrong audience", await provider.GetAccessTokenAsync("api://another-api"), "The token is for another audience"),
            ("another issuer", await provider.SignAsync(otherIssuer), "The token was issued by another issuer"),
            ("expired", await provider.SignAsync(provider.ClaimsFor(Audience, issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1))), "The token expired at"),
            ("alg none", Handmade("none", provider.CurrentKeyId, provider.ClaimsFor(Audience), null), "The token's signing algorithm ('none') is not accepted"),
            ("HS256 with the public key", Handmade("HS256", provider.CurrentKeyId, provider.ClaimsFor(Audience), await PublicKeyPemAsync()), "The token's signing algorithm ('HS256') is not accepted"),
        };

        foreach (var (name, token, message) in cases)
        {
            var response = await ScoreAsync(fixture.Client, "oidc-bad", token);

            Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{name}: {response.StatusCode}");
            var challenge = response.Headers.WwwAuthenticate.Single();
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.StartsWith("error=\"invalid_token\", error_description=\"", challenge.Parameter, StringComparison.Ordinal);
            Assert.StartsWith($"The token is not valid for endpoint 'oidc-bad'. {message}", await MessageAsync(response), StringComparison.Ordinal);
        }

        var bare = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/oidc-bad/score") { Content = Json("{}") });
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
        Assert.Equal("Bearer", bare.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task RoleRestriction_TokenWithoutTheRole_Gets403_WithIt_200()
    {
        await fixture.CreateEndpointAsync("oidc-roles", "--allowed-roles", "scorer");
        var shown = await fixture.Router.ExpectSuccessAsync("endpoint", "show", "--name", "oidc-roles");

        var without = await ScoreAsync(fixture.Client, "oidc-roles", await fixture.Provider.GetAccessTokenAsync(Audience, NoRoles.ClientId));
        var with = await ScoreAsync(fixture.Client, "oidc-roles", await fixture.Provider.GetAccessTokenAsync(Audience));

        Assert.Contains("\"allowed_callers\"", shown.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Equal("error=\"insufficient_scope\", error_description=\"The token lacks a role, scope or subject this endpoint requires\"", without.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Equal("Endpoint 'oidc-roles' refuses this caller. The token is valid but lacks one of the roles 'scorer' in its 'roles' claim. Ask the provider's administrator to grant it, then get a new token.",
            await MessageAsync(without));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task ProviderRotatesItsKey_TokenWithTheNewKid_Scores200_WithoutARestart()
    {
        await fixture.CreateEndpointAsync("oidc-rotate");
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(fixture.Client, "oidc-rotate", await fixture.Provider.GetAccessTokenAsync(Audience))).StatusCode);
        var fetchesBefore = await fixture.Provider.GetRequestCountAsync("/jwks");

        var newKid = await fixture.Provider.RotateSigningKeyAsync(retirePrevious: true);
        var token = await fixture.Provider.GetAccessTokenAsync(Audience);

        Assert.Equal(newKid, Header(token)["kid"]!.GetValue<string>());
        // The router refetches keys at most once per 10 s, and may have fetched just before: retry until it has.
        await Eventually.TrueAsync(async () => (await ScoreAsync(fixture.Client, "oidc-rotate", token)).StatusCode == HttpStatusCode.OK,
            "a token signed with the rotated key was never accepted", TimeSpan.FromSeconds(30));
        Assert.True(await fixture.Provider.GetRequestCountAsync("/jwks") > fetchesBefore);
    }

    [Fact]
    public async Task ProviderStopped_CachedKeysStillScore200_AndStatusReportsTheOutage()
    {
        await using var own = await ProviderFixture.StartAsync();
        await own.CreateEndpointAsync("oidc-outage");
        var token = await own.Provider.GetAccessTokenAsync(Audience);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(own.Client, "oidc-outage", token)).StatusCode);
        var forged = await own.Provider.SignAsync(own.Provider.ClaimsFor(Audience), unpublishedKey: true);

        own.Provider.Stop();

        // A token with an unknown kid makes the router try the provider (at most once per 10 s).
        await Eventually.TrueAsync(async () =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ScoreAsync(own.Client, "oidc-outage", forged)).StatusCode);
            return (await own.Router.CliAsync("status")).StandardOutput.Contains("oidc        problem", StringComparison.Ordinal);
        }, "scoregate status never reported the provider's outage", TimeSpan.FromSeconds(30));
        var status = await own.Router.CliAsync("status");
        Assert.Contains($"The provider's metadata cannot be fetched from {own.Provider.Issuer}/.well-known/openid-configuration", status.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(own.Client, "oidc-outage", token)).StatusCode);
        Assert.Equal(0, (await own.Router.ScrapeMetricsAsync()).Value("scoregate_oidc_metadata_up"));
    }

    [Fact]
    public async Task GetCredentialsAndGetToken_OnAnAadTokenEndpoint_PointAtTheProvider()
    {
        await fixture.CreateEndpointAsync("oidc-nokeys");

        var credentials = await fixture.Router.CliAsync("endpoint", "get-credentials", "--name", "oidc-nokeys");
        var token = await fixture.Router.CliAsync("endpoint", "get-token", "--name", "oidc-nokeys");

        credentials.ExpectExitCode(1);
        token.ExpectExitCode(1);
        foreach (var run in new[] { credentials, token })
        {
            Assert.Contains("Endpoint 'oidc-nokeys' uses aad_token auth: its callers send access tokens from the router's OpenID Connect provider (oidcAuthority)", run.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EndpointFile_WithAllowedCallers_IsShown_FlagsChangeIt_AndAnotherModeRefusesIt()
    {
        using var files = new TempDirectory();
        var file = files.Write("endpoint.yml", "name: oidc-file\nauth_mode: aad_token\nallowed_callers:\n  roles: [scorer]\n  scopes: score\n");

        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "-f", file);
        using var created = JsonDocument.Parse((await fixture.Router.ExpectSuccessAsync("endpoint", "show", "--name", "oidc-file")).StandardOutput);
        await fixture.Router.ExpectSuccessAsync("endpoint", "update", "--name", "oidc-file", "--allowed-roles", "", "--allowed-scopes", "");
        using var lifted = JsonDocument.Parse((await fixture.Router.ExpectSuccessAsync("endpoint", "show", "--name", "oidc-file")).StandardOutput);
        var refused = await fixture.Router.CliAsync("endpoint", "update", "--name", "oidc-file", "--auth-mode", "key", "--allowed-roles", "admin");

        var callers = created.RootElement.GetProperty("allowed_callers");
        Assert.Equal("aad_token", created.RootElement.GetProperty("auth_mode").GetString());
        Assert.Equal(["scorer"], callers.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["score"], callers.GetProperty("scopes").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(JsonValueKind.Null, lifted.RootElement.GetProperty("allowed_callers").ValueKind);
        refused.ExpectExitCode(1);
        Assert.Contains("Endpoint 'oidc-file' uses key auth, but allowed_callers applies only to aad_token", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderNeverReached_Answers503WithoutAChallenge_AndStatusSaysWhy()
    {
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true", "--oidcAuthority", nowhere, "--oidcAudience", Audience]);
        await router.ExpectSuccessAsync("endpoint", "create", "--name", "oidc-dark", "--auth-mode", "aad_token");
        await router.ExpectSuccessAsync("deployment", "create", "--endpoint", "oidc-dark", "--name", "blue", "--url", model.Url);
        await router.ExpectSuccessAsync("endpoint", "update", "--name", "oidc-dark", "--traffic", "blue=100");
        using var client = new HttpClient { BaseAddress = router.HttpBase };
        var token = Handmade("RS256", "some-kid", new JsonObject { ["iss"] = nowhere, ["aud"] = Audience, ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }, null) + "c2ln";

        var response = await ScoreAsync(client, "oidc-dark", token);
        var status = await router.CliAsync("status");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal($"The router cannot verify tokens yet: the signing keys of {nowhere} could not be fetched. Retry shortly; the router's operator sees why with 'scoregate status'.", await MessageAsync(response));
        status.ExpectExitCode(0);
        Assert.Contains($"oidc        problem ({nowhere}; 0 key(s) cached)", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("No signing key was ever fetched: aad_token endpoints answer 503.", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AadTokenEndpoint_OnARouterWithoutOidcAuthority_IsRefused_AndNothingChanges()
    {
        await using var plain = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);

        var run = await plain.CliAsync("endpoint", "create", "--name", "oidc-nowhere", "--auth-mode", "aad_token");

        run.ExpectExitCode(1);
        Assert.Contains("Endpoint 'oidc-nowhere' cannot use aad_token: it needs the router setting oidcAuthority", run.StandardError, StringComparison.Ordinal);
        Assert.Equal("[]", (await plain.ExpectSuccessAsync("endpoint", "list")).StandardOutput.Trim());
    }

    private static JsonObject Payload(string token) => (JsonObject)JsonNode.Parse(Base64Url(token.Split('.')[1]))!;

    private static JsonObject Header(string token) => (JsonObject)JsonNode.Parse(Base64Url(token.Split('.')[0]))!;

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A JWS no real provider would make: unsigned, or HMAC-signed with <paramref name="secret"/>.</summary>
    private static string Handmade(string alg, string kid, JsonObject claims, byte[]? secret)
    {
        var input = $"{Encode(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid }.ToJsonString()))}.{Encode(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        return secret is null ? $"{input}." : $"{input}.{Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>The provider's current RSA public key as PEM bytes: what the classic HS256 confusion attack uses as the HMAC secret.</summary>
    private async Task<byte[]> PublicKeyPemAsync()
    {
        var jwk = (await fixture.Provider.GetJwksAsync())["keys"]!.AsArray().First(k => k!["kid"]!.GetValue<string>() == fixture.Provider.CurrentKeyId)!;
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url(jwk["n"]!.GetValue<string>()), Exponent = Base64Url(jwk["e"]!.GetValue<string>()) });
        return Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>A provider, a model and a router (plain HTTP, access log on) that trusts the provider through oidcCaBundle.</summary>
    public sealed class ProviderFixture : IAsyncLifetime, IAsyncDisposable
    {
        public OidcProviderServer Provider { get; private set; } = null!;

        public FakeModel Model { get; private set; } = null!;

        public RouterProcess Router { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public static async Task<ProviderFixture> StartAsync()
        {
            var fixture = new ProviderFixture();
            await fixture.InitializeAsync();
            return fixture;
        }

        public async Task InitializeAsync()
        {
            Provider = await OidcProviderServer.StartAsync([OidcProviderServer.DefaultClient, NoRoles]);
            Model = await FakeModel.StartAsync("blue");
            Router = await RouterProcess.StartAsync([
                "--allowInsecureConnections", "true", "--accessLog", "true",
                "--oidcAuthority", Provider.Issuer, "--oidcAudience", Audience, "--oidcCaBundle", Provider.CaBundleFile]);
            Client = new HttpClient { BaseAddress = Router.HttpBase };
        }

        public async Task CreateEndpointAsync(string name, params string[] flags)
        {
            await Router.ExpectSuccessAsync(["endpoint", "create", "--name", name, "--auth-mode", "aad_token", .. flags]);
            await Router.ExpectSuccessAsync("deployment", "create", "--endpoint", name, "--name", "blue", "--url", Model.Url);
            await Router.ExpectSuccessAsync("endpoint", "update", "--name", name, "--traffic", "blue=100");
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Router.DisposeAsync();
            await Model.DisposeAsync();
            Provider.Dispose();
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
