using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>
/// Reads deployment files: Azure ML's online deployment fields plus ScoreGate's <c>backend</c>.
/// A scoring script (<c>code_configuration</c>, usually with <c>model</c>) runs in ScoreGate's
/// inference host; <c>backend</c> names servers that run elsewhere or a command to start. Fields
/// that only mean something on Azure (instance_type, scale_settings...) are accepted with a
/// notice, so the same file serves both.
/// </summary>
public static class DeploymentSpecReader
{
    private static readonly string[] AzureOnly =
        ["instance_type", "app_insights_enabled", "scale_settings", "data_collector", "egress_public_network_access", "model_mount_path", "type", "resources", "private_network_connection", "id", "provisioning_state"];

    private static readonly string[] Known =
        ["$schema", "name", "endpoint_name", "description", "tags", "properties", "instance_count", "request_settings", "liveness_probe", "readiness_probe",
         "environment_variables", "backend", "model", "code_configuration", "environment", .. AzureOnly];

    private static readonly string[] RequestSettingsFields = ["request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms"];

    private static readonly string[] ProbeFields = ["path", "port", "initial_delay", "period", "timeout", "success_threshold", "failure_threshold"];

    /// <summary>The model asset's fields (Azure ML's model YAML); only path matters here.</summary>
    private static readonly string[] ModelFields = ["$schema", "name", "version", "description", "tags", "properties", "type", "path", "flavors", "stage", "job_name", "utc_time_created", "datastore"];

    private static readonly string[] EnvironmentFields = ["$schema", "name", "version", "description", "tags", "properties", "image", "conda_file", "build", "inference_config", "os_type", "datastore"];

    private static readonly string[] InferenceRoutes = ["liveness_route", "readiness_route", "scoring_route"];

    /// <summary>Where ScoreGate's inference host answers liveness and readiness (see src/inference-host).</summary>
    public const string HostLivenessPath = "/";

    public const string HostReadinessPath = "/readyz";

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
        var properties = root.Strings("properties");
        var instanceCount = root.Int("instance_count", 1, 100);
        var requestSettings = ReadRequestSettings(root.Mapping("request_settings"));
        var environment = root.Strings("environment_variables");
        var (routes, condaFile) = ReadEnvironment(root);
        var script = root.Has("backend") ? null : ReadScoringScript(root);
        var (urls, process) = ReadBackend(root, instanceCount, environment, script);

        // Azure ML always probes; its inference host and inference_config say where.
        var runsHost = process?.Script is not null;
        var liveness = ReadProbe(root.Mapping("liveness_probe"), routes.Liveness ?? (runsHost ? new ModelRoute(HostLivenessPath) : null));
        var readiness = ReadProbe(root.Mapping("readiness_probe"), routes.Readiness ?? (runsHost ? new ModelRoute(HostReadinessPath) : null));
        root.Text("$schema");
        foreach (var field in AzureOnly)
        {
            root.Ignore(field, "is an Azure ML setting with no meaning here (ScoreGate runs the model on this machine); ignored.");
        }

        root.RefuseUnknown(Known);
        var spec = new DeploymentSpec(name ?? string.Empty, endpointName ?? string.Empty, description, tags, urls ?? [], requestSettings, liveness, readiness, process, routes.Scoring, properties, condaFile);
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

    /// <param name="mapping">The probe as the file gives it, if it does.</param>
    /// <param name="route">Where the model answers this probe when the file does not say (inference_config, or the inference host): probed with Azure ML's defaults even without a probe block.</param>
    private static ProbeSettings? ReadProbe(SpecMapping? mapping, ModelRoute? route)
    {
        var defaults = new ProbeSettings(route?.Path ?? "/", route?.Port);
        if (mapping is null)
        {
            return route is null ? null : defaults;
        }

        var path = mapping.Text("path") ?? defaults.Path;
        if (!path.StartsWith('/'))
        {
            mapping.Problem("path", $"'{path}' must start with '/', such as /health.");
        }

        var probe = new ProbeSettings(
            path,
            mapping.Int("port", 1, 65535) ?? defaults.Port,
            mapping.Int("initial_delay", 0, 3600) ?? defaults.InitialDelay,
            mapping.Int("period", 1, 3600) ?? defaults.Period,
            mapping.Int("timeout", 1, 3600) ?? defaults.Timeout,
            mapping.Int("success_threshold", 1, 100) ?? defaults.SuccessThreshold,
            mapping.Int("failure_threshold", 1, 1000) ?? defaults.FailureThreshold);
        mapping.RefuseUnknown(ProbeFields);
        return probe;
    }

