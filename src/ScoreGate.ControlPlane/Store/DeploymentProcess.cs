namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// A model the router runs itself (<c>backend.command</c>): <see cref="InstanceCount"/> copies of
/// <see cref="Command"/>, each told its port through <c>PORT</c>.
/// </summary>
/// <param name="Command">The program and its arguments.</param>
/// <param name="InstanceCount">How many copies run.</param>
/// <param name="EnvironmentVariables">Set for every copy, besides PORT.</param>
/// <param name="WorkingDirectory">Where the copies run: the deployment file's directory, unless the file says otherwise.</param>
public sealed record DeploymentProcess(
    IReadOnlyList<string> Command,
    int InstanceCount,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    string WorkingDirectory)
{
    /// <summary>Same command, count, environment and directory: running copies can stay.</summary>
    public bool SameAs(DeploymentProcess? other) =>
        other is not null && Command.SequenceEqual(other.Command) && InstanceCount == other.InstanceCount && WorkingDirectory == other.WorkingDirectory &&
        EnvironmentVariables.Count == other.EnvironmentVariables.Count && EnvironmentVariables.All(e => other.EnvironmentVariables.TryGetValue(e.Key, out var v) && v == e.Value);
}
