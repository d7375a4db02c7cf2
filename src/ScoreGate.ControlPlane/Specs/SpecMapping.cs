using System.Globalization;
using ScoreGate.ControlPlane.Settings;
using YamlDotNet.RepresentationModel;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>
/// Reads one YAML mapping field by field, recording a <see cref="SpecProblem"/> for each field that
/// is missing, of the wrong type, out of range, or unknown, so a file gets every complaint at once.
/// </summary>
internal sealed class SpecMapping
{
    private readonly YamlMappingNode _node;
    private readonly string _path;
    private readonly List<SpecProblem> _problems;

    public SpecMapping(YamlMappingNode node, string path, List<SpecProblem> problems)
        : this(node, path, problems, [])
    {
    }

    /// <summary>Nested mappings share their root's problems and notices, so a file's every word reaches the user.</summary>
    private SpecMapping(YamlMappingNode node, string path, List<SpecProblem> problems, List<SpecProblem> notices)
    {
        _node = node;
        _path = path;
        _problems = problems;
        Notices = notices;
    }

    public int Line => (int)_node.Start.Line;

    /// <summary>Fields Azure ML knows that do not apply here: accepted, with a notice, so its files work unchanged.</summary>
    public void Ignore(string field, string why) => Notice(field, why);

    /// <summary>Something the user should know about a field that is present; not an error.</summary>
    public void Notice(string field, string message)
    {
        if (Find(field) is { } node)
        {
            Notices.Add(new SpecProblem((int)node.Start.Line, Path(field), message));
        }
    }

    public List<SpecProblem> Notices { get; }

    public string? Text(string field, bool required = false)
    {
        var node = Find(field);
        if (node is null)
        {
            if (required)
            {
                Problem(Line, field, "missing. It is required.");
            }

            return null;
        }

        if (node is not YamlScalarNode { Value: { } value })
        {
            Problem(node, field, "must be a single value, not a list or mapping.");
            return null;
        }

        return value;
    }

    public int? Int(string field, int min, int max)
    {
        var text = Text(field);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Problem(Find(field)!, field, $"'{text}' is not a whole number.");
            return null;
        }

        if (value < min || value > max)
        {
            Problem(Find(field)!, field, $"{value} is out of range; give {min} to {max}.");
            return null;
        }

        return value;
    }

    public bool? Bool(string field)
    {
        var text = Text(field);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Problem(Find(field)!, field, $"'{text}' is not true or false.");
        return null;
    }

    public SpecMapping? Mapping(string field)
    {
        var node = Find(field);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            Problem(node, field, "must be a mapping of fields.");
            return null;
        }

        return new SpecMapping(mapping, Path(field), _problems, Notices);
    }

    /// <summary>A mapping of names to text values (tags, environment variables).</summary>
    public Dictionary<string, string> Strings(string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(field) is not { } mapping)
        {
            return result;
        }

        foreach (var (key, _) in mapping.Entries())
        {
            if (mapping.Text(key) is { } value)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>A mapping of names to whole numbers in range (traffic weights).</summary>
    public Dictionary<string, int>? Ints(string field, int min, int max)
    {
        if (Mapping(field) is not { } mapping)
        {
            return null;
        }

        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, _) in mapping.Entries())
        {
            if (mapping.Int(key, min, max) is { } value)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>A list of text values; a single value counts as a list of one.</summary>
    public List<string>? List(string field)
    {
        var node = Find(field);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode { Value: { } single }:
                return [single];
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode { Value: not null }):
                return [.. sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value!)];
            default:
                Problem(node, field, "must be a list of values.");
                return null;
        }
    }

    public int LineOf(string field) => Find(field) is { } node ? (int)node.Start.Line : Line;

    /// <summary>The line of every field present, nested ones by their dotted path (<c>code_configuration.scoring_script</c>).</summary>
    public IReadOnlyDictionary<string, int> Lines()
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        AddLines(_node, string.Empty, lines);
        return lines;
    }

    private static void AddLines(YamlMappingNode node, string prefix, Dictionary<string, int> lines)
    {
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                var path = prefix + name;
                lines.TryAdd(path, (int)key.Start.Line);
                if (value is YamlMappingNode nested)
                {
                    AddLines(nested, path + ".", lines);
                }
            }
        }
    }

    public bool Has(string field) => Find(field) is not null;

    public bool IsScalar(string field) => Find(field) is YamlScalarNode;

    public void Problem(string field, string message) => Problem(LineOf(field), field, message);

    /// <summary>After reading: every field not read is unknown, and named as such.</summary>
    public void RefuseUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var (key, node) in Entries())
        {
            if (!known.Contains(key))
            {
                var hint = Spelling.Closest(key, known, maxDistance: 3) is { } close ? $" Did you mean '{close}'?" : string.Empty;
                Problem(node, key, $"is not a known field.{hint} Known here: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    private IEnumerable<(string Key, YamlNode Node)> Entries() =>
        _node.Children.Select(c => (c.Key is YamlScalarNode { Value: { } key } ? key : c.Key.ToString(), c.Key));

    private YamlNode? Find(string field)
    {
        return _node.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: { } key } && key == field).Value is { } value && !IsNull(value) ? value : null;
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain };

    private void Problem(YamlNode node, string field, string message) => Problem((int)node.Start.Line, field, message);

    private void Problem(int line, string field, string message) => _problems.Add(new SpecProblem(line, Path(field), message));

    private string Path(string field) => _path.Length == 0 ? field : $"{_path}.{field}";
}
