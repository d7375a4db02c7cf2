using System.Net;
using System.Text;

namespace ScoreGate.FunctionalTests;

/// <summary>The admin side's limits: request bodies bounded at 1 MiB, and adminUrl values refused at start and by the CLI.</summary>
public sealed class AdminLimitsTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    private const string TooLarge =
        "The admin request body is larger than 1048576 bytes (1 MiB), the most the admin API accepts. " +
        "Send less at once: endpoint and deployment definitions are a few kilobytes.";

    [Fact]
    public async Task AdminBodyOverOneMiB_ByContentLength_Returns413WithMessage()
    {
        await using var connection = await RawHttp.ConnectAsync(fixture.Router.AdminPort);
        await connection.SendAsync($"POST /api/endpoints HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {AdminToken()}\r\n" +
            "Content-Type: application/json\r\nContent-Length: 1048577\r\nConnection: close\r\n\r\n");

        var response = await connection.ReadToCloseAsync();

        Assert.Equal(413, response.Status);
        Assert.Equal(TooLarge, response.Message());
        await AssertAdminAndScoringWorkAsync("afterlength");
    }

    [Fact]
    public async Task AdminBodyOverOneMiB_Chunked_Returns413WithMessage()
    {
        await using var connection = await RawHttp.ConnectAsync(fixture.Router.AdminPort);
        await connection.SendAsync($"POST /api/endpoints HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {AdminToken()}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        var chunk = $"{65_536:x}\r\n{new string(' ', 65_536)}\r\n";
        for (var i = 0; i < 16; i++)
        {
            await connection.SendAsync(chunk);
        }

        await connection.SendAsync("1\r\n \r\n");

        var response = await connection.ReadToCloseAsync();

        Assert.Equal(413, response.Status);
        Assert.Equal(TooLarge, response.Message());
        await AssertAdminAndScoringWorkAsync("afterchunks");
    }

    [Theory]
    [InlineData("http://[::ffff:127.0.0.1]:7400", "adminUrl 'http://[::ffff:127.0.0.1]:7400' uses an IPv4-mapped IPv6 address. Write the IPv4 address itself, such as http://127.0.0.1:7400.")]
    [InlineData("http://admin:hunter2@127.0.0.1:7400", "adminUrl must not carry a user name or password (user:password@): the admin API is guarded by the token in stateDir/admin.token. Remove them, as in http://127.0.0.1:7400.")]
    public async Task AdminUrl_MappedAddressOrCredentials_RefusedAtStartWithExit2_AndByTheCli(string adminUrl, string expected)
    {
        using var state = new TempDirectory();

        using var serve = await ProcessRun.RunAsync("dotnet",
            [RepositoryPaths.ScoreGateDll, "serve", "--allowInsecureConnections", "true", "--adminUrl", adminUrl, "--stateDir", state.Path,
             "--httpsPort", $"{FreePort.Next()}", "--httpPort", $"{FreePort.Next()}", "--listenAddress", "127.0.0.1"],
            TimeSpan.FromSeconds(60), state.Path);
        using var cli = await ProcessRun.RunAsync("dotnet", [RepositoryPaths.ScoreGateDll, "endpoint", "list", "--adminUrl", adminUrl, "--stateDir", fixture.Router.StateDir],
            TimeSpan.FromSeconds(60), state.Path);

        serve.ExpectExitCode(2);
        Assert.Contains($"  - {expected}", serve.StandardError);
        Assert.DoesNotContain("Unhandled exception", serve.AllOutput, StringComparison.Ordinal);
        cli.ExpectExitCode(1);
        Assert.Equal($"error: {expected}", cli.StandardError.Trim());
        Assert.DoesNotContain("hunter2", serve.AllOutput + cli.AllOutput, StringComparison.Ordinal);
        await AssertAdminAndScoringWorkAsync(adminUrl.Contains('@', StringComparison.Ordinal) ? "aftercredentials" : "aftermapped");
    }

    private string AdminToken() => File.ReadAllText(Path.Combine(fixture.Router.StateDir, "admin.token")).Trim();

    private async Task AssertAdminAndScoringWorkAsync(string endpoint)
    {
        var (key, _) = await fixture.Router.CreateServedEndpointAsync(endpoint, "blue=100", ("blue", fixture.Blue.Url));
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoringTests.ScoreAsync(client, endpoint, key)).StatusCode);
    }
}
