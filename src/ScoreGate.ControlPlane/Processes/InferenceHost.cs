using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Processes;

/// <summary>
/// ScoreGate's Python inference host (src/inference-host, shipped beside the binary): turns a
/// scoring-script deployment into the command and environment that run it, as Azure ML's
/// inference server would see them.
/// </summary>
/// <param name="PythonCommand">The interpreter (the pythonCommand setting); it must have the model's packages.</param>
/// <param name="HostScript">The host's entry point.</param>
public sealed record InferenceHost(string PythonCommand, string HostScript)
{
    /// <summary>Where the host is shipped, relative to the router's binary.</summary>
    public static string ShippedScript => Path.Combine(AppContext.BaseDirectory, "inference-host", "scoregate_inference_host.py");

    /// <summary>
    /// The command that runs <paramref name="process"/>'s script. <paramref name="modelDirectory"/>
    /// becomes AZUREML_MODEL_DIR; the deployment's own variables come first, so the contract's names win.
    /// The host serves requests on threads; the router holds each instance to max_concurrent_requests_per_instance.
    /// </summary>
    public DeploymentProcess Launch(DeploymentProcess process, string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(process);
        var script = process.Script ?? throw new ArgumentException("Not a scoring-script deployment.", nameof(process));
        var environment = new Dictionary<string, string>(process.EnvironmentVariables, StringComparer.Ordinal)
        {
            ["AZUREML_MODEL_DIR"] = modelDirectory,
            ["AZUREML_ENTRY_SCRIPT"] = script.EntryScript,
            ["AML_APP_ROOT"] = script.CodeDirectory,
            ["PYTHONUNBUFFERED"] = "1",
        };
        return process with { Command = [PythonCommand, HostScript], EnvironmentVariables = environment, WorkingDirectory = script.CodeDirectory };
    }

    /// <summary>
    /// A folder laid out as Azure ML lays out AZUREML_MODEL_DIR: the model's folder or file keeps
    /// its name inside it (a link, so nothing is copied). Without a model it stays empty.
    /// </summary>
    public static string PrepareModelDirectory(ScoringScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var directory = Directory.CreateTempSubdirectory("scoregate-model-").FullName;
        if (script.ModelPath is { } model)
        {
            var trimmed = Path.TrimEndingDirectorySeparator(model);
            var link = Path.Combine(directory, Path.GetFileName(trimmed));
            if (Directory.Exists(trimmed))
            {
                Directory.CreateSymbolicLink(link, trimmed);
            }
            else
            {
                File.CreateSymbolicLink(link, trimmed);
            }
        }

        return directory;
    }

    /// <summary>Removes a folder made by <see cref="PrepareModelDirectory"/>: its links, never what they point to, and then the folder.</summary>
    public static void RemoveModelDirectory(string directory)
    {
        try
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                // Non-recursive: on a link this removes the link alone.
                entry.Delete();
            }

            Directory.Delete(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder of links costs nothing.
        }
    }
}
