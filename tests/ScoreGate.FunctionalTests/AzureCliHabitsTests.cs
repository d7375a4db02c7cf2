using System.Net;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// A router whose public name (sslCname) does not resolve on this machine, as a production name
/// often does not on the router's own host, with a certificate from a CA kept where quickstart keeps
/// its development CA (stateDir/dev-ca/ca.pem), so <c>endpoint invoke</c> trusts it as it trusts
/// quickstart's, and must reach the router without DNS.
/// </summary>
public sealed class AzureCliHabitsFixture : IAsyncLifetime
{
    public const string PublicName = "scoring.contoso.test";

    private readonly TempDirectory _files = new();

    private readonly TempDirectory _state = new();

    public TestCertificateAuthority Ca { get; } = TestCertificateAuthority.CreateRoot("ScoreGate Habits Dev Root");

    public RouterProcess Router { get; private set; } = null!;

    public FakeModel Blue { get; private set; } = null!;

    public FakeModel Green { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var leaf = Ca.Issue([PublicName, "localhost"]);
        var (certificate, key) = leaf.WriteTo(_files.Path);
        Directory.CreateDirectory(Path.Combine(_state.Path, "dev-ca"));
        File.WriteAllText(Path.Combine(_state.Path, "dev-ca", "ca.pem"), Ca.CertificatePem);
        Blue = await FakeModel.StartAsync("blue");
        Green = await FakeModel.StartAsync("green");
        Router = await RouterProcess.StartAsync(["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", PublicName], _state.Path);
    }

    /// <summary>Scores over https://localhost:port (the certificate names localhost too), trusting only the test CA.</summary>
    public HttpClient CreateClient() => Router.CreateHttpsClient(Ca.Certificate);

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Blue.DisposeAsync();
        await Green.DisposeAsync();
        Ca.Dispose();
        _files.Dispose();
        _state.Dispose();
    }
}

/// <summary>
/// What people moving from Azure ML type, as <c>az ml online-endpoint</c>/<c>online-deployment</c>
/// take it: flags beside -f, --all-traffic, traffic strings, invoke, snake_case output,
/// get-credentials on token endpoints, and refusals pointing at the file's field and line.
/// </summary>
public sealed class AzureCliHabitsTests(AzureCliHabitsFixture fixture) : IClassFixture<AzureCliHabitsFixture>
{
    private const string RequestBody = """{"data": [[5.1, 3.5, 1.4, 0.2]]}""";

    private RouterProcess Router => fixture.Router;

    [Fact]
    public async Task EndpointCreate_NameAndAuthModeFlags_OverrideTheFile_AndStandInForAMissingName()
    {
        using var dir = new TempDirectory();
        var named = dir.Write("named.yml", "name: from-file\nauth_mode: key\ndescription: written in the file\n");
        var nameless = dir.Write("nameless.yml", "description: no name here\n");

        await Router.ExpectSuccessAsync("endpoint", "create", "-f", named, "--name", "from-flag", "--auth-mode", "aml_token");
        await Router.ExpectSuccessAsync("endpoint", "create", "-f", nameless, "--name", "nameless-flag");

        var shown = await ShowAsync("endpoint", "show", "--name", "from-flag");
        Assert.Equal("aml_token", shown.GetProperty("auth_mode").GetString());
        Assert.Equal("written in the file", shown.GetProperty("description").GetString());
        Assert.Equal(1, (await Router.CliAsync("endpoint", "show", "--name", "from-file")).ExitCode);
        Assert.Equal("no name here", (await ShowAsync("endpoint", "show", "--name", "nameless-flag")).GetProperty("description").GetString());
    }