    private sealed record Routes(ModelRoute? Liveness, ModelRoute? Readiness, ModelRoute? Scoring);

    /// <summary>
    /// environment: ScoreGate builds no image or conda environment (a notice says what to install
    /// instead), but honours inference_config's routes.
    /// </summary>
    private static (Routes Routes, string? CondaFile) ReadEnvironment(SpecMapping root)
    {
        var none = new Routes(null, null, null);
        if (!root.Has("environment"))
        {
            return (none, null);
        }

        if (root.IsScalar("environment"))
        {
            root.Notice("environment", $"'{root.Text("environment")}' is an Azure ML environment, which ScoreGate does not build: the model runs with the Python of the pythonCommand setting (or backend's own), which must have the model's packages.");
            return (none, null);
        }

        if (root.Mapping("environment") is not { } environment)
        {
            return (none, null);
        }

        var condaFile = environment.Text("conda_file");
        environment.Notice("image", "is not pulled or run: a scoring script runs with the Python of the pythonCommand setting, and a custom container runs wherever you start it (give its address in backend.urls).");
        environment.Notice("build", "is not built: ScoreGate runs no container images. Start the image yourself and give its address in backend.urls.");
        foreach (var field in new[] { "name", "version", "description", "tags", "properties", "os_type", "datastore", "$schema" })
        {
            environment.Ignore(field, "describes an Azure ML environment asset; ignored.");
        }

        var routes = none;
        if (environment.Mapping("inference_config") is { } config)
        {
            routes = new Routes(ReadRoute(config, "liveness_route"), ReadRoute(config, "readiness_route"), ReadRoute(config, "scoring_route"));
            config.RefuseUnknown(InferenceRoutes);
        }

        environment.RefuseUnknown(EnvironmentFields);
        return (routes, condaFile);
    }

    private static ModelRoute? ReadRoute(SpecMapping config, string field)
    {
        if (config.Mapping(field) is not { } route)
        {
            return null;
        }

        var port = route.Int("port", 1, 65535);
        var path = route.Text("path");
        route.RefuseUnknown(["port", "path"]);
        if (path is null)
        {
            route.Problem("path", "missing. Give the path the model serves this route on, such as /v1/models/m:predict.");
            return null;
        }

        if (!path.StartsWith('/') || !Uri.TryCreate("http://model" + path, UriKind.Absolute, out _))
        {
            route.Problem("path", $"'{path}' is not a path; give one that starts with '/', such as /v1/models/m.");
            return null;
        }

        return new ModelRoute(path, port);
    }

