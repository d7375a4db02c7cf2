namespace ScoreGate.ControlPlane.Store;

/// <summary>
/// A scoring-script deployment (Azure ML's <c>code_configuration</c> and <c>model</c>): the router
/// runs its own Python inference host on the script, which keeps the contract of Azure ML's
/// inference server (init() once, run() per request).
/// </summary>
/// <param name="CodeDirectory">The code folder (<c>code_configuration.code</c>); the host runs there.</param>
/// <param name="EntryScript">The scoring script, relative to the code folder (<c>code_configuration.scoring_script</c>).</param>
/// <param name="ModelPath">The model's folder or file (<c>model.path</c>), if the deployment has one.</param>
public sealed record ScoringScript(string CodeDirectory, string EntryScript, string? ModelPath)
{
    /// <summary>Relative paths made absolute against <paramref name="directory"/> (the deployment file's folder, as the Azure CLI resolves them).</summary>
    public ScoringScript RootedAt(string directory) => this with
    {
        CodeDirectory = Path.GetFullPath(CodeDirectory, directory),
        ModelPath = ModelPath is null ? null : Path.GetFullPath(ModelPath, directory),
    };
}
