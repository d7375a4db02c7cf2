using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>The CLI verbs against a running router: each refusal says what is wrong and how to fix it.</summary>
public sealed class CliTests(TlsRouterFixture fixture) : IClassFixture<TlsRouterFixture>
{
    [Fact]
    public async Task EndpointLifecycle_CreateShowListDelete_ReflectsEachChange()
    {
        await fixture.Router.ExpectSuccessAsync("endpoint", "create", "--name", "lifecycle");

        var show = await fixture.Router.ExpectSuccessAsync("endpoint", "show", "--name", "lifecycle");
        using (var json = JsonDocument.Parse(show.StandardOutput))
        {
            Assert.Equal("key", json.RootElement.GetProperty("auth_mode").GetString());
            Assert.Equal($"https://localhost:{fixture.Router.HttpsPort}/api/v1/service/lifecycle/score", json.RootElement.GetProperty("scoring_uri").GetString());
            Assert.False(json.RootElement.TryGetProperty("primaryKey", out _));
        }

        Assert.Contains("\"lifecycle\"", (await fixture.Router.ExpectSuccessAsync("endpoint", "list")).StandardOutput);
        await fixture.Router.ExpectSuccessAsync("endpoint", "delete", "--name", "lifecycle");
        var gone = await fixture.Router.CliAsync("endpoint", "show", "--name", "lifecycle");
        gone.ExpectExitCode(1);
        Assert.Contains("error: Endpoint 'lifecycle' does not exist. See 'scoregate endpoint list' for the endpoints there are.", gone.StandardError);
    }

    [Theory]
    [InlineData(new[] { "endpoint", "create", "--name", "9lives" }, "error: '9lives' is not a valid endpoint name: use 3 to 32 letters, digits or hyphens, starting with a letter and not ending with a hyphen.")]
    [InlineData(new[] { "endpoint", "create", "--name", "tokens", "--auth-mode", "password" }, "error: Auth mode 'password' is not supported. Use key (the default), aml_token, aad_token or none.")]
    [InlineData(new[] { "endpoint", "update", "--name", "cli-base", "--traffic", "blue:90" }, "error: --traffic 'blue:90': 'blue:90' is not like deployment=percent. Write it like \"blue=90 green=10\" (or blue=90,green=10), each deployment once.")]
    [InlineData(new[] { "endpoint", "update", "--name", "cli-base", "--traffic", "blue=90" }, "error: Endpoint 'cli-base': traffic adds up to 90; the weights must add up to 100 (or 0 to stop all traffic), for example blue=90,green=10.")]
    [InlineData(new[] { "endpoint", "update", "--name", "cli-base", "--traffic", "blue=90,red=10" }, "error: Endpoint 'cli-base': traffic names deployment 'red', which endpoint 'cli-base' does not have (it has blue).")]
    [InlineData(new[] { "endpoint", "regenerate-keys", "--name", "cli-base", "--key-type", "tertiary" }, "error: Key type 'tertiary' is not known. Use --key-type primary or --key-type secondary.")]
    [InlineData(new[] { "deployment", "create", "--endpoint", "cli-base", "--name", "bad-url", "--url", "ftp://model" }, "error: Deployment 'bad-url': 'ftp://model' is not an http:// or https:// URL. Give the model server's base URL, such as http://127.0.0.1:5001.")]
    [InlineData(new[] { "deployment", "create", "--endpoint", "cli-base", "--name", "no-url" }, "error: Deployment 'no-url' has no instance URL. Give at least one with --url http://host:port.")]
    [InlineData(new[] { "deployment", "create", "--endpoint", "missing", "--name", "blue", "--url", "http://127.0.0.1:1" }, "error: Endpoint 'missing' does not exist. See 'scoregate endpoint list' for the endpoints there are.")]
    [InlineData(new[] { "deployment", "delete", "--endpoint", "cli-base", "--name", "blue" }, "error: Deployment 'blue' still receives 100% of endpoint 'cli-base''s traffic. Move its traffic first (scoregate endpoint update --name cli-base --traffic ...), then delete it.")]
    public async Task BadRequest_IsRefusedWithItsMessage_AndChangesNothing(string[] arguments, string expected)
    {
        await EnsureBaseEndpointAsync();
        var before = (await fixture.Router.ExpectSuccessAsync("deployment", "list", "--endpoint", "cli-base")).StandardOutput;

        var run = await fixture.Router.CliAsync(arguments);

        run.ExpectExitCode(1);
        Assert.Equal(expected, run.StandardError.Trim());
        Assert.Equal(before, (await fixture.Router.ExpectSuccessAsync("deployment", "list", "--endpoint", "cli-base")).StandardOutput);
        Assert.Contains("\"blue\": 100", (await fixture.Router.ExpectSuccessAsync("endpoint", "show", "--name", "cli-base")).StandardOutput);
    }

    [Fact]
    public async Task ClientVerb_RouterNotRunning_SaysHowToFix()
    {
        using var state = new TempDirectory();
        File.Copy(Path.Combine(fixture.Router.StateDir, "admin.token"), state.File("admin.token"));
        var port = FreePort.Next();

        var run = await ProcessRun.RunAsync("dotnet", [RepositoryPaths.ScoreGateDll, "endpoint", "list", "--adminUrl", $"http://127.0.0.1:{port}", "--stateDir", state.Path], TimeSpan.FromSeconds(60));

        run.ExpectExitCode(1);
        Assert.Contains($"error: cannot reach the router's admin API at http://127.0.0.1:{port}/", run.StandardError);
        Assert.Contains("Is 'scoregate serve' running? Set --adminUrl and --stateDir if it uses other ones.", run.StandardError);
    }

    [Fact]
    public async Task ClientVerb_StateDirWithoutToken_SaysToStartServeFirst()
    {
        using var state = new TempDirectory();

        var run = await ProcessRun.RunAsync("dotnet", [RepositoryPaths.ScoreGateDll, "endpoint", "list", "--stateDir", state.Path], TimeSpan.FromSeconds(60));

        run.ExpectExitCode(1);
        Assert.Equal($"error: There is no admin token at '{state.File("admin.token")}'. Start 'scoregate serve' with this stateDir first, or point --stateDir at the router's.", run.StandardError.Trim());
    }

    private async Task EnsureBaseEndpointAsync()
    {
        if ((await fixture.Router.CliAsync("endpoint", "show", "--name", "cli-base")).ExitCode == 0)
        {
            return;
        }

        await fixture.Router.CreateServedEndpointAsync("cli-base", "blue=100", ("blue", fixture.Blue.Url));
    }
}
