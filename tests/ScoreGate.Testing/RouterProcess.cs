using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ScoreGate.Testing;

/// <summary>
/// A real <c>scoregate serve</c> process on loopback with its own ports and stateDir, plus
/// clients for it: HTTPS (trusting the given CA), plain HTTP, and the CLI.
/// </summary>
public sealed class RouterProcess : IAsyncDisposable
{
    private readonly TempDirectory? _ownedState;
    private readonly string? _executable;

    private RouterProcess(ProcessRun process, string stateDir, int httpsPort, int httpPort, int adminPort, TempDirectory? ownedState, string? executable)
    {
        _executable = executable;
        Process = process;
        StateDir = stateDir;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
        AdminPort = adminPort;
        _ownedState = ownedState;
    }

    public ProcessRun Process { get; }

    public string StateDir { get; }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public int AdminPort { get; }

    public string AdminUrl => $"http://127.0.0.1:{AdminPort}";

    public Uri HttpsBase => new($"https://localhost:{HttpsPort}");

    public Uri HttpBase => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The arguments <c>serve</c> gets besides <paramref name="settings"/>: ports, loopback, stateDir.</summary>
    /// <param name="settings">More settings, as command-line arguments.</param>
    /// <param name="stateDir">A state directory to reuse (a restart), or null for a fresh one.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="ports">HTTPS and HTTP ports chosen beforehand (Pebble must know them), or null for free ones.</param>
    /// <param name="executable">A published scoregate binary (Native AOT) to run, serve and CLI alike, instead of <c>dotnet scoregate.dll</c>.</param>
    public static async Task<RouterProcess> StartAsync(IEnumerable<string> settings, string? stateDir = null, IReadOnlyDictionary<string, string>? environment = null, RouterPorts? ports = null, string? executable = null)
    {
        var owned = stateDir is null ? new TempDirectory() : null;
        stateDir ??= owned!.Path;
        Directory.CreateDirectory(stateDir);
        ports ??= RouterPorts.Free();
        var (https, http, admin) = (ports.Https, ports.Http, FreePort.Next());
        var process = ProcessRun.StartScoreGate(
        [
            "serve", "--httpsPort", $"{https}", "--httpPort", $"{http}", "--adminUrl", $"http://127.0.0.1:{admin}",
            "--listenAddress", "127.0.0.1", "--stateDir", stateDir, .. settings,
        ], workingDirectory: stateDir, environment, executable);
        var router = new RouterProcess(process, stateDir, https, http, admin, owned, executable);
        await router.WaitUntilReadyAsync();
        return router;
    }

    /// <summary>An HttpClient for the router's HTTPS listener that trusts exactly <paramref name="root"/>.</summary>
    public HttpClient CreateHttpsClient(X509Certificate2 root, Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            // localhost resolves to the router's loopback listener; certificate checks stay real.
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => LocalhostTrust.ChainsTo(certificate, root),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        return new HttpClient(handler)
        {
            BaseAddress = HttpsBase,
            DefaultRequestVersion = version ?? System.Net.HttpVersion.Version11,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(AdminUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(StateDir, "admin.token")).Trim());
        return client;
    }

    /// <summary>Runs a CLI verb against this router and returns the finished process.</summary>
    public Task<ProcessRun> CliAsync(params string[] arguments) => _executable is null
        ? ProcessRun.RunAsync("dotnet", [RepositoryPaths.ScoreGateDll, .. arguments, "--adminUrl", AdminUrl, "--stateDir", StateDir], TimeSpan.FromSeconds(60), StateDir)
        : ProcessRun.RunAsync(_executable, [.. arguments, "--adminUrl", AdminUrl, "--stateDir", StateDir], TimeSpan.FromSeconds(60), StateDir);

    /// <summary>Creates an endpoint with key auth and returns its keys (through the CLI, as a user would).</summary>
    public async Task<(string Primary, string Secondary)> CreateEndpointAsync(string name, params (string Deployment, string Url)[] deployments)
    {
        await ExpectSuccessAsync("endpoint", "create", "--name", name);
        foreach (var (deployment, url) in deployments)
        {
            await ExpectSuccessAsync("deployment", "create", "--endpoint", name, "--name", deployment, "--url", url);
        }

        var credentials = await ExpectSuccessAsync("endpoint", "get-credentials", "--name", name);
        using var json = JsonDocument.Parse(credentials.StandardOutput);
        return (json.RootElement.GetProperty("primaryKey").GetString()!, json.RootElement.GetProperty("secondaryKey").GetString()!);
    }

    /// <summary>Creates an endpoint and its deployments and gives them traffic (such as "blue=90,green=10").</summary>
    public async Task<(string Primary, string Secondary)> CreateServedEndpointAsync(string name, string traffic, params (string Deployment, string Url)[] deployments)
    {
        var keys = await CreateEndpointAsync(name, deployments);
        await ExpectSuccessAsync("endpoint", "update", "--name", name, "--traffic", traffic);
        return keys;
    }

    /// <summary>Sets a deployment's request settings through the admin API (Azure ML's names; the CLI takes them from deployment files).</summary>
    public async Task SetRequestSettingsAsync(string endpoint, string deployment, int timeoutMs = 5000, int concurrent = 1, int queueWaitMs = 500)
    {
        using var admin = CreateAdminClient();
        using var response = await admin.PatchAsJsonAsync($"/api/endpoints/{endpoint}/deployments/{deployment}", new
        {
            requestSettings = new { requestTimeoutMs = timeoutMs, maxConcurrentRequestsPerInstance = concurrent, maxQueueWaitMs = queueWaitMs },
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Setting request settings of {endpoint}/{deployment} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>GET /metrics on the admin listener, read as a Prometheus scraper would.</summary>
    public async Task<PrometheusText.Scrape> ScrapeMetricsAsync()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(AdminUrl) };
        using var response = await admin.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentType?.MediaType != "text/plain")
        {
            throw new InvalidOperationException($"/metrics answered {response.Content.Headers.ContentType}, not text/plain.");
        }

        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<ProcessRun> ExpectSuccessAsync(params string[] arguments)
    {
        var run = await CliAsync(arguments);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"scoregate {string.Join(' ', arguments)} exited {run.ExitCode}:\n{run.AllOutput}");
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        Process.Dispose();
        _ownedState?.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // A bound, not a measure: a router starts in about a second, but on a 2-core machine running
        // many test classes at once (each with its routers, models, PostgreSQL) it was seen taking 30.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !Process.HasExited)
        {
            try
            {
                var health = await client.GetFromJsonAsync<JsonElement>($"{AdminUrl}/healthz");
                if (health.GetProperty("status").GetString() == "ok")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"scoregate serve did not become ready (exited: {Process.HasExited}). Output:\n{Process.AllOutput}");
    }
}

/// <summary>The data-plane ports of a router, picked before it starts.</summary>
public sealed record RouterPorts(int Https, int Http)
{
    public static RouterPorts Free() => new(FreePort.Next(), FreePort.Next());
}
