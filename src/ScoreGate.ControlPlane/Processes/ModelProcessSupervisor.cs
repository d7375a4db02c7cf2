using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Processes;

/// <summary>
/// Runs the models of process deployments (<c>backend.command</c>, or a scoring script in the
/// inference host): the publisher asks it for a deployment's instances, and it starts copies that
/// are new, keeps those whose command is unchanged, and stops those whose deployment is gone or
/// changed. All stop with the router.
/// </summary>
public sealed class ModelProcessSupervisor(InferenceHost host, ILogger<ModelProcessSupervisor> logger) : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>Makes the running processes match these deployments and returns each one's instances.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ModelInstance>> Reconcile(IEnumerable<DeploymentRecord> deployments)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        var wanted = deployments.Where(d => d.Details.Process is not null).ToDictionary(Key, StringComparer.OrdinalIgnoreCase);
        var stopped = new List<Group>();
        var result = new Dictionary<string, IReadOnlyList<ModelInstance>>(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            foreach (var (key, group) in _groups.ToList())
            {
                if (!wanted.TryGetValue(key, out var deployment) || !group.Matches(deployment))
                {
                    _groups.Remove(key);
                    stopped.Add(group);
                }
            }

            foreach (var (key, deployment) in wanted)
            {
                if (!_groups.TryGetValue(key, out var group))
                {
                    group = Group.Start(deployment, host, logger);
                    _groups[key] = group;
                }

                result[key] = [.. group.Processes.Select(p => p.Instance)];
            }
        }

        // Stopping waits for processes to exit: never under the lock.
        _ = Task.WhenAll(stopped.Select(g => g.DisposeAsync().AsTask()));
        return result;
    }

    /// <summary>The key <see cref="Reconcile"/> answers by.</summary>
    public static string Key(DeploymentRecord deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return $"{deployment.EndpointName}/{deployment.Name}";
    }

    public ProcessLog? LogOf(string endpoint, string deployment)
    {
        lock (_gate)
        {
            return _groups.GetValueOrDefault($"{endpoint}/{deployment}")?.Log;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        List<Group> groups;
        lock (_gate)
        {
            groups = [.. _groups.Values];
            _groups.Clear();
        }

        await Task.WhenAll(groups.Select(g => g.DisposeAsync().AsTask()));
    }

    private sealed class Group(DeploymentRecord deployment, IReadOnlyList<ModelProcess> processes, ProcessLog log, InferenceHost.RunFolder? runFolder) : IAsyncDisposable
    {
        public IReadOnlyList<ModelProcess> Processes { get; } = processes;

        public ProcessLog Log { get; } = log;

        public static Group Start(DeploymentRecord deployment, InferenceHost host, ILogger logger)
        {
            var spec = deployment.Details.Process!;
            var gated = deployment.Details.ReadinessProbe is not null;
            var log = new ProcessLog();
            var owner = $"Endpoint {deployment.EndpointName}, deployment {deployment.Name}";
            InferenceHost.RunFolder? runFolder = null;
            if (spec.Script is { } script)
            {
                try
                {
                    runFolder = InferenceHost.RunFolder.Create(script);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The hosts still start, and init() finds no model; the log says why.
                    log.Add(0, $"could not lay out AZUREML_MODEL_DIR for {script.ModelPath}: {error.Message}");
                    runFolder = InferenceHost.RunFolder.Create(script with { ModelPath = null });
                }

                spec = host.Launch(spec, runFolder, deployment.RequestSettings.MaxConcurrentRequestsPerInstance);
            }

            var processes = Enumerable.Range(0, spec.InstanceCount)
                .Select(i => new ModelProcess(spec, i, log, owner, gated, deployment.Details.ScoringRoute, runFolder?.Socket(i), logger))
                .ToList();
            return new Group(deployment, processes, log, runFolder);
        }

        /// <summary>
        /// Same command, the same say of a readiness probe, the same scoring route: the running
        /// copies can stay. A scoring script's copies also restart on every update of their
        /// deployment, so an edited score.py or model takes effect, as `az ml online-deployment update` does.
        /// </summary>
        public bool Matches(DeploymentRecord other) =>
            deployment.Details.Process!.SameAs(other.Details.Process) &&
            (deployment.Details.ReadinessProbe is null) == (other.Details.ReadinessProbe is null) &&
            deployment.Details.ScoringRoute == other.Details.ScoringRoute &&
            (deployment.Details.Process.Script is null || deployment.UpdatedAt == other.UpdatedAt);

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(Processes.Select(p => p.DisposeAsync().AsTask()));
            runFolder?.Dispose();
        }
    }
}