    [Fact]
    public async Task EndpointUpdate_TrafficFlag_OverridesTheFilesTraffic()
    {
        await CreateServedAsync("override-split");
        using var dir = new TempDirectory();
        var file = dir.Write("split.yml", "name: override-split\ndescription: split by file\ntraffic:\n  blue: 100\n  green: 0\n");

        await Router.ExpectSuccessAsync("endpoint", "update", "-f", file, "--traffic", "blue=20 green=80");

        var shown = await ShowAsync("endpoint", "show", "--name", "override-split");
        Assert.Equal(20, shown.GetProperty("traffic").GetProperty("blue").GetInt32());
        Assert.Equal(80, shown.GetProperty("traffic").GetProperty("green").GetInt32());
        Assert.Equal("split by file", shown.GetProperty("description").GetString());
    }

    [Fact]
    public async Task DeploymentCreateAndUpdate_NameAndEndpointFlags_OverrideTheFile_AndStandInForMissingFields()
    {
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "dep-flags");
        using var dir = new TempDirectory();
        var nameless = dir.Write("nameless.yml", $"backend:\n  urls: [{fixture.Blue.Url}]\nrequest_settings:\n  max_concurrent_requests_per_instance: 3\n");
        var elsewhere = dir.Write("elsewhere.yml", $"name: other\nendpoint_name: nowhere\nbackend:\n  urls: [{fixture.Blue.Url}]\nrequest_settings:\n  max_concurrent_requests_per_instance: 4\n");

        await Router.ExpectSuccessAsync("deployment", "create", "-f", nameless, "--name", "blue", "--endpoint", "dep-flags");
        Assert.Equal(3, (await ShowAsync("deployment", "show", "--endpoint", "dep-flags", "--name", "blue"))
            .GetProperty("request_settings").GetProperty("max_concurrent_requests_per_instance").GetInt32());

