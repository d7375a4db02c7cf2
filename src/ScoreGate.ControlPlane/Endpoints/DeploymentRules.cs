using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>What a deployment must look like before it is stored.</summary>
public static class DeploymentRules
{
    private static string? CheckUrls(string deployment, IReadOnlyList<string>? urls)
    {
        if (urls is null || urls.Count == 0)
        {
            return $"Deployment '{deployment}' has no instance URL. Give at least one with --url http://host:port.";
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"Deployment '{deployment}': '{url}' is not an http:// or https:// URL. Give the model server's base URL, such as http://127.0.0.1:5001.";
            }

            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                return $"Deployment '{deployment}': '{url}' has a query, fragment or user name. Give only scheme, host, port and an optional path.";
            }
        }

        var duplicate = urls.GroupBy(u => u.TrimEnd('/'), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"Deployment '{deployment}': '{duplicate.Key}' is given more than once. Give each instance once.";
    }

    public static string? CheckRequestSettings(string deployment, RequestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RequestTimeoutMs is < 1 or > 300_000)
        {
            return $"Deployment '{deployment}': request_timeout_ms is {settings.RequestTimeoutMs}; give 1 to 300000.";
        }

        if (settings.MaxConcurrentRequestsPerInstance is < 1 or > 1000)
        {
            return $"Deployment '{deployment}': max_concurrent_requests_per_instance is {settings.MaxConcurrentRequestsPerInstance}; give 1 to 1000.";
        }

        return settings.MaxQueueWaitMs is < 0 or > 300_000
            ? $"Deployment '{deployment}': max_queue_wait_ms is {settings.MaxQueueWaitMs}; give 0 to 300000."
            : null;
    }

    /// <summary>The field of the first setting <see cref="CheckRequestSettings"/> refuses, as a deployment file names it.</summary>
    public static string RequestSettingsField(RequestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.RequestTimeoutMs is < 1 or > 300_000 ? "request_settings.request_timeout_ms"
            : settings.MaxConcurrentRequestsPerInstance is < 1 or > 1000 ? "request_settings.max_concurrent_requests_per_instance"
            : "request_settings.max_queue_wait_ms";
    }

    /// <summary>Where the model runs (URLs, a command or a scoring script), with the file field a refusal concerns.</summary>
    public static (string Message, string Field)? CheckBackend(string deployment, DeploymentProcess? process, IReadOnlyList<string>? urls)
    {
        if (process?.Script is { } script && urls is not { Count: > 0 })
        {
            return CheckScript(deployment, script, process.InstanceCount);
        }

        var problem = process is not null ? CheckProcess(deployment, process, urls) : CheckUrls(deployment, urls);
        return problem is null ? null : (problem, "backend");
    }

    /// <summary>A process deployment: something to run, a sane number of copies, and a directory that exists here.</summary>
    private static string? CheckProcess(string deployment, DeploymentProcess process, IReadOnlyList<string>? urls)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (urls is { Count: > 0 })
        {
            return $"Deployment '{deployment}' has both instance URLs and a command. Give URLs for servers that already run, or a command for ScoreGate to start, not both.";
        }

        if (process.Command.Count == 0 || process.Command.Any(string.IsNullOrWhiteSpace))
        {
            return $"Deployment '{deployment}': backend.command is empty. Give the program and its arguments.";
        }

        if (process.InstanceCount is < 1 or > 100)
        {
            return $"Deployment '{deployment}': instance_count is {process.InstanceCount}; give 1 to 100.";
        }

        return Path.IsPathFullyQualified(process.WorkingDirectory) && Directory.Exists(process.WorkingDirectory)
            ? null
            : $"Deployment '{deployment}': backend.working_directory '{process.WorkingDirectory}' is not a directory on the router's machine. Give an absolute path that exists there.";
    }

    /// <summary>A scoring script: its code folder, the script in it, and the model, all on the router's machine (the router runs them).</summary>
    private static (string Message, string Field)? CheckScript(string deployment, ScoringScript script, int instanceCount)
    {
        if (instanceCount is < 1 or > 100)
        {
            return ($"Deployment '{deployment}': instance_count is {instanceCount}; give 1 to 100.", "instance_count");
        }

        if (!Path.IsPathFullyQualified(script.CodeDirectory) || !Directory.Exists(script.CodeDirectory))
        {
            return ($"Deployment '{deployment}': code_configuration.code '{script.CodeDirectory}' is not a folder on the router's machine. Give the folder holding the scoring script, relative to the deployment file.", "code_configuration.code");
        }

        var entry = Path.GetFullPath(script.EntryScript, script.CodeDirectory);
        if (!entry.StartsWith(Path.TrimEndingDirectorySeparator(script.CodeDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(entry))
        {
            return ($"Deployment '{deployment}': code_configuration.scoring_script '{script.EntryScript}' is not a file in {script.CodeDirectory}. Give the script's path inside the code folder, such as score.py.", "code_configuration.scoring_script");
        }

        return script.ModelPath is { } model && !(Path.IsPathFullyQualified(model) && (Directory.Exists(model) || File.Exists(model)))
            ? ($"Deployment '{deployment}': model.path '{model}' is neither a folder nor a file on the router's machine. Give the model's local folder or file, relative to the deployment file.", "model.path")
            : null;
    }
}
