using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// The Native AOT binary scripts/publish makes, run as a user would: <c>serve</c> with a
/// certificate and the SQLite store, the CLI with YAML files (endpoint and deployment), one
/// HTTPS scoring request, then SIGTERM. Trimming and AOT break code that reflects at run time;
/// this runs the paths that used to (JSON, the store, YAML, minimal APIs) in the binary itself.
/// </summary>
/// <remarks>
/// scripts/test publishes once and names the folder in <see cref="PublishedBinary.EnvironmentVariable"/>;
/// without it (a test run by hand) the test publishes into a temporary folder. A failed publish
/// fails the test.
/// </remarks>
public sealed class NativeAotTests(PublishedBinary published) : IClassFixture<PublishedBinary>
{
    private const string Body = """{"data": [[5.1, 3.5, 1.4, 0.2]]}""";

    [Fact]
    public async Task PublishedBinary_ServesOverHttpsFromYamlFiles_AndExitsCleanlyOnSigterm()
    {
        var binary = published.Path;
        Assert.True(IsNativeExecutable(binary), $"{binary} is not a native (ELF) executable.");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "scoregate-openssl.cnf")), "scoregate-openssl.cnf is not published beside the binary.");
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "inference-host", "scoregate_inference_host.py")), "inference-host/ is not published beside the binary.");

        using var files = new TempDirectory();
        using var ca = TestCertificateAuthority.CreateRoot();
        using var leaf = ca.Issue(["localhost", "127.0.0.1"]);
        var (certificate, key) = leaf.WriteTo(files.Path);
        await using var model = await FakeModel.StartAsync("blue");
        await using var router = await RouterProcess.StartAsync(["--sslCertPemFile", certificate, "--sslKeyPemFile", key, "--sslCname", "localhost"], executable: binary);
        Assert.True(File.Exists(Path.Combine(router.StateDir, "scoregate.db")), "serve made no SQLite store in stateDir.");

        var endpointFile = files.Write("endpoint.yml", "name: aot-smoke\nauth_mode: key\ndescription: Native AOT smoke test\ntags:\n  built: aot\n");
        var deploymentFile = files.Write("blue.yml", $"name: blue\nendpoint_name: aot-smoke\nbackend:\n  urls: [{model.Url}]\nrequest_settings:\n  request_timeout_ms: 5000\n");
        var endpointCreated = await router.ExpectSuccessAsync("endpoint", "create", "-f", endpointFile);
        using (var endpoint = JsonDocument.Parse(endpointCreated.StandardOutput))
        {
            Assert.Equal("key", endpoint.RootElement.GetProperty("auth_mode").GetString());
            Assert.Equal("aot", endpoint.RootElement.GetProperty("tags").GetProperty("built").GetString());
        }

        await router.ExpectSuccessAsync("deployment", "create", "-f", deploymentFile, "--all-traffic");
        var credentials = await router.ExpectSuccessAsync("endpoint", "get-credentials", "--name", "aot-smoke");
        using var keys = JsonDocument.Parse(credentials.StandardOutput);
        var primary = keys.RootElement.GetProperty("primaryKey").GetString()!;

        using (var client = router.CreateHttpsClient(ca.Certificate))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/service/aot-smoke/score")
            {
                Content = new StringContent(Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", primary);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Scoring answered {(int)response.StatusCode}: {text}\n{router.Process.AllOutput}");
            using var answer = JsonDocument.Parse(text);
            Assert.Equal("blue", answer.RootElement.GetProperty("model").GetString());
            Assert.Equal(Body, answer.RootElement.GetProperty("body").GetString());
        }

        await router.Process.TerminateAsync(TimeSpan.FromSeconds(10));
        Assert.True(router.Process.ExitCode == 0, $"serve exited {router.Process.ExitCode} on SIGTERM:\n{router.Process.AllOutput}");
    }

    /// <summary>The sample model runs inside the binary (minimal APIs, its own JSON): quickstart's curl line must score.</summary>
    [Fact]
    public async Task PublishedBinary_Quickstart_PrintsCurlLineThatScores()
    {
        using var state = new TempDirectory();
        using var quickstart = ProcessRun.Start(published.Path,
            ["quickstart", "--httpsPort", $"{FreePort.Next()}", "--httpPort", $"{FreePort.Next()}", "--adminUrl", $"http://127.0.0.1:{FreePort.Next()}", "--stateDir", state.Path],
            state.Path);
        var curl = await quickstart.WaitForLineAsync(l => l.StartsWith("curl ", StringComparison.Ordinal), TimeSpan.FromMinutes(1));

        using var scored = await ProcessRun.RunAsync("bash", ["-c", curl + " --fail-with-body -sS"], TimeSpan.FromSeconds(30));

        Assert.True(scored.ExitCode == 0, scored.AllOutput);
        using var answer = JsonDocument.Parse(scored.StandardOutput);
        Assert.Equal(["setosa", "virginica"], answer.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, answer.RootElement.GetProperty("probabilities").GetArrayLength());
        await quickstart.TerminateAsync(TimeSpan.FromSeconds(10), "INT");
        Assert.Contains("quickstart stopped.", quickstart.StandardOutput);
    }

    private static bool IsNativeExecutable(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }
}

/// <summary>
/// The binary scripts/test published (its folder in <see cref="EnvironmentVariable"/>), or one
/// published now into a temporary folder, once for the test class.
/// </summary>
public sealed class PublishedBinary : IAsyncLifetime
{
    /// <summary>The folder scripts/publish wrote to, set by scripts/test.</summary>
    public const string EnvironmentVariable = "SCOREGATE_AOT_PUBLISHED";

    private readonly TempDirectory _directory = new();

    /// <summary>The published <c>scoregate</c> executable.</summary>
    public string Path { get; private set; } = null!;

    public async Task InitializeAsync() => Path = await PublishedBinaryAsync(_directory.Path);

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private static async Task<string> PublishedBinaryAsync(string directory)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } published)
        {
            var binary = System.IO.Path.Combine(published, "scoregate");
            if (!File.Exists(binary))
            {
                var log = System.IO.Path.Combine(published, "..", "publish.log");
                Assert.Fail($"scripts/publish did not produce {binary}.{(File.Exists(log) ? $"\n{await File.ReadAllTextAsync(log)}" : string.Empty)}");
            }

            return binary;
        }

        var output = System.IO.Path.Combine(directory, "scoregate");
        using var run = await ProcessRun.RunAsync("bash", [System.IO.Path.Combine(RepositoryPaths.Root, "scripts", "publish"), output], TimeSpan.FromMinutes(25), RepositoryPaths.Root);
        Assert.True(run.ExitCode == 0, $"scripts/publish exited {run.ExitCode}:\n{run.AllOutput}");
        return System.IO.Path.Combine(output, "scoregate");
    }
}
