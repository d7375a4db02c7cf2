using System.Globalization;
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
    /// The command that runs <paramref name="process"/>'s script. The model folder of
    /// <paramref name="runFolder"/> becomes AZUREML_MODEL_DIR; the deployment's own variables come
    /// first, so the contract's names win. The host refuses requests beyond
    /// <paramref name="maxConcurrentRequests"/>: a run() the router gave up on (its timeout) still
    /// holds its place, so slow requests cannot pile up in the host.
    /// </summary>
    public DeploymentProcess Launch(DeploymentProcess process, RunFolder runFolder, int maxConcurrentRequests)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(runFolder);
        var script = process.Script ?? throw new ArgumentException("Not a scoring-script deployment.", nameof(process));
        var environment = new Dictionary<string, string>(process.EnvironmentVariables, StringComparer.Ordinal)
        {
            ["AZUREML_MODEL_DIR"] = runFolder.ModelDirectory,
            ["AZUREML_ENTRY_SCRIPT"] = script.EntryScript,
            ["AML_APP_ROOT"] = script.CodeDirectory,
            ["SCOREGATE_MAX_CONCURRENT_REQUESTS"] = maxConcurrentRequests.ToString(CultureInfo.InvariantCulture),
            ["PYTHONUNBUFFERED"] = "1",
        };
        return process with { Command = [PythonCommand, HostScript], EnvironmentVariables = environment, WorkingDirectory = script.CodeDirectory };
    }

    /// <summary>
    /// A private folder (mode 0700) for one deployment's hosts: <c>model/</c>, laid out as Azure ML
    /// lays out AZUREML_MODEL_DIR (the model's folder or file keeps its name inside it; a link, so
    /// nothing is copied), and the instances' Unix sockets.
    /// </summary>
    public sealed class RunFolder : IDisposable
    {
        private RunFolder(string path) => Path = path;

        public string Path { get; }

        public string ModelDirectory => System.IO.Path.Combine(Path, "model");

        /// <summary>Where instance <paramref name="index"/> listens.</summary>
        public string Socket(int index) => System.IO.Path.Combine(Path, $"{index}.sock");

        /// <exception cref="IOException">The model could not be linked; nothing is left behind.</exception>
        public static RunFolder Create(ScoringScript script)
        {
            ArgumentNullException.ThrowIfNull(script);
            var folder = new RunFolder(Directory.CreateTempSubdirectory("scoregate-").FullName);
            try
            {
                Directory.CreateDirectory(folder.ModelDirectory);
                if (script.ModelPath is { } model)
                {
                    var trimmed = System.IO.Path.TrimEndingDirectorySeparator(model);
                    var link = System.IO.Path.Combine(folder.ModelDirectory, System.IO.Path.GetFileName(trimmed) is { Length: > 0 } name ? name : "model");
                    if (Directory.Exists(trimmed))
                    {
                        Directory.CreateSymbolicLink(link, trimmed);
                    }
                    else
                    {
                        File.CreateSymbolicLink(link, trimmed);
                    }
                }

                return folder;
            }
            catch
            {
                folder.Dispose();
                throw;
            }
        }

        /// <summary>Removes the folder and what the hosts wrote in it, never following a link into the model.</summary>
        public void Dispose()
        {
            try
            {
                RemoveWithoutFollowingLinks(new DirectoryInfo(Path));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary folder costs little; the model is never touched.
            }
        }

        private static void RemoveWithoutFollowingLinks(DirectoryInfo directory)
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo child && entry.LinkTarget is null)
                {
                    RemoveWithoutFollowingLinks(child);
                }
                else
                {
                    // A file, a socket, or a link (removed itself, not what it points to).
                    entry.Delete();
                }
            }

            directory.Delete();
        }
    }
}
