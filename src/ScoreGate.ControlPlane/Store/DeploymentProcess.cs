namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// A model the router runs itself: <see cref="InstanceCount"/> copies of <see cref="Command"/>
/// (<c>backend.command</c>) or of the inference host on <see cref="Script"/>
/// (<c>code_configuration</c>), each told its port through <c>PORT</c>.
/// </summary>
/// <param name="Command">The program and its arguments; empty for a scoring script, whose host the router knows.</param>
/// <param name="InstanceCount">How many copies run.</param>
/// <param name="EnvironmentVariables">Set for every copy, besides PORT.</param>
/// <param name="WorkingDirectory">Where the copies run: the deployment file's directory, unless the file says otherwise.</param>
public sealed record DeploymentProcess(
    IReadOnlyList<string> Command,
    int InstanceCount,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    string WorkingDirectory)
{
    /// <summary>For a scoring-script deployment: the script and model the inference host runs.</summary>
    public ScoringScript? Script { get; init; }

    /// <summary>Relative directories made absolute against <paramref name="directory"/>, the deployment file's folder.</summary>
    public DeploymentProcess RootedAt(string directory) => this with
    {
        WorkingDirectory = Path.GetFullPath(WorkingDirectory, directory),
        Script = Script?.RootedAt(directory),
    };

    /// <summary>Same command, script, count, environment and directory: running copies can stay.</summary>
    public bool SameAs(DeploymentProcess? other) =>
        other is not null && Command.SequenceEqual(other.Command) && Script == other.Script && InstanceCount == other.InstanceCount && WorkingDirectory == other.WorkingDirectory &&
        EnvironmentVariables.Count == other.EnvironmentVariables.Count && EnvironmentVariables.All(e => other.EnvironmentVariables.TryGetValue(e.Key, out var v) && v == e.Value);
}
