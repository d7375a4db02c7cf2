namespace ScoreGate.ControlPlane.Specs;

/// <summary>One thing wrong (or ignored) in an endpoint or deployment file, at the line it is on.</summary>
/// <param name="Line">1-based line of the field (or of the document when the field is missing).</param>
/// <param name="Field">The field's path, such as <c>request_settings.max_queue_wait_ms</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record SpecProblem(int Line, string Field, string Message)
{
    /// <summary>As a compiler would print it: <c>deployment.yml:12: request_settings.timeout: ...</c>.</summary>
    public string Format(string file) => $"{file}:{Line}: {Field}: {Message}";
}
