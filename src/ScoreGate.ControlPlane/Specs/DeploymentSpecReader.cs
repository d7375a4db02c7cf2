using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>
/// Reads deployment files: Azure ML's online deployment fields plus ScoreGate's <c>backend</c>,
/// which says where the model runs. Azure-only fields (model, environment, instance_type...) are
/// accepted with a notice, so the same file serves both.
/// </summary>
public static class DeploymentSpecReader
{
    private static readonly string[] AzureOnly =
        ["model", "code_configuration", "environment", "instance_type", "app_insights_enabled", "scale_settings", "data_collector", "egress_public_network_access", "model_mount_path", "type", "resources"];

    private static readonly string[] Known =
        ["$schema", "name", "endpoint_name", "description", "tags", "instance_count", "request_settings", "liveness_probe", "readiness_probe", "environment_variables", "backend", .. AzureOnly];

    private static readonly string[] RequestSettingsFields = ["request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms"];

    private static readonly string[] ProbeFields = ["path", "port", "initial_delay", "period", "timeout", "success_threshold", "failure_threshold"];

    public static SpecReadResult<DeploymentSpec> Read(string yaml) => Read(yaml, null);

    /// <param name="yaml">The file's text.</param>
    /// <param name="overrides">Values given beside the file (name, endpoint_name), which win over its own.</param>
    public static SpecReadResult<DeploymentSpec> Read(string yaml, SpecOverrides? overrides)
    {
        var problems = new List<SpecProblem>();
        if (SpecDocument.Root(yaml, problems) is not { } root)
        {
            return new SpecReadResult<DeploymentSpec>(null, problems, [], new Dictionary<string, int>());
        }

        var name = overrides?.Name ?? root.Text("name", required: true);
        var endpointName = overrides?.EndpointName ?? root.Text("endpoint_name", required: true);
        var description = root.Text("description");
        var tags = root.Strings("tags");
        var instanceCount = root.Int("instance_count", 1, 100);
        var requestSettings = ReadRequestSettings(root.Mapping("request_settings"));
        var liveness = ReadProbe(root.Mapping("liveness_probe"));
        var readiness = ReadProbe(root.Mapping("readiness_probe"));
        var environment = root.Strings("environment_variables");
        var (urls, process) = ReadBackend(root, instanceCount, environment);
        root.Text("$schema");
        foreach (var field in AzureOnly)
        {
            root.Ignore(field, "is an Azure ML setting; ScoreGate runs the model that backend names and ignores it.");
        }

        root.RefuseUnknown(Known);
        var spec = new DeploymentSpec(name ?? string.Empty, endpointName ?? string.Empty, description, tags, urls ?? [], requestSettings, liveness, readiness, process);
        return new SpecReadResult<DeploymentSpec>(problems.Count == 0 ? spec : null, problems, root.Notices, root.Lines());
    }

    private static RequestSettings ReadRequestSettings(SpecMapping? mapping)
    {
        var defaults = RequestSettings.Default;
        if (mapping is null)
        {
            return defaults;
        }

        var settings = new RequestSettings(
            mapping.Int("request_timeout_ms", 1, 300_000) ?? defaults.RequestTimeoutMs,
            mapping.Int("max_concurrent_requests_per_instance", 1, 1000) ?? defaults.MaxConcurrentRequestsPerInstance,
            mapping.Int("max_queue_wait_ms", 0, 300_000) ?? defaults.MaxQueueWaitMs);
        mapping.RefuseUnknown(RequestSettingsFields);
        return settings;
    }

    private static ProbeSettings? ReadProbe(SpecMapping? mapping)
    {
        if (mapping is null)
        {
            return null;
        }

        var defaults = new ProbeSettings();
        var path = mapping.Text("path") ?? defaults.Path;
        if (!path.StartsWith('/'))
        {
            mapping.Problem("path", $"'{path}' must start with '/', such as /health.");
        }

        var probe = new ProbeSettings(
            path,
            mapping.Int("port", 1, 65535),
            mapping.Int("initial_delay", 0, 3600) ?? defaults.InitialDelay,
            mapping.Int("period", 1, 3600) ?? defaults.Period,
            mapping.Int("timeout", 1, 3600) ?? defaults.Timeout,
            mapping.Int("success_threshold", 1, 100) ?? defaults.SuccessThreshold,
            mapping.Int("failure_threshold", 1, 1000) ?? defaults.FailureThreshold);
        mapping.RefuseUnknown(ProbeFields);
        return probe;
    }

    /// <summary>
    /// backend.urls (running model servers) or backend.command (a program the router runs
    /// instance_count times); instance_count, if given with URLs, must agree with them.
    /// </summary>
    private static (List<string>? Urls, DeploymentProcess? Process) ReadBackend(SpecMapping root, int? instanceCount, Dictionary<string, string> environment)
    {
        if (root.Mapping("backend") is not { } backend)
        {
            if (!root.Has("backend"))
            {
                root.Problem("backend", "missing. Say where the model runs: backend.urls (running model servers, such as http://127.0.0.1:5001) or backend.command (a program ScoreGate starts).");
            }

            return (null, null);
        }

        var urls = backend.List("urls");
        var command = backend.List("command");
        var workingDirectory = backend.Text("working_directory");
        backend.RefuseUnknown(["urls", "command", "working_directory"]);
        if (urls is not null && command is not null)
        {
            backend.Problem("command", "and backend.urls are both given. Give urls for servers that already run, or command for one ScoreGate starts, not both.");
            return (null, null);
        }

        if (command is not null)
        {
            if (command.Count == 0 || command.Any(string.IsNullOrWhiteSpace))
            {
                backend.Problem("command", "is empty. Give the program and its arguments, such as [python, -m, server], or one shell line.");
                return (null, null);
            }

            // One line runs through the shell, as a Dockerfile's CMD would; a list runs as given.
            var argv = backend.IsScalar("command") ? ["/bin/sh", "-c", command[0]] : command;
            return (null, new DeploymentProcess(argv, instanceCount ?? 1, environment, workingDirectory ?? string.Empty));
        }

        if (urls is null)
        {
            if (!backend.Has("urls"))
            {
                backend.Problem("urls", "missing. Give the base URLs of the model's running instances, such as [http://127.0.0.1:5001], or a command to run.");
            }

            return (null, null);
        }

        if (instanceCount is { } count && count != urls.Count)
        {
            root.Problem("instance_count", $"is {count}, but backend.urls lists {urls.Count}. With URLs, each URL is one instance: drop instance_count or make them agree.");
        }

        root.Notice("environment_variables", "applies to model processes ScoreGate starts (backend.command); with backend.urls the servers are already running, so it is ignored.");
        return (urls, null);
    }
}
