namespace ScoreGate.Router.Metrics;

/// <summary>
/// The labels of one series: up to four name/value pairs, compared by value. A struct, so
/// recording a measurement whose series exists allocates nothing.
/// </summary>
internal readonly record struct LabelSet(string? Name0, string? Value0, string? Name1, string? Value1, string? Name2, string? Value2, string? Name3, string? Value3)
    : IComparable<LabelSet>
{
    public const int MaxLabels = 4;

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length > MaxLabels)
        {
            throw new ArgumentException($"A ScoreGate metric has at most {MaxLabels} labels; this measurement has {tags.Length}.", nameof(tags));
        }

        return new LabelSet(
            Name(tags, 0), Value(tags, 0),
            Name(tags, 1), Value(tags, 1),
            Name(tags, 2), Value(tags, 2),
            Name(tags, 3), Value(tags, 3));
    }

    /// <summary>Writes <c>{a="1",b="2"}</c>, with one more label if given (a histogram's <c>le</c>); nothing when there are none.</summary>
    public void WriteTo(TextWriter writer, string? extraName, string? extraValue)
    {
        var first = true;
        Write(writer, Name0, Value0, ref first);
        Write(writer, Name1, Value1, ref first);
        Write(writer, Name2, Value2, ref first);
        Write(writer, Name3, Value3, ref first);
        Write(writer, extraName, extraValue, ref first);
        if (!first)
        {
            writer.Write('}');
        }
    }

    public int CompareTo(LabelSet other)
    {
        foreach (var (mine, theirs) in new[] { (Value0, other.Value0), (Value1, other.Value1), (Value2, other.Value2), (Value3, other.Value3) })
        {
            var order = string.CompareOrdinal(mine, theirs);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    private static string? Name(ReadOnlySpan<KeyValuePair<string, object?>> tags, int index) => index < tags.Length ? tags[index].Key : null;

    private static string? Value(ReadOnlySpan<KeyValuePair<string, object?>> tags, int index) =>
        index < tags.Length ? tags[index].Value as string ?? Convert.ToString(tags[index].Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty : null;

    private static void Write(TextWriter writer, string? name, string? value, ref bool first)
    {
        if (name is null)
        {
            return;
        }

        writer.Write(first ? '{' : ',');
        first = false;
        writer.Write(name);
        writer.Write("=\"");
        // The text format's three escapes: backslash, double quote, line feed.
        writer.Write((value ?? string.Empty).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
        writer.Write('"');
    }
}
