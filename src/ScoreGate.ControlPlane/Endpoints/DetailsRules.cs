namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>
/// Bounds on what people write about an endpoint or deployment. Tags follow Azure Resource
/// Manager's limits (50 per resource, names up to 512 characters, values up to 256), so files
/// written for Azure ML fit; descriptions get room for a paragraph, not a document. Without
/// bounds one call could store megabytes that every router then holds in memory.
/// </summary>
internal static class DetailsRules
{
    public const int MaxDescriptionLength = 4096;
    public const int MaxTags = 50;
    public const int MaxTagNameLength = 512;
    public const int MaxTagValueLength = 256;

    /// <param name="owner">What the details belong to, as people call it ("Endpoint 'iris'").</param>
    /// <param name="description">The description, if given.</param>
    /// <param name="tags">The tags, if given.</param>
    /// <param name="properties">Azure ML's properties, if given: free pairs too, so the same bounds.</param>
    /// <returns>Every problem in one message, or null.</returns>
    public static string? Check(string owner, string? description, IReadOnlyDictionary<string, string>? tags, IReadOnlyDictionary<string, string>? properties = null)
    {
        var problems = new List<string>();
        if (description is { Length: > MaxDescriptionLength })
        {
            problems.Add($"its description is {description.Length} characters long; keep it to {MaxDescriptionLength}");
        }

        CheckPairs("tag", tags, problems);
        CheckPairs("property", properties, problems);
        return problems.Count == 0 ? null : $"{owner}: {string.Join("; ", problems)}.";
    }

    private static void CheckPairs(string kind, IReadOnlyDictionary<string, string>? pairs, List<string> problems)
    {
        if (pairs is null)
        {
            return;
        }

        var plural = kind == "property" ? "properties" : "tags";
        if (pairs.Count > MaxTags)
        {
            problems.Add($"it has {pairs.Count} {plural}; give at most {MaxTags}");
        }

        if (pairs.Keys.FirstOrDefault(name => name.Length is 0 or > MaxTagNameLength) is { } badName)
        {
            problems.Add(badName.Length == 0
                ? $"a {kind} has an empty name; give every {kind} a name"
                : $"the {kind} name '{Shorten(badName)}' is {badName.Length} characters long; keep {kind} names to {MaxTagNameLength}");
        }

        foreach (var (name, value) in pairs.Where(pair => pair.Value is { Length: > MaxTagValueLength }).Take(1))
        {
            problems.Add($"the value of {kind} '{Shorten(name)}' is {value.Length} characters long; keep {kind} values to {MaxTagValueLength}");
        }
    }

    /// <summary>The file field a refusal from <see cref="Check"/> concerns: the description when it is too long, else the tags.</summary>
    public static string FieldOf(string? description) => description is { Length: > MaxDescriptionLength } ? "description" : "tags";

    private static string Shorten(string text) => text.Length <= 40 ? text : $"{text[..40]}...";
}
