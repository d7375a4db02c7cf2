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
    /// <returns>Every problem in one message, or null.</returns>
    public static string? Check(string owner, string? description, IReadOnlyDictionary<string, string>? tags)
    {
        var problems = new List<string>();
        if (description is { Length: > MaxDescriptionLength })
        {
            problems.Add($"its description is {description.Length} characters long; keep it to {MaxDescriptionLength}");
        }

        if (tags is not null)
        {
            if (tags.Count > MaxTags)
            {
                problems.Add($"it has {tags.Count} tags; give at most {MaxTags}");
            }

            if (tags.Keys.FirstOrDefault(name => name.Length is 0 or > MaxTagNameLength) is { } badName)
            {
                problems.Add(badName.Length == 0
                    ? "a tag has an empty name; give every tag a name"
                    : $"the tag name '{Shorten(badName)}' is {badName.Length} characters long; keep tag names to {MaxTagNameLength}");
            }

            foreach (var (name, value) in tags.Where(tag => tag.Value is { Length: > MaxTagValueLength }).Take(1))
            {
                problems.Add($"the value of tag '{Shorten(name)}' is {value.Length} characters long; keep tag values to {MaxTagValueLength}");
            }
        }

        return problems.Count == 0 ? null : $"{owner}: {string.Join("; ", problems)}.";
    }

    /// <summary>The file field a refusal from <see cref="Check"/> concerns: the description when it is too long, else the tags.</summary>
    public static string FieldOf(string? description) => description is { Length: > MaxDescriptionLength } ? "description" : "tags";

    private static string Shorten(string text) => text.Length <= 40 ? text : $"{text[..40]}...";
}
