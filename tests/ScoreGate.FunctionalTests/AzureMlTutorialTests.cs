using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Azure ML's online endpoint tutorial, typed as a migrating user types it: its endpoint file and
/// blue/green deployment files (scoring script, model, environment, instance_type; no backend),
/// with scikit-learn models pickled at test time and Debian's python3 running them. Everything a
/// client sees goes over HTTPS with key auth.
/// </summary>
public sealed class AzureMlTutorialTests : IAsyncLifetime
{
    private static readonly string Tutorial = Path.Combine(RepositoryPaths.Root, "tests", "ScoreGate.FunctionalTests", "TestData", "azureml-tutorial");

    private readonly TempDirectory _files = new();
    private readonly TempDirectory _state = new();
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.CreateRoot("ScoreGate Tutorial Dev Root");
    private RouterProcess _router = null!;

    private string Folder => _files.File("tutorial");

    public async Task InitializeAsync()
    {
        // The user's folder: the files as they are, and the models their training made.
        foreach (var file in Directory.EnumerateFiles(Tutorial, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Folder, Path.GetRelativePath(Tutorial, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var training = await ProcessRun.RunAsync(ScoringScriptTests.DebianPython, [Path.Combine(Folder, "make_models.py")], TimeSpan.FromMinutes(2), Folder);
        Assert.True(training.ExitCode == 0, training.StandardError);

        // The router's certificate comes from a CA kept where quickstart keeps its development CA, so invoke trusts it.
        using var leaf = _ca.Issue(["localhost", "127.0.0.1"]);
        var (certificate, key) = leaf.WriteTo(_files.Path);
        Directory.CreateDirectory(Path.Combine(_state.Path, "dev-ca"));
        await File.WriteAllTextAsync(Path.Combine(_state.Path, "dev-ca", "ca.pem"), _ca.CertificatePem);
        _router = await RouterProcess.StartAsync(
            ["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", "localhost", "--pythonCommand", ScoringScriptTests.DebianPython], _state.Path);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        _ca.Dispose();
        _files.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task Tutorial_CreateInvokeRollOutGreen_PinnedRequestGetsGreensAnswer()
    {
        await _router.ExpectSuccessAsync("endpoint", "create", "-f", Path.Combine(Folder, "endpoint.yml"));

        var blue = await _router.ExpectSuccessAsync("deployment", "create", "-f", Path.Combine(Folder, "blue-deployment.yml"), "--all-traffic");
        Assert.Contains("environment.conda_file: ScoreGate builds no conda environment; the script may need numpy, scikit-learn, scipy, joblib.",
            blue.StandardError, StringComparison.Ordinal);
        await WaitUntilReadyAsync("blue");

        // az ml online-endpoint invoke --name my-endpoint --request-file sample-request.json
        var invoked = await _router.ExpectSuccessAsync("endpoint", "invoke", "--name", "my-endpoint", "--request-file", Path.Combine(Folder, "sample-request.json"));
        Assert.Equal([55.0, 55.0], Predictions(invoked.StandardOutput));

        await _router.ExpectSuccessAsync("deployment", "create", "-f", Path.Combine(Folder, "green-deployment.yml"));
        await WaitUntilReadyAsync("green");
        await _router.ExpectSuccessAsync("endpoint", "update", "--name", "my-endpoint", "--traffic", "blue=90 green=10");
        var show = await _router.ExpectSuccessAsync("endpoint", "show", "--name", "my-endpoint");
        using (var endpoint = JsonDocument.Parse(show.StandardOutput))
        {
            Assert.Equal(90, endpoint.RootElement.GetProperty("traffic").GetProperty("blue").GetInt32());
            Assert.Equal(10, endpoint.RootElement.GetProperty("traffic").GetProperty("green").GetInt32());
            Assert.StartsWith("https://localhost", endpoint.RootElement.GetProperty("scoring_uri").GetString(), StringComparison.Ordinal);
        }

        // Pinned to green, with the header and with invoke's --deployment-name: green's model (y = 2 sum(x)) answers.
        using var client = _router.CreateHttpsClient(_ca.Certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/my-endpoint/score")
        {
            Content = new StringContent(await File.ReadAllTextAsync(Path.Combine(Folder, "sample-request.json")), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await PrimaryKeyAsync());
        request.Headers.Add("azureml-model-deployment", "green");
        using var pinned = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        Assert.Equal("green", pinned.Headers.GetValues("azureml-model-deployment").Single());
        var pinnedAnswer = await pinned.Content.ReadAsStringAsync();
        Assert.Equal([110.0, 110.0], Predictions(pinnedAnswer));

        var invokedGreen = await _router.ExpectSuccessAsync("endpoint", "invoke", "--name", "my-endpoint", "--request-file", Path.Combine(Folder, "sample-request.json"), "--deployment-name", "green");
        Assert.Equal([110.0, 110.0], Predictions(invokedGreen.StandardOutput));

        var logs = await _router.ExpectSuccessAsync("deployment", "logs", "--endpoint", "my-endpoint", "--name", "green");
        Assert.Contains("model 2 loaded from", logs.StandardOutput, StringComparison.Ordinal);
    }

    private static double[] Predictions(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(p => Math.Round(p.GetDouble(), 6))];

    private async Task<string> PrimaryKeyAsync()
    {
        var credentials = await _router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "my-endpoint");
        return JsonDocument.Parse(credentials.StandardOutput).RootElement.GetProperty("primaryKey").GetString()!;
    }

    /// <summary>Azure's default readiness probe looks first after 10 s; the tutorial's files keep it.</summary>
    private async Task WaitUntilReadyAsync(string deployment)
    {
        using var admin = _router.CreateAdminClient();
        await Eventually.TrueAsync(async () =>
            {
                using var view = JsonDocument.Parse(await admin.GetStringAsync($"api/endpoints/my-endpoint/deployments/{deployment}"));
                var instances = view.RootElement.GetProperty("instances");
                return instances.GetArrayLength() == 1 && instances[0].GetProperty("ready").GetBoolean();
            },
            $"{deployment} never became ready", TimeSpan.FromSeconds(90));
    }
}
