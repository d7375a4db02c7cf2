using System.Net;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>Token auth (<c>auth_mode: aml_token</c>): tokens from <c>endpoint get-token</c>, checked by the router.</summary>
public sealed class TokenAuthTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task GetToken_HasAzureMlShape_AndScores()
    {
        await CreateTokenEndpointAsync("tokened");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var token = await GetTokenAsync("tokened");
        using var client = fixture.CreateClient();

        var root = token.RootElement;
        Assert.Equal("Bearer", root.GetProperty("tokenType").GetString());
        Assert.InRange(root.GetProperty("expiryTimeUtc").GetInt64(), before + 3600 - 5, before + 3600 + 60);
        Assert.InRange(root.GetProperty("refreshAfterTimeUtc").GetInt64(), before + 1800 - 5, before + 1800 + 60);
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "tokened", root.GetProperty("accessToken").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task TokenOfAnotherEndpoint_KeyOrNothing_Return401NamingTheFix()
    {
        await CreateTokenEndpointAsync("mine");
        await CreateTokenEndpointAsync("theirs");
        using var theirs = await GetTokenAsync("theirs");
        var (key, _) = await fixture.Router.CreateEndpointAsync("keyed");
        using var client = fixture.CreateClient();

        var foreign = await ScoreAsync(client, "mine", theirs.RootElement.GetProperty("accessToken").GetString()!);
        var withKey = await ScoreAsync(client, "mine", key);
        using var bare = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/mine/score") { Content = Json("{}") };
        var missing = await client.SendAsync(bare);

        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        Assert.Equal("The token is for another endpoint, not 'mine' (or for an earlier endpoint of that name, since deleted). Get a token with 'scoregate endpoint get-token --name mine'.", await MessageAsync(foreign));
        Assert.Equal(HttpStatusCode.Unauthorized, withKey.StatusCode);
        Assert.Equal("The token given is not valid for endpoint 'mine' (not signed by this router, or altered). Get a token with 'scoregate endpoint get-token --name mine'.", await MessageAsync(withKey));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Endpoint 'mine' needs a token: send 'Authorization: Bearer <token>'. Get a token with 'scoregate endpoint get-token --name mine'.", await MessageAsync(missing));
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task TokenOfADeletedEndpoint_IsRefusedByOneCreatedAgainUnderItsName()
    {
        await CreateTokenEndpointAsync("reborn");
        using var old = await GetTokenAsync("reborn");
        await fixture.Router.ExpectSuccessAsync("endpoint", "delete", "--name", "reborn");
        await CreateTokenEndpointAsync("reborn");
        using var fresh = await GetTokenAsync("reborn");
        using var client = fixture.CreateClient();

        var withOld = await ScoreAsync(client, "reborn", old.RootElement.GetProperty("accessToken").GetString()!);
        var withNew = await ScoreAsync(client, "reborn", fresh.RootElement.GetProperty("accessToken").GetString()!);

        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        Assert.Equal("The token is for another endpoint, not 'reborn' (or for an earlier endpoint of that name, since deleted). Get a token with 'scoregate endpoint get-token --name reborn'.", await MessageAsync(withOld));
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
    }

    [Fact]
    public async Task TokenFromAnotherRouter_IsRefused()
    {
        await CreateTokenEndpointAsync("shared");
        using var ours = await GetTokenAsync("shared");
        await using var other = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
        await other.ExpectSuccessAsync("endpoint", "create", "--name", "shared", "--auth-mode", "aml_token");
        var forged = await other.ExpectSuccessAsync("endpoint", "get-token", "--name", "shared");
        using var forgedJson = JsonDocument.Parse(forged.StandardOutput);
        using var client = fixture.CreateClient();

        var response = await ScoreAsync(client, "shared", forgedJson.RootElement.GetProperty("accessToken").GetString()!);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await ScoreAsync(client, "shared", ours.RootElement.GetProperty("accessToken").GetString()!)).StatusCode);
    }

    [Fact]
    public async Task GetToken_OnAKeyEndpoint_IsRefusedNamingGetCredentials()
    {
        await fixture.Router.CreateEndpointAsync("keyonly");

        var run = await fixture.Router.CliAsync("endpoint", "get-token", "--name", "keyonly");

        run.ExpectExitCode(1);
        Assert.Contains(
            "Endpoint 'keyonly' uses key auth, so it takes no tokens. Tokens are for endpoints created with --auth-mode aml_token; for this one use 'scoregate endpoint get-credentials --name keyonly'.",
            run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_NeverAppearInTheRouterLog()
    {
        await CreateTokenEndpointAsync("quiet");
        using var token = await GetTokenAsync("quiet");
        using var client = fixture.CreateClient();
        await ScoreAsync(client, "quiet", token.RootElement.GetProperty("accessToken").GetString()!);

        Assert.DoesNotContain(token.RootElement.GetProperty("accessToken").GetString()!, fixture.Router.Process.AllOutput, StringComparison.Ordinal);
    }

    private async Task CreateTokenEndpointAsync(string name)
    {
        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "--name", name, "--auth-mode", "aml_token");
        await fixture.Router.ExpectSuccessAsync("deployment", "create", "--endpoint", name, "--name", "blue", "--url", fixture.Blue.Url);
        await fixture.Router.ExpectSuccessAsync("endpoint", "update", "--name", name, "--traffic", "blue=100");
    }

    private async Task<JsonDocument> GetTokenAsync(string endpoint) =>
        JsonDocument.Parse((await fixture.Router.ExpectSuccessAsync("endpoint", "get-token", "--name", endpoint)).StandardOutput);
}
