using ScoreGate.ControlPlane.Specs;

namespace ScoreGate.Cli;

/// <summary>Reads an endpoint or deployment file for <c>-f</c>: prints its notices, and every problem with file and line.</summary>
public static class SpecFile
{
    /// <returns>The file read (its spec is null when it cannot be used, after printing why), or null when it cannot be read at all.</returns>
    public static SpecReadResult<T>? Load<T>(string path, Func<string, SpecReadResult<T>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {path} cannot be read: {error.Message}");
            return null;
        }

        var result = read(text);
        foreach (var notice in result.Notices)
        {
            Console.Error.WriteLine($"note: {notice.Format(path)}");
        }

        foreach (var problem in result.Problems)
        {
            Console.Error.WriteLine($"error: {problem.Format(path)}");
        }

        return result;
    }

    /// <summary>
    /// Points the router's refusal at the field it concerns, which the router names (<c>"field"</c>
    /// in its error): its line in the file, or the flag that gave the value instead (flags win over
    /// the file). A nested field the file lacks a line for (<c>request_settings.max_queue_wait_ms</c>)
    /// gets the line of the mapping holding it. A refusal about no one field names the file only.
    /// </summary>
    /// <param name="path">The file, as given to -f.</param>
    /// <param name="file">The file read.</param>
    /// <param name="flags">Fields whose value came from a flag, with that flag (<c>name</c> → <c>--name</c>).</param>
    public static Func<string, string?, string> Explain<T>(string path, SpecReadResult<T> file, IReadOnlyDictionary<string, string>? flags = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(file);
        return (message, field) =>
        {
            if (field is null)
            {
                return $"{path}: {message}";
            }

            if (flags is not null && flags.TryGetValue(field.Split('.')[0], out var flag))
            {
                return $"{flag}: {message}";
            }

            return file.Lines.TryGetValue(field, out var line) || file.Lines.TryGetValue(field.Split('.')[0], out line)
                ? $"{path}:{line}: {field}: {message}"
                : $"{path}: {field}: {message}";
        };
    }

    /// <summary>
    /// environment.conda_file is not built: names its packages and where they must be installed,
    /// so the scoring script finds them.
    /// </summary>
    public static void NoteCondaPackages(string path, string condaFile, int line)
    {
        string text;
        try
        {
            text = File.ReadAllText(condaFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"note: {path}:{line}: environment.conda_file: {condaFile} cannot be read ({error.Message}); ScoreGate builds no environment anyway: the interpreter of the pythonCommand setting must have the model's packages.");
            return;
        }

        var packages = CondaPackages.Read(text);
        var listed = packages is { Count: > 0 } ? $"the script may need {string.Join(", ", packages)}" : "it lists no packages beyond what ScoreGate's inference host provides";
        Console.Error.WriteLine(
            $"note: {path}:{line}: environment.conda_file: ScoreGate builds no conda environment; {listed}. Install them into the interpreter of the pythonCommand setting " +
            "(Debian packages such as python3-numpy and python3-sklearn, or pip in a venv) before the deployment starts; azureml-defaults and inference-schema are not needed.");
    }

    /// <summary>A flag that cannot be combined with a file (ScoreGate's own <c>--url</c>, whose file form is the <c>backend</c> block).</summary>
    public static bool RefuseFlags(string path, params (string Flag, bool Given)[] flags)
    {
        var given = flags.Where(f => f.Given).Select(f => f.Flag).ToList();
        if (given.Count == 0)
        {
            return false;
        }

        Console.Error.WriteLine($"error: {string.Join(" and ", given)} cannot be combined with -f {path}: put the value in the file instead.");
        return true;
    }
}
