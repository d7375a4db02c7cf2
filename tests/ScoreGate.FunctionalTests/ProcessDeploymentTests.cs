using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Process deployments (<c>backend.command</c>): the router runs the model itself, restarts it when
/// it dies, keeps its output, and stops it with itself. The model is the real sample model.
/// </summary>
public sealed partial class ProcessDeploymentTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private RouterProcess _router = null!;

    public async Task InitializeAsync() =>
        _router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task TwoInstances_OneKilledUnderLoad_IsRestarted_TrafficContinues_OutputKept_StoppedWithTheRouter()
    {
        // The surviving instance must stay in turn: on a loaded machine one slow probe is not a failure (3 in a row, 5 s each).
        var file = _dir.Write("iris.yml", $"""
            name: blue
            endpoint_name: iris
            instance_count: 2
            environment_variables:
              GREETING: hello from the deployment file
            request_settings:
              max_concurrent_requests_per_instance: 4
            readiness_probe:
              path: /
              initial_delay: 0
              period: 1
              timeout: 5
              failure_threshold: 3
            backend:
              command: echo "$GREETING on port $PORT, inline completions [$DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS]"; exec dotnet {RepositoryPaths.SampleModelDll}
            """);
        var (key, _) = await _router.CreateEndpointAsync("iris");
        await _router.ExpectSuccessAsync("deployment", "create", "-f", file);
        await _router.ExpectSuccessAsync("endpoint", "update", "--name", "iris", "--traffic", "blue=100");
        using var client = new HttpClient { BaseAddress = _router.HttpBase };
        await Eventually.TrueAsync(async () => (await ScoreAsync(client, "iris", key)).StatusCode == HttpStatusCode.OK, "the model processes never served", TimeSpan.FromSeconds(60));
        var pids = await StartedPidsAsync(2);

        // Load, then one instance dies.
        var statuses = new ConcurrentQueue<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                statuses.Enqueue((await ScoreAsync(client, "iris", key)).StatusCode);
            }
        });
        await Eventually.TrueAsync(() => statuses.Count > 20, "no load");
        Process.GetProcessById(pids[1]).Kill(entireProcessTree: true);
        var restarted = await StartedPidsAsync(3);
        await Eventually.TrueAsync(async () => (await _router.ScrapeMetricsAsync()).Samples.Count(s => s.Name == "scoregate_instance_ready" && s.Has("deployment", "blue") && s.Value == 1) == 2,
            "the restarted instance never became ready again", TimeSpan.FromSeconds(60));
        var afterRestart = statuses.Count;
        await Eventually.TrueAsync(() => statuses.Count > afterRestart + 20, "no load after the restart");
        await stop.CancelAsync();
        await load;

        Assert.NotEqual(pids[1], restarted[2]);
        Assert.Contains("exited (code", _router.Process.AllOutput, StringComparison.Ordinal);
        // Only requests already on their way to the dead instance can fail; everything after is served.
        Assert.True(statuses.Count(s => s != HttpStatusCode.OK) <= 4, string.Join(", ", statuses.Where(s => s != HttpStatusCode.OK)));
        Assert.All(statuses.Skip(afterRestart), s => Assert.Equal(HttpStatusCode.OK, s));

        var logs = await _router.ExpectSuccessAsync("deployment", "logs", "--endpoint", "iris", "--name", "blue");
        Assert.Contains("[0] hello from the deployment file on port", logs.StandardOutput, StringComparison.Ordinal);
        // The router's own socket tuning (InlineSocketCompletions) is not passed on to its models.
        Assert.Contains("inline completions []", logs.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[1] hello from the deployment file on port", logs.StandardOutput, StringComparison.Ordinal);

        // Stopping the router (SIGTERM, as a service manager does) stops its models.
        var running = (await StartedPidsAsync(3)).Where(pid => pid != pids[1]).ToList();
        await _router.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => running.All(HasExited), $"model processes {string.Join(", ", running.Where(p => !HasExited(p)))} outlived the router");
    }

    [Fact]
    public async Task LivenessProbeFailing_RestartsTheProcess()
    {
        var file = _dir.Write("dying.yml", $"""
            name: blue
            endpoint_name: dying
            liveness_probe:
              path: /no-such-path
              initial_delay: 0
              period: 1
              failure_threshold: 2
            backend:
              command: [dotnet, {RepositoryPaths.SampleModelDll}]
            """);
        await _router.CreateEndpointAsync("dying");
        await _router.ExpectSuccessAsync("deployment", "create", "-f", file);

        var pids = await StartedPidsAsync(2);

        Assert.NotEqual(pids[0], pids[1]);
        Assert.Contains("fails its liveness probe (GET http://127.0.0.1:", _router.Process.AllOutput, StringComparison.Ordinal);
        // 404 once the model listens; refused connections if it is still starting: either way it is restarted.
        Assert.Contains("); restarting it.", _router.Process.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandThatCannotRun_IsLoggedAndRetried_RequestsGet503()
    {
        var file = _dir.Write("broken.yml", """
            name: blue
            endpoint_name: broken
            backend:
              command: [/nonexistent/model-server]
            """);
        var (key, _) = await _router.CreateEndpointAsync("broken");
        await _router.ExpectSuccessAsync("deployment", "create", "-f", file);
        await _router.ExpectSuccessAsync("endpoint", "update", "--name", "broken", "--traffic", "blue=100");
        using var client = new HttpClient { BaseAddress = _router.HttpBase };

        var response = await ScoreAsync(client, "broken", key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await _router.Process.WaitForLineAsync(l => l.Contains("instance 0 could not be started", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    private async Task<IReadOnlyList<int>> StartedPidsAsync(int count)
    {
        var pids = new List<int>();
        await Eventually.TrueAsync(() =>
        {
            pids = [.. StartedLine().Matches(_router.Process.AllOutput).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
            return pids.Count >= count;
        }, $"fewer than {count} model processes started", TimeSpan.FromSeconds(60));
        return pids;
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"deployment blue: instance \d started \(pid (\d+)\)")]
    private static partial Regex StartedLine();
}
