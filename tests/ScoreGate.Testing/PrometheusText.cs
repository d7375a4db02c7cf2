using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ScoreGate.Testing;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4), so tests check
/// what a real scraper would accept: every line is a HELP, a TYPE, or a sample of a declared
/// metric; label values are properly escaped; values are numbers.
/// </summary>
public static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public bool Has(string label, string value) => Labels.TryGetValue(label, out var actual) && actual == value;
    }

    public sealed record Scrape(IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples)
    {
        /// <summary>The value of the one sample with this name and these labels (others may exist), or 0 when there is none.</summary>
        public double Value(string name, params (string Label, string Value)[] labels) =>
            Samples.Where(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value))).Select(s => s.Value).DefaultIfEmpty(0).Single();
    }

    public static Scrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Check(MetricName().IsMatch(line[7..].Split(' ')[0]), number, line, "bad metric name in HELP");
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                Check(parts.Length == 2 && MetricName().IsMatch(parts[0]) && parts[1] is "counter" or "gauge" or "histogram" or "summary" or "untyped", number, line, "bad TYPE line");
                Check(types.TryAdd(parts[0], parts[1]), number, line, "TYPE given twice");
                continue;
            }

            var sample = SampleLine().Match(line);
            Check(sample.Success, number, line, "not a sample line");
            var name = sample.Groups["name"].Value;
            var family = types.Keys.FirstOrDefault(t => name == t || (types[t] == "histogram" && name is var n && (n == t + "_bucket" || n == t + "_sum" || n == t + "_count")));
            Check(family is not null, number, line, "sample of a metric with no TYPE before it");
            samples.Add(new Sample(name, ParseLabels(sample.Groups["labels"].Value, number, line), ParseValue(sample.Groups["value"].Value, number, line)));
        }

        return new Scrape(types, samples);
    }

    private static Dictionary<string, string> ParseLabels(string text, int number, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            Check(equals > i && text.Length > equals + 1 && text[equals + 1] == '"', number, line, "bad label");
            var name = text[i..equals];
            Check(LabelName().IsMatch(name), number, line, $"bad label name '{name}'");
            var value = new StringBuilder();
            var j = equals + 2;
            for (; j < text.Length && text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    Check(j < text.Length && text[j] is '\\' or '"' or 'n', number, line, "bad escape in label value");
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                {
                    Check(text[j] != '\n', number, line, "raw line feed in label value");
                    value.Append(text[j]);
                }
            }

            Check(j < text.Length, number, line, "unterminated label value");
            Check(labels.TryAdd(name, value.ToString()), number, line, $"label '{name}' given twice");
            i = j + 1;
            if (i < text.Length)
            {
                Check(text[i] == ',', number, line, "labels not separated by a comma");
                i++;
            }
        }

        return labels;
    }

    private static double ParseValue(string text, int number, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"Line {number}: '{text}' is not a number: {line}"),
    };

    private static void Check(bool condition, int number, string line, string problem)
    {
        if (!condition)
        {
            throw new FormatException($"Line {number}: {problem}: {line}");
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    // The label block is matched greedily up to the last "} " so escaped quotes and braces inside values survive.
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();
}
