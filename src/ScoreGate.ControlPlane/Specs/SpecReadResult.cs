namespace ScoreGate.ControlPlane.Specs;

/// <summary>A file read: the spec when nothing is wrong, every problem otherwise, and notices either way.</summary>
/// <param name="Lines">The line of each top-level field, so later errors (from the router) can point into the file.</param>
public sealed record SpecReadResult<T>(T? Spec, IReadOnlyList<SpecProblem> Problems, IReadOnlyList<SpecProblem> Notices, IReadOnlyDictionary<string, int> Lines)
    where T : class;
