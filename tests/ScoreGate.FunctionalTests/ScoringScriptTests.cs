using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Scoring-script deployments (code_configuration + model, no backend): the router runs each
/// script in its own Python inference host with Debian's python3, and the shapes Azure ML's
/// inference server supports answer through it: raw HTTP, inference_schema with numpy, version 1
/// scripts, and failing init() and run().
/// </summary>
public sealed class ScoringScriptTests(ScoringScriptTests.Router fixture) : IClassFixture<ScoringScriptTests.Router>
{
    /// <summary>One router for the class (plain HTTP: TLS is tested elsewhere, and with the tutorial); each test has its own endpoint.</summary>
    public sealed class Router : IAsyncLifetime
    {
        public RouterProcess Process { get; private set; } = null!;

        public TempDirectory Files { get; } = new();

        /// <summary>A router setting given as a variable, as a store's connection string often is: models must not see it.</summary>
        public async Task InitializeAsync() =>
            Process = await RouterProcess.StartAsync(
                ["--allowInsecureConnections", "true", "--pythonCommand", DebianPython], environment: new Dictionary<string, string> { ["SCOREGATE_logFormat"] = "text" });

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            Files.Dispose();
        }
    }

    /// <summary>Debian's interpreter, where python3-numpy and friends are installed (the first python3 on PATH may be another).</summary>
    public const string DebianPython = "/usr/bin/python3";

    private static readonly string Scripts = Path.Combine(RepositoryPaths.Root, "tests", "ScoreGate.FunctionalTests", "TestData", "scoring-scripts");

    private RouterProcess RouterProcess => fixture.Process;

    [Fact]
    public async Task RawHttpScript_AnswersABinaryBody_WithItsOwnStatusAndHeaders()
    {
        var key = await DeployAsync("raw", "rawhttp_binary.py");
        var body = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/raw/score?mode=reverse") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Caller", "functional-test");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(body.Reverse(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("256", response.Headers.GetValues("X-Body-Length").Single());
        Assert.Equal("functional-test", response.Headers.GetValues("X-Caller").Single());
        Assert.Equal("reverse", response.Headers.GetValues("X-Mode").Single());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);

        // The host echoes request ids as Azure's server does; the router owns them, so each comes once, and the host's Server name stays inside.
        Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.DoesNotContain(response.Headers.Server, s => s.Product?.Name == "scoregate-inference-host");
    }

    [Fact]
    public async Task InferenceSchemaScript_TakesNumpyInput_AndDescribesItInSwagger()
    {
        var key = await DeployAsync("schema", "numpy_schema.py");
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };

        using var response = await PostAsync(client, "schema", key, """{"data": [[1, 2, 3], [4, 5, 6.5]]}""");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([6.0, 15.5], answer.RootElement.GetProperty("sums").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("float64", answer.RootElement.GetProperty("dtype").GetString());

        using var swaggerRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/service/schema/swagger.json");
        swaggerRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var swagger = await client.SendAsync(swaggerRequest);
        var document = await swagger.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        using var json = JsonDocument.Parse(document);
        Assert.Equal("2.0", json.RootElement.GetProperty("swagger").GetString());
        Assert.Contains("\"data\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionOneScript_FindsItsModel_SeesItsEnvironment_AndTheModelSurvivesTheDeployment()
    {
        var model = Path.Combine(fixture.Files.Path, "v1-model-copy");
        CopyFolder(Path.Combine(Scripts, "v1-model"), model);
        var key = await DeployAsync("version-one", "v1_model_path.py", $"model:\n  path: {model}/iris-v1\nenvironment_variables:\n  GREETING: hello from the file\n");
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };

        using var response = await PostAsync(client, "version-one", key, """{"data": [[1, 2, 3, 4]]}""");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4321, answer.RootElement.GetProperty("scores")[0].GetDouble());
        Assert.Equal("hello from the file", answer.RootElement.GetProperty("greeting").GetString());

        // Only what the router tells the host; none of its own settings.
        Assert.Equal(["SCOREGATE_MAX_CONCURRENT_REQUESTS", "SCOREGATE_SOCKET"], answer.RootElement.GetProperty("scoregate_variables").EnumerateArray().Select(v => v.GetString()));

        // The host listens on a Unix socket in a folder only the router's user can enter.
        using var show = JsonDocument.Parse(await ShowAsync("version-one"));
        var address = show.RootElement.GetProperty("instances")[0].GetProperty("url").GetString()!;
        Assert.StartsWith("unix:", address, StringComparison.Ordinal);
        var runFolder = Path.GetDirectoryName(address["unix:".Length..])!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(runFolder));

        // The model folder is linked into AZUREML_MODEL_DIR, never copied or moved: deleting the deployment leaves it alone.
        await RouterProcess.ExpectSuccessAsync("endpoint", "update", "--name", "version-one", "--traffic", "blue=0");
        await RouterProcess.ExpectSuccessAsync("deployment", "delete", "--endpoint", "version-one", "--name", "blue");
        await Eventually.TrueAsync(() => !Directory.Exists(runFolder), "the run folder was not removed with the deployment");
        Assert.True(File.Exists(Path.Combine(model, "iris-v1", "weights.json")));
    }

    [Fact]
    public async Task FailingInit_LeavesTheInstanceNotReady_TracebackInLogs_ReasonInShow_And503()
    {
        var key = await DeployAsync("broken-init", "init_raises.py", waitUntilReady: false);
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };

        await Eventually.TrueAsync(async () => (await ShowAsync("broken-init")).Contains("init() failed", StringComparison.Ordinal),
            "deployment show never said why the instance is not ready", TimeSpan.FromSeconds(60));
        using (var show = JsonDocument.Parse(await ShowAsync("broken-init")))
        {
            var instance = show.RootElement.GetProperty("instances")[0];
            Assert.False(instance.GetProperty("ready").GetBoolean());
            Assert.Contains("RuntimeError: the model file is corrupt", instance.GetProperty("problem").GetString(), StringComparison.Ordinal);
        }

        // The CLI shows it as the Azure CLI would, with the reason beside the instance.
        var shown = await RouterProcess.ExpectSuccessAsync("deployment", "show", "--endpoint", "broken-init", "--name", "blue");
        using (var cli = JsonDocument.Parse(shown.StandardOutput))
        {
            Assert.Equal("init_raises.py", cli.RootElement.GetProperty("code_configuration").GetProperty("scoring_script").GetString());
            Assert.Contains("init() failed", cli.RootElement.GetProperty("instances")[0].GetProperty("problem").GetString(), StringComparison.Ordinal);
            Assert.False(cli.RootElement.TryGetProperty("backend", out _));
        }

        using var response = await PostAsync(client, "broken-init", key, """{"data": [[1]]}""");
        // The client learns it is not ready and who can see why, not the model's error text (it may hold paths or secrets).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = await MessageAsync(response);
        Assert.Contains("scoregate deployment show", message, StringComparison.Ordinal);
        Assert.DoesNotContain("corrupt", message, StringComparison.Ordinal);

        var logs = await RouterProcess.ExpectSuccessAsync("deployment", "logs", "--endpoint", "broken-init", "--name", "blue");
        Assert.Contains("Traceback (most recent call last)", logs.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("RuntimeError: the model file is corrupt", logs.StandardOutput, StringComparison.Ordinal);

        // Not a crash loop: the host that failed init() is still the one running.
        Assert.DoesNotContain("exited (code", RouterProcess.Process.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllTraffic_ToAScriptWhoseInitFails_LeavesTheTrafficWhereItWas()
    {
        var key = await DeployAsync("guarded", "run_raises.py");
        var file = Path.Combine(fixture.Files.Path, "guarded-green.yml");
        await File.WriteAllTextAsync(file, $"name: green\nendpoint_name: guarded\ncode_configuration:\n  code: {Scripts}\n  scoring_script: init_raises.py\nreadiness_probe:\n  initial_delay: 0\n  period: 1\n");

        var run = await RouterProcess.CliAsync("deployment", "create", "-f", file, "--all-traffic");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("deployment 'green' was created and exists, but it is not ready, so endpoint 'guarded''s traffic was left as it was", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("init() failed: RuntimeError: the model file is corrupt", run.StandardError, StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };
        using var still = await PostAsync(client, "guarded", key, """{"data": [[1, 2, 3, 4]]}""");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task FailingRun_Gives424_WithTheModelsError()
    {
        var key = await DeployAsync("broken-run", "run_raises.py");
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };

        using var good = await PostAsync(client, "broken-run", key, """{"data": [[1, 2, 3, 4]]}""");
        using var bad = await PostAsync(client, "broken-run", key, """{"data": [[1, 2, 3]]}""");

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("[10]", (await good.Content.ReadAsStringAsync()).Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode)424, bad.StatusCode);
        Assert.Equal("500", bad.Headers.GetValues("ms-azureml-model-error-statuscode").Single());
        Assert.Contains("ValueError: expected 4 features per row, got 3", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // One bad request does not take the instance out: the next good one is served.
        using var again = await PostAsync(client, "broken-run", key, """{"data": [[1, 1, 1, 1]]}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task SampleScriptDeployment_UnchangedFile_AnswersAsTheCompiledSample_AfterAzuresProbeDelay()
    {
        var samples = Path.Combine(RepositoryPaths.Root, "samples");
        await RouterProcess.ExpectSuccessAsync("endpoint", "create", "-f", Path.Combine(samples, "online-endpoint", "endpoint.yml"));
        await RouterProcess.ExpectSuccessAsync("deployment", "create", "-f", Path.Combine(samples, "scoring-script", "deployment.yml"));
        await RouterProcess.ExpectSuccessAsync("endpoint", "update", "--name", "iris-endpoint", "--traffic", "script=100");
        var credentials = await RouterProcess.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "iris-endpoint");
        var key = JsonDocument.Parse(credentials.StandardOutput).RootElement.GetProperty("primaryKey").GetString()!;
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };
        var request = await File.ReadAllTextAsync(Path.Combine(samples, "scoring-script", "sample-request.json"));

        // Azure's default readiness probe waits 10 s before its first look.
        await Eventually.TrueAsync(async () => (await PostAsync(client, "iris-endpoint", key, request)).StatusCode == HttpStatusCode.OK,
            "the sample script never served", TimeSpan.FromSeconds(60));
        using var response = await PostAsync(client, "iris-endpoint", key, request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(["setosa", "virginica"], answer.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
        Assert.All(answer.RootElement.GetProperty("probabilities").EnumerateArray(), p => Assert.Equal(1.0, p.EnumerateArray().Sum(v => v.GetDouble()), 2));
    }

    [Fact]
    public async Task EditedScript_TakesEffect_OnDeploymentUpdate()
    {
        var code = Path.Combine(fixture.Files.Path, "editable");
        Directory.CreateDirectory(code);
        await File.WriteAllTextAsync(Path.Combine(code, "score.py"), "def run(raw_data):\n    return 'version 1'\n");
        var key = await DeployAsync("editable", "score.py", codeFolder: code);
        using var client = new HttpClient { BaseAddress = RouterProcess.HttpBase };
        using (var first = await PostAsync(client, "editable", key, "{}"))
        {
            Assert.Equal("\"version 1\"", await first.Content.ReadAsStringAsync());
        }

        await File.WriteAllTextAsync(Path.Combine(code, "score.py"), "def run(raw_data):\n    return 'version 2'\n");
        await RouterProcess.ExpectSuccessAsync("deployment", "update", "-f", Path.Combine(fixture.Files.Path, "editable.yml"));

        await Eventually.TrueAsync(async () =>
            {
                using var response = await PostAsync(client, "editable", key, "{}");
                return await response.Content.ReadAsStringAsync() == "\"version 2\"";
            },
            "the edited script never answered", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task ScriptOrModelMissingOnTheRoutersMachine_IsRefusedAtItsFieldAndLine_AndNothingIsDeployed()
    {
        await RouterProcess.ExpectSuccessAsync("endpoint", "create", "--name", "missing-files");
        var file = Path.Combine(fixture.Files.Path, "missing-files.yml");
        string Deployment(string script) =>
            $"name: blue\nendpoint_name: missing-files\nmodel:\n  path: ./no-such-model\ncode_configuration:\n  code: {Scripts}\n  scoring_script: {script}\n";

        await File.WriteAllTextAsync(file, Deployment("no_such_score.py"));
        var noScript = await RouterProcess.CliAsync("deployment", "create", "-f", file);
        await File.WriteAllTextAsync(file, Deployment("run_raises.py"));
        var noModel = await RouterProcess.CliAsync("deployment", "create", "-f", file);

        Assert.NotEqual(0, noScript.ExitCode);
        Assert.Contains($"{file}:7: code_configuration.scoring_script: Deployment 'blue': code_configuration.scoring_script 'no_such_score.py' is not a file in {Scripts}.", noScript.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, noModel.ExitCode);
        Assert.Contains($"{file}:4: model.path: Deployment 'blue': model.path '{fixture.Files.Path}/no-such-model' is neither a folder nor a file on the router's machine.", noModel.StandardError, StringComparison.Ordinal);
        using var admin = RouterProcess.CreateAdminClient();
        Assert.Equal("[]", (await admin.GetStringAsync("api/endpoints/missing-files/deployments")).Trim());
    }

    /// <summary>An endpoint with one scoring-script deployment, blue, at 100 %; probes every second so the test need not wait Azure's 10 s.</summary>
    private async Task<string> DeployAsync(string endpoint, string script, string extra = "", bool waitUntilReady = true, string? codeFolder = null)
    {
        var file = Path.Combine(fixture.Files.Path, $"{endpoint}.yml");
        await File.WriteAllTextAsync(file, $"""
            name: blue
            endpoint_name: {endpoint}
            code_configuration:
              code: {codeFolder ?? Scripts}
              scoring_script: {script}
            readiness_probe:
              initial_delay: 0
              period: 1
            liveness_probe:
              initial_delay: 0
              period: 1
            request_settings:
              max_concurrent_requests_per_instance: 2
            {extra}
            """);
        var (key, _) = await RouterProcess.CreateEndpointAsync(endpoint);
        await RouterProcess.ExpectSuccessAsync("deployment", "create", "-f", file);
        await RouterProcess.ExpectSuccessAsync("endpoint", "update", "--name", endpoint, "--traffic", "blue=100");
        if (waitUntilReady)
        {
            await Eventually.TrueAsync(async () => JsonDocument.Parse(await ShowAsync(endpoint)).RootElement.GetProperty("instances").EnumerateArray().All(i => i.GetProperty("ready").GetBoolean()),
                $"the {script} instance never became ready", TimeSpan.FromSeconds(60));
        }

        return key;
    }

    private async Task<string> ShowAsync(string endpoint)
    {
        using var admin = RouterProcess.CreateAdminClient();
        return await admin.GetStringAsync($"api/endpoints/{endpoint}/deployments/blue");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string endpoint, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/service/{endpoint}/score") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
