using System.Net;
using System.Text;

namespace ScoreGate.FunctionalTests;

/// <summary>Keys stay secret: never logged, encrypted at rest, in private files.</summary>
public sealed class SecretsTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task Keys_AfterEveryKindOfUse_NeverAppearInTheRouterLog()
    {
        var (primary, secondary) = await fixture.Router.CreateServedEndpointAsync("secretive", "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoringTests.ScoreAsync(client, "secretive", primary)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ScoringTests.ScoreAsync(client, "secretive", secondary)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ScoringTests.ScoreAsync(client, "secretive", primary + "x")).StatusCode);
        var regenerated = await fixture.Router.ExpectSuccessAsync("endpoint", "regenerate-keys", "--name", "secretive", "--key-type", "secondary");
        await fixture.Router.ExpectSuccessAsync("endpoint", "show", "--name", "secretive");

        var log = fixture.Router.Process.AllOutput;
        Assert.Contains("Endpoint secretive: secondary key regenerated.", log);
        Assert.DoesNotContain(primary, log);
        Assert.DoesNotContain(secondary, log);
        Assert.DoesNotContain(regenerated.StandardOutput.Split('"')[7], log);
        Assert.DoesNotContain(File.ReadAllText(Path.Combine(fixture.Router.StateDir, "admin.token")).Trim(), log);
    }

    [Fact]
    public async Task Keys_AtRest_AreEncryptedAndStateFilesArePrivate()
    {
        var (primary, secondary) = await fixture.Router.CreateEndpointAsync("atrest");

        var database = Path.Combine(fixture.Router.StateDir, "scoregate.db");
        var bytes = await File.ReadAllBytesAsync(database);
        Assert.Contains("atrest", Encoding.UTF8.GetString(bytes));
        Assert.DoesNotContain(primary, Encoding.UTF8.GetString(bytes));
        Assert.DoesNotContain(secondary, Encoding.UTF8.GetString(bytes));
        foreach (var file in new[] { "scoregate.db", "master.key", "admin.token" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.Router.StateDir, file)));
        }
    }

    [Fact]
    public async Task AdminApi_WithoutToken_Returns401()
    {
        using var client = new HttpClient();

        var response = await client.GetAsync($"{fixture.Router.AdminUrl}/api/endpoints");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("needs 'Authorization: Bearer <token>' with the token in admin.token", await response.Content.ReadAsStringAsync());
    }
}