        await Router.ExpectSuccessAsync("deployment", "update", "-f", elsewhere, "--name", "blue", "--endpoint-name", "dep-flags");
        Assert.Equal(4, (await ShowAsync("deployment", "show", "--endpoint", "dep-flags", "--name", "blue"))
            .GetProperty("request_settings").GetProperty("max_concurrent_requests_per_instance").GetInt32());
        Assert.Equal(1, (await Router.CliAsync("deployment", "show", "--endpoint", "dep-flags", "--name", "other")).ExitCode);
    }

    [Fact]
    public async Task DeploymentWithAllTraffic_GetsAllTheEndpointsTraffic_OnCreateAndOnUpdate()
    {
        await CreateServedAsync("all-traffic");

        var created = await Router.ExpectSuccessAsync("deployment", "create", "--endpoint", "all-traffic", "--name", "teal", "--url", fixture.Green.Url, "--all-traffic");

        using (var printed = JsonDocument.Parse(created.StandardOutput))
        {
            Assert.Equal("teal", printed.RootElement.GetProperty("name").GetString());
            Assert.Equal("all-traffic", printed.RootElement.GetProperty("endpoint_name").GetString());
        }

        Assert.Contains("Endpoint 'all-traffic' now sends all its traffic to deployment 'teal' (traffic: teal=100).", created.StandardError);
        Assert.Equal(["teal=100"], Split((await ShowAsync("endpoint", "show", "--name", "all-traffic")).GetProperty("traffic")));

        await Router.ExpectSuccessAsync("deployment", "update", "--endpoint", "all-traffic", "--name", "blue", "--url", fixture.Blue.Url, "--all-traffic");
        Assert.Equal(["blue=100"], Split((await ShowAsync("endpoint", "show", "--name", "all-traffic")).GetProperty("traffic")));
    }

    [Fact]
    public async Task AllTraffic_ThatTheEndpointRefuses_SaysTheDeploymentExists_AndHowToSwitch()
    {
        await CreateServedAsync("mirrored");
        await Router.ExpectSuccessAsync("endpoint", "update", "--name", "mirrored", "--mirror-traffic", "green=10");

        var run = await Router.CliAsync("deployment", "update", "--endpoint", "mirrored", "--name", "green", "--url", fixture.Green.Url, "--all-traffic");

        run.ExpectExitCode(1);
        using (var printed = JsonDocument.Parse(run.StandardOutput))
        {
            Assert.Equal("green", printed.RootElement.GetProperty("name").GetString());
        }

        Assert.Equal(
            "error: deployment 'green' was updated and exists, but endpoint 'mirrored''s traffic was not switched to it: " +
            "Endpoint 'mirrored': deployment 'green' cannot take live and mirrored traffic at once. To give it live traffic, stop its mirror first (--mirror-traffic green=0, or mirror_traffic: {green: 0} in the same file); to mirror to it, give it 0 live traffic. " +
            "Switch it with: scoregate endpoint update --name mirrored --traffic green=100",
            run.StandardError.Trim());
        Assert.Equal(100, (await ShowAsync("endpoint", "show", "--name", "mirrored")).GetProperty("traffic").GetProperty("blue").GetInt32());
    }

    [Theory]
    [InlineData("blue=90 green=10")]
    [InlineData("blue=90,green=10")]
    [InlineData(" blue=90 ,  green=10 ")]
    public async Task TrafficFlag_TakesPairsSeparatedBySpacesOrCommas(string split)
    {
        var name = $"split-{Math.Abs(split.GetHashCode(StringComparison.Ordinal)) % 100000}";
        await CreateServedAsync(name);

        await Router.ExpectSuccessAsync("endpoint", "update", "--name", name, "--traffic", split);

        var traffic = (await ShowAsync("endpoint", "show", "--name", name)).GetProperty("traffic");
        Assert.Equal(90, traffic.GetProperty("blue").GetInt32());
        Assert.Equal(10, traffic.GetProperty("green").GetInt32());
    }

    [Theory]
    [InlineData("--traffic", "blue=90 green:10", "error: --traffic 'blue=90 green:10': 'green:10' is not like deployment=percent. Write it like \"blue=90 green=10\" (or blue=90,green=10), each deployment once.")]
    [InlineData("--traffic", "blue=90 green=ten", "error: --traffic 'blue=90 green=ten': 'green=ten' has 'ten', which is not a whole percent. Write it like \"blue=90 green=10\" (or blue=90,green=10), each deployment once.")]
    [InlineData("--traffic", "blue=50 blue=50", "error: --traffic 'blue=50 blue=50': 'blue=50' names 'blue' a second time. Write it like \"blue=90 green=10\" (or blue=90,green=10), each deployment once.")]
    [InlineData("--mirror-traffic", "green", "error: --mirror-traffic 'green': 'green' is not like deployment=percent. Write it like green=10, each deployment once.")]
    public async Task BadTrafficString_IsRefusedNamingThePart_AndShowingTheForm(string flag, string value, string expected)
    {
        var run = await Router.CliAsync("endpoint", "update", "--name", "anything", flag, value);

        run.ExpectExitCode(1);
        Assert.Equal(expected, run.StandardError.Trim());
    }

    [Fact]
    public async Task MirrorTrafficFlag_CopiesAShare_AndZeroStopsIt()
    {
        await CreateServedAsync("mirror-flag");

        await Router.ExpectSuccessAsync("endpoint", "update", "--name", "mirror-flag", "--mirror-traffic", "green=10");
        Assert.Equal(10, (await ShowAsync("endpoint", "show", "--name", "mirror-flag")).GetProperty("mirror_traffic").GetProperty("green").GetInt32());

        await Router.ExpectSuccessAsync("endpoint", "update", "--name", "mirror-flag", "--mirror-traffic", "green=0");
        Assert.Empty((await ShowAsync("endpoint", "show", "--name", "mirror-flag")).GetProperty("mirror_traffic").EnumerateObject());
    }

    [Fact]
    public async Task Invoke_WithKeyAuth_OverHttps_ToANameThatDoesNotResolve_PrintsTheModelsAnswer()
    {
        await CreateServedAsync("invoked");
        using var dir = new TempDirectory();
        var request = dir.Write("sample-request.json", RequestBody);
        var before = fixture.Blue.RequestCount;

        var run = await Router.ExpectSuccessAsync("endpoint", "invoke", "--name", "invoked", "--request-file", request);

        using var answer = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("blue", answer.RootElement.GetProperty("model").GetString());
        Assert.Equal(RequestBody, answer.RootElement.GetProperty("body").GetString());
        Assert.Equal(before + 1, fixture.Blue.RequestCount);
        var received = fixture.Blue.ReceivedRequests.Last();
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(AzureCliHabitsFixture.PublicName, received.Headers["X-Forwarded-Host"].Split(':')[0]);
    }

    [Fact]
    public async Task Invoke_WithDeploymentName_IsAnsweredByThatDeployment()
    {
        await CreateServedAsync("pinned");
        using var dir = new TempDirectory();
        var request = dir.Write("sample-request.json", RequestBody);

        var run = await Router.ExpectSuccessAsync("endpoint", "invoke", "--name", "pinned", "--request-file", request, "--deployment-name", "green");

        using var answer = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("green", answer.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Invoke_ModelRefusal_PrintsStatusAndRoutersMessage_AndFails()
    {
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "no-traffic");
        using var dir = new TempDirectory();
        var request = dir.Write("sample-request.json", RequestBody);

        var run = await Router.CliAsync("endpoint", "invoke", "--name", "no-traffic", "--request-file", request);

        run.ExpectExitCode(1);
        Assert.Empty(run.StandardOutput.Trim());
        Assert.StartsWith($"error: https://{AzureCliHabitsFixture.PublicName}:{Router.HttpsPort}/api/v1/service/no-traffic/score answered 404 Not Found: ", run.StandardError.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_AgainstQuickstart_TrustsItsDevelopmentCa_AndScoresTheSampleModel()
    {
        using var state = new TempDirectory();
        var adminUrl = $"http://127.0.0.1:{FreePort.Next()}";
        using var quickstart = ProcessRun.StartScoreGate(
            ["quickstart", "--httpsPort", $"{FreePort.Next()}", "--httpPort", $"{FreePort.Next()}", "--adminUrl", adminUrl, "--stateDir", state.Path], state.Path);
        await quickstart.WaitForLineAsync(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        var request = state.Write("sample-request.json", """{"data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}""");

        var run = await ProcessRun.RunAsync("dotnet",
            [RepositoryPaths.ScoreGateDll, "endpoint", "invoke", "--name", "iris", "--request-file", request, "--adminUrl", adminUrl, "--stateDir", state.Path],
            TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, run.AllOutput);
        using var answer = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(["setosa", "virginica"], answer.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
        await quickstart.TerminateAsync(TimeSpan.FromSeconds(30), "INT");
    }

    [Fact]
    public async Task Invoke_MissingRequestFile_IsRefusedClearly()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("absent.json");

        var run = await Router.CliAsync("endpoint", "invoke", "--name", "whatever", "--request-file", missing);

        run.ExpectExitCode(1);
        Assert.StartsWith($"error: --request-file {missing} cannot be read: ", run.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Contains("Give the file with the request body", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WithoutTheDevelopmentCa_RefusesTheCertificate()
    {
        await CreateServedAsync("untrusted");
        using var dir = new TempDirectory();
        var request = dir.Write("sample-request.json", RequestBody);
        File.Copy(Path.Combine(Router.StateDir, "admin.token"), dir.File("admin.token"));

        var run = await ProcessRun.RunAsync("dotnet",
            [RepositoryPaths.ScoreGateDll, "endpoint", "invoke", "--name", "untrusted", "--request-file", request, "--adminUrl", Router.AdminUrl, "--stateDir", dir.Path],
            TimeSpan.FromSeconds(60));

        run.ExpectExitCode(1);
        Assert.Contains("its certificate is not trusted here", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowAndList_PrintAzureCliFieldNames_AndKeepUserChosenKeys()
    {
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "snake");
        using var dir = new TempDirectory();
        var endpointFile = dir.Write("snake.yml", "name: snake\ndescription: named like Azure\ntags:\n  costCenter: ML-Ops\n");
        var deploymentFile = dir.Write("snake-blue.yml",
            $"name: blueDeploy\nendpoint_name: snake\ntags:\n  ownerTeam: data\nbackend:\n  urls: [{fixture.Blue.Url}]\n" +
            "request_settings:\n  request_timeout_ms: 3000\nreadiness_probe:\n  path: /health\n  initial_delay: 1\n");
        await Router.ExpectSuccessAsync("deployment", "create", "-f", deploymentFile);
        await Router.ExpectSuccessAsync("endpoint", "update", "-f", endpointFile, "--traffic", "blueDeploy=100");

        var endpoint = await ShowAsync("endpoint", "show", "--name", "snake");
        Assert.Equal($"https://{AzureCliHabitsFixture.PublicName}:{Router.HttpsPort}/api/v1/service/snake/score", endpoint.GetProperty("scoring_uri").GetString());
        Assert.EndsWith("/api/v1/service/snake/swagger.json", endpoint.GetProperty("swagger_uri").GetString(), StringComparison.Ordinal);
        Assert.Equal("key", endpoint.GetProperty("auth_mode").GetString());
        Assert.Equal("Succeeded", endpoint.GetProperty("provisioning_state").GetString());
        Assert.Equal("named like Azure", endpoint.GetProperty("description").GetString());
        Assert.Equal(100, endpoint.GetProperty("traffic").GetProperty("blueDeploy").GetInt32());
        Assert.Equal("ML-Ops", endpoint.GetProperty("tags").GetProperty("costCenter").GetString());
        Assert.True(endpoint.TryGetProperty("mirror_traffic", out _));
        Assert.True(endpoint.TryGetProperty("created_at", out _));
        Assert.False(endpoint.TryGetProperty("scoringUri", out _));
        Assert.False(endpoint.TryGetProperty("authMode", out _));

        var listed = (await ShowAsync("endpoint", "list")).EnumerateArray().Single(e => e.GetProperty("name").GetString() == "snake");
        Assert.Equal(endpoint.GetProperty("scoring_uri").GetString(), listed.GetProperty("scoring_uri").GetString());

        var deployment = await ShowAsync("deployment", "show", "--endpoint", "snake", "--name", "blueDeploy");
        Assert.Equal("snake", deployment.GetProperty("endpoint_name").GetString());
        Assert.Equal(1, deployment.GetProperty("instance_count").GetInt32());
        Assert.Equal("Succeeded", deployment.GetProperty("provisioning_state").GetString());
        var settings = deployment.GetProperty("request_settings");
        Assert.Equal(3000, settings.GetProperty("request_timeout_ms").GetInt32());
        Assert.Equal(1, settings.GetProperty("max_concurrent_requests_per_instance").GetInt32());
        Assert.Equal(500, settings.GetProperty("max_queue_wait_ms").GetInt32());
        Assert.Equal(1, deployment.GetProperty("readiness_probe").GetProperty("initial_delay").GetInt32());
        Assert.Equal("/health", deployment.GetProperty("readiness_probe").GetProperty("path").GetString());
        Assert.Equal("data", deployment.GetProperty("tags").GetProperty("ownerTeam").GetString());
        Assert.Equal(JsonValueKind.Object, deployment.GetProperty("environment_variables").ValueKind);
        Assert.Equal(new Uri(fixture.Blue.Url).ToString().TrimEnd('/'), deployment.GetProperty("backend").GetProperty("urls")[0].GetString()!.TrimEnd('/'));
        Assert.False(deployment.TryGetProperty("requestSettings", out _));
        Assert.False(deployment.TryGetProperty("details", out _));

        var deployments = await ShowAsync("deployment", "list", "--endpoint", "snake");
        Assert.Equal("blueDeploy", deployments.EnumerateArray().Single().GetProperty("name").GetString());
        Assert.Equal(3000, deployments[0].GetProperty("request_settings").GetProperty("request_timeout_ms").GetInt32());
    }

    [Fact]
    public async Task ShowOutput_KeepsFieldsTheApiGains_SnakeCased_WithTheirInsidesAsGiven()
    {
        const string endpoint = """
            {"name": "future", "authMode": "key", "traffic": {"blueDeploy": 100}, "mirrorTraffic": {}, "description": null,
             "tags": {"costCenter": "ML"}, "properties": {"azureml.onlineEndpointId": "abc", "createdBy": "me"},
             "scoringUri": "https://h.test/api/v1/service/future/score", "swaggerUri": "https://h.test/api/v1/service/future/swagger.json",
             "publicNetworkAccess": "enabled", "scaleSettings": {"minInstances": 1}}
            """;
        const string deployment = """
            {"name": "blue", "endpointName": "future", "urls": [],
             "requestSettings": {"requestTimeoutMs": 5000, "maxConcurrentRequestsPerInstance": 1, "maxQueueWaitMs": 500},
             "details": {"description": "d", "tags": {"ownerTeam": "x"}, "livenessProbe": null, "readinessProbe": {"path": "/", "initialDelay": 2},
                         "process": {"command": ["python", "-m", "server"], "instanceCount": 2, "environmentVariables": {"MODEL_PATH": "/m", "camelVar": "v"}, "workingDirectory": "/srv"},
                         "codeConfiguration": {"scoringScript": "score.py"}},
             "properties": {"someKey": "v"}}
            """;
        using var state = new TempDirectory();
        File.Copy(Path.Combine(Router.StateDir, "admin.token"), state.File("admin.token"));
        var adminUrl = $"http://127.0.0.1:{FreePort.Next()}";
        using var admin = new HttpListener();
        admin.Prefixes.Add(adminUrl + "/");
        admin.Start();
        var serving = Task.Run(async () =>
        {
            while (true)
            {
                HttpListenerContext context;
                try
                {
                    context = await admin.GetContextAsync();
                }
                catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var body = System.Text.Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath.Contains("/deployments/", StringComparison.Ordinal) ? deployment : endpoint);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });

        async Task<JsonElement> CliJsonAsync(params string[] arguments)
        {
            var run = await ProcessRun.RunAsync("dotnet", [RepositoryPaths.ScoreGateDll, .. arguments, "--adminUrl", adminUrl, "--stateDir", state.Path], TimeSpan.FromSeconds(60));
            Assert.True(run.ExitCode == 0, run.AllOutput);
            using var json = JsonDocument.Parse(run.StandardOutput);
            return json.RootElement.Clone();
        }

        var shownEndpoint = await CliJsonAsync("endpoint", "show", "--name", "future");
        var shownDeployment = await CliJsonAsync("deployment", "show", "--endpoint", "future", "--name", "blue");
        admin.Stop();
        await serving;

        Assert.Equal("enabled", shownEndpoint.GetProperty("public_network_access").GetString());
        Assert.Equal(1, shownEndpoint.GetProperty("scale_settings").GetProperty("minInstances").GetInt32());
        Assert.Equal("abc", shownEndpoint.GetProperty("properties").GetProperty("azureml.onlineEndpointId").GetString());
        Assert.Equal(100, shownEndpoint.GetProperty("traffic").GetProperty("blueDeploy").GetInt32());
        Assert.Equal("https://h.test/api/v1/service/future/swagger.json", shownEndpoint.GetProperty("openapi_uri").GetString());
        Assert.Equal(2, shownDeployment.GetProperty("instance_count").GetInt32());
        Assert.Equal("v", shownDeployment.GetProperty("environment_variables").GetProperty("camelVar").GetString());
        Assert.Equal("python", shownDeployment.GetProperty("backend").GetProperty("command")[0].GetString());
        Assert.Equal("/srv", shownDeployment.GetProperty("backend").GetProperty("working_directory").GetString());
        Assert.Equal("score.py", shownDeployment.GetProperty("code_configuration").GetProperty("scoringScript").GetString());
        Assert.Equal(2, shownDeployment.GetProperty("readiness_probe").GetProperty("initial_delay").GetInt32());
        Assert.Equal(5000, shownDeployment.GetProperty("request_settings").GetProperty("request_timeout_ms").GetInt32());
        Assert.Equal("x", shownDeployment.GetProperty("tags").GetProperty("ownerTeam").GetString());
        Assert.Equal("v", shownDeployment.GetProperty("properties").GetProperty("someKey").GetString());
        Assert.Equal("Succeeded", shownDeployment.GetProperty("provisioning_state").GetString());
        Assert.False(shownDeployment.TryGetProperty("details", out _));
    }

    [Fact]
    public async Task GetCredentials_OnATokenEndpoint_GivesATokenThatScores_OnKeyKeys_OnNoneA400()
    {
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "cred-token", "--auth-mode", "aml_token");
        await Router.ExpectSuccessAsync("deployment", "create", "--endpoint", "cred-token", "--name", "blue", "--url", fixture.Blue.Url, "--all-traffic");
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "cred-key");
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "cred-none", "--auth-mode", "none");

        using var token = JsonDocument.Parse((await Router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "cred-token")).StandardOutput);
        using var keys = JsonDocument.Parse((await Router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "cred-key")).StandardOutput);
        var none = await Router.CliAsync("endpoint", "get-credentials", "--name", "cred-none");

        Assert.Equal(["accessToken", "expiryTimeUtc", "refreshAfterTimeUtc", "tokenType"], token.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Bearer", token.RootElement.GetProperty("tokenType").GetString());
        using var client = fixture.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ScoreAsync(client, "cred-token", token.RootElement.GetProperty("accessToken").GetString()!)).StatusCode);
        Assert.Equal(["primaryKey", "secondaryKey"], keys.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        none.ExpectExitCode(1);
        Assert.Equal(
            "error: Endpoint 'cred-none' uses auth_mode none: it has no credentials, and scoring requests need no Authorization header. To require keys, run 'scoregate endpoint update --name cred-none --auth-mode key'.",
            none.StandardError.Trim());
    }

    [Fact]
    public async Task Invoke_OnATokenEndpoint_UsesAToken()
    {
        await Router.ExpectSuccessAsync("endpoint", "create", "--name", "invoke-token", "--auth-mode", "aml_token");
        await Router.ExpectSuccessAsync("deployment", "create", "--endpoint", "invoke-token", "--name", "green", "--url", fixture.Green.Url, "--all-traffic");
        using var dir = new TempDirectory();
        var request = dir.Write("sample-request.json", RequestBody);

        var run = await Router.ExpectSuccessAsync("endpoint", "invoke", "--name", "invoke-token", "--request-file", request);

        using var answer = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("green", answer.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("endpoint create", "name: refused-aad\ndescription: tokens from Entra\nauth_mode: aad_token\n",
        "{0}:3: auth_mode: Endpoint 'refused-aad' cannot use aad_token: it needs the router setting oidcAuthority (the OpenID Connect issuer whose tokens it accepts) and oidcAudience. Restart the router with both set, or choose another auth mode (key (the default), aml_token, aad_token or none).")]
    [InlineData("endpoint update", "name: refusals\ndescription: split\ntraffic:\n  blue: 50\n  purple: 50\n",
        "{0}:3: traffic: Endpoint 'refusals': traffic names deployment 'purple', which endpoint 'refusals' does not have (it has blue, green).")]
    [InlineData("endpoint update", "name: refusals\ntags:\n  team: ml\nmirror_traffic:\n  blue: 10\n",
        "{0}:4: mirror_traffic: Endpoint 'refusals': deployment 'blue' cannot take live and mirrored traffic at once. To give it live traffic, stop its mirror first (--mirror-traffic blue=0, or mirror_traffic: {{blue: 0}} in the same file); to mirror to it, give it 0 live traffic.")]
    [InlineData("deployment create", "name: late\ndescription: waits\nendpoint_name: nowhere\nbackend:\n  urls: [http://127.0.0.1:5001]\n",
        "{0}:3: endpoint_name: Endpoint 'nowhere' does not exist. See 'scoregate endpoint list' for the endpoints there are.")]
    [InlineData("deployment create", "name: slow\nendpoint_name: refusals\nbackend:\n  urls: [http://127.0.0.1:5001]\nrequest_settings:\n  max_concurrent_requests_per_instance: 2\n  request_timeout_ms: 0\n",
        "{0}:7: request_settings.request_timeout_ms: 0 is out of range; give 1 to 300000.")]
    [InlineData("deployment create", "name: blue\nendpoint_name: refusals\nbackend:\n  urls: [http://127.0.0.1:5001]\n",
        "{0}:1: name: Endpoint 'refusals' already has a deployment named 'blue'. Choose another name, or delete it first.")]
    public async Task FileRefusal_PointsAtTheFieldAndLineItConcerns(string verb, string yaml, string expected)
    {
        await EnsureRefusalsEndpointAsync();
        using var dir = new TempDirectory();
        var file = dir.Write("spec.yml", yaml);

        var run = await Router.CliAsync([.. verb.Split(' '), "-f", file]);

        run.ExpectExitCode(1);
        Assert.Equal("error: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file), run.StandardError.Trim());
    }

    [Fact]
    public async Task FileRefusal_OfAValueAFlagGave_NamesTheFlag()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("spec.yml", "name: fine-name\nauth_mode: key\n");

        var badName = await Router.CliAsync("endpoint", "create", "-f", file, "--name", "9lives");
        var badMode = await Router.CliAsync("endpoint", "create", "-f", file, "--auth-mode", "aad_token");

        Assert.Equal("error: --name: '9lives' is not a valid endpoint name: use 3 to 32 letters, digits or hyphens, starting with a letter and not ending with a hyphen.", badName.StandardError.Trim());
        Assert.Equal("error: --auth-mode: Endpoint 'fine-name' cannot use aad_token: it needs the router setting oidcAuthority (the OpenID Connect issuer whose tokens it accepts) and oidcAudience. Restart the router with both set, or choose another auth mode (key (the default), aml_token, aad_token or none).", badMode.StandardError.Trim());
    }

    private async Task EnsureRefusalsEndpointAsync()
    {
        if ((await Router.CliAsync("endpoint", "show", "--name", "refusals")).ExitCode != 0)
        {
            await CreateServedAsync("refusals");
        }
    }

    /// <summary>An endpoint with deployments blue (all traffic) and green (none).</summary>
    private async Task CreateServedAsync(string name) =>
        await Router.CreateServedEndpointAsync(name, "blue=100", ("blue", fixture.Blue.Url), ("green", fixture.Green.Url));

    /// <summary>The deployments that get traffic, as deployment=percent.</summary>
    private static string[] Split(JsonElement traffic) =>
        [.. traffic.EnumerateObject().Where(t => t.Value.GetInt32() > 0).Select(t => $"{t.Name}={t.Value.GetInt32()}")];

    private async Task<JsonElement> ShowAsync(params string[] arguments)
    {
        using var json = JsonDocument.Parse((await Router.ExpectSuccessAsync(arguments)).StandardOutput);
        return json.RootElement.Clone();
    }
}
