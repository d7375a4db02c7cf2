namespace ScoreGate.ControlPlane.Settings;

/// <summary>"Did you mean" hints for misspelt setting and field names.</summary>
public static class Spelling
{
    /// <summary>The candidate closest to <paramref name="name"/> (ignoring case), if it is within <paramref name="maxDistance"/> edits.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int maxDistance)
    {
        ArgumentNullException.ThrowIfNull(name);
        var best = candidates.Select(c => (Name: c, Distance: EditDistance(c.ToUpperInvariant(), name.ToUpperInvariant()))).MinBy(c => c.Distance);
        return best.Name is not null && best.Distance <= maxDistance ? best.Name : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