    /// <summary>code_configuration and model: what the inference host runs. Paths stay as written; the CLI roots them at the file's folder.</summary>
    private static ScoringScript? ReadScoringScript(SpecMapping root)
    {
        var modelPath = ReadModel(root);
        if (root.Mapping("code_configuration") is not { } code)
        {
            if (root.Mapping("model") is { } model && model.Text("type") is "mlflow_model" or "triton_model")
            {
                model.Problem("type", $"is {model.Text("type")}: Azure ML serves those without a scoring script, which ScoreGate cannot. Add code_configuration with a scoring script that loads the model, or run the model's server yourself and give backend.urls.");
            }

            return null;
        }

        if (root.Mapping("model") is { } typed && typed.Text("type") is "mlflow_model" or "triton_model")
        {
            typed.Notice("type", "has no server of its own here: the scoring script loads the model, with the packages it needs installed into the pythonCommand interpreter.");
        }

        var folder = code.Text("code", required: true);
        var entry = code.Text("scoring_script", required: true);
        code.RefuseUnknown(["code", "scoring_script"]);
        if (entry is not null && (Path.IsPathRooted(entry) || entry.Split('/', '\\').Contains("..")))
        {
            code.Problem("scoring_script", $"'{entry}' must be a path inside code_configuration.code, such as score.py or onlinescoring/score.py.");
            return null;
        }

        if (folder is not null && IsRemote(folder))
        {
            code.Problem("code", $"'{folder}' is not a local folder (a code asset in Azure ML cannot be fetched). Give the folder holding the scoring script, relative to this file, such as ./onlinescoring.");
            return null;
        }

        return folder is null || entry is null ? null : new ScoringScript(folder, entry, modelPath);
    }

    /// <summary>An Azure ML asset reference or a URL, where a local path is needed.</summary>
    private static bool IsRemote(string path) =>
        path.StartsWith("azureml:", StringComparison.OrdinalIgnoreCase) ||
        (path.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeFile);

    /// <summary>model: a local folder or file (model.path); a model registered in an Azure ML workspace cannot be fetched.</summary>
    private static string? ReadModel(SpecMapping root)
    {
        if (!root.Has("model"))
        {
            return null;
        }

        if (root.IsScalar("model"))
        {
            root.Problem("model", $"'{root.Text("model")}' names a model registered in Azure ML, which ScoreGate cannot fetch. Download it once (az ml model download) and give its local folder: model: {{path: ./model}}.");
            return null;
        }

        if (root.Mapping("model") is not { } model)
        {
            return null;
        }

        var path = model.Text("path", required: true);
        foreach (var field in new[] { "name", "version", "description", "tags", "properties", "flavors", "stage", "job_name", "utc_time_created", "datastore", "$schema" })
        {
            model.Ignore(field, "describes the model asset in Azure ML; ScoreGate uses model.path and ignores it.");
        }

        model.Text("type");
        model.RefuseUnknown(ModelFields);
        if (path is not null && IsRemote(path))
        {
            model.Problem("path", $"'{path}' is not a local path. Give the model's folder or file on this machine, relative to this file, such as ./model.");
            return null;
        }

        return path;
    }

    /// <summary>
    /// backend.urls (running model servers) or backend.command (a program the router runs
    /// instance_count times); without backend, the scoring script runs in the inference host.
    /// instance_count, if given with URLs, must agree with them.
    /// </summary>
    private static (List<string>? Urls, DeploymentProcess? Process) ReadBackend(SpecMapping root, int? instanceCount, Dictionary<string, string> environment, ScoringScript? script)
    {
        if (root.Mapping("backend") is not { } backend)
        {
            if (root.Has("backend"))
            {
                return (null, null);
            }

            if (script is not null)
            {
                return (null, new DeploymentProcess([], instanceCount ?? 1, environment, script.CodeDirectory) { Script = script });
            }

            if (!root.Has("code_configuration"))
            {
                root.Problem("backend", root.Has("environment")
                    ? "missing. ScoreGate runs no container images: start the model's server yourself and give its address in backend.urls (such as http://127.0.0.1:5001), or give code_configuration with a scoring script."
                    : "missing. Say how the model runs: code_configuration (a scoring script ScoreGate runs), backend.urls (running model servers, such as http://127.0.0.1:5001) or backend.command (a program ScoreGate starts).");
            }

            return (null, null);
        }

        root.Notice("code_configuration", "is not run: backend says where the model runs. Remove backend to have ScoreGate run the scoring script.");
        root.Notice("model", "is not loaded by ScoreGate: backend says where the model runs.");
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

        root.Notice("environment_variables", "applies to model processes ScoreGate starts (backend.command or a scoring script); with backend.urls the servers are already running, so it is ignored.");
        return (urls, null);
    }
}
