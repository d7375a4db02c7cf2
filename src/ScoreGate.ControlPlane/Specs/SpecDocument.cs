using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>Parses a file that must hold one YAML mapping; a syntax error becomes a problem at its line.</summary>
internal static class SpecDocument
{
    public static SpecMapping? Root(string yaml, List<SpecProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException error)
        {
            problems.Add(new SpecProblem((int)error.Start.Line, "(file)", $"is not valid YAML: {error.InnerException?.Message ?? error.Message}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some unclosed [ or {.
            problems.Add(new SpecProblem(UnclosedBracketLine(yaml), "(file)",
                "is not valid YAML: a [ or { (a flow list or mapping) is not closed. Close it on the same line, or write the values on their own lines."));
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new SpecProblem(1, "(file)", "must hold one YAML mapping of fields, such as 'name: iris'."));
            return null;
        }

        return new SpecMapping(root, string.Empty, problems);
    }

    /// <summary>The first line that opens more brackets than it closes (1-based), or the last line.</summary>
    private static int UnclosedBracketLine(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Count(c => c == '[') > line.Count(c => c == ']') || line.Count(c => c == '{') > line.Count(c => c == '}'))
            {
                return i + 1;
            }
        }

        return lines.Length;
    }
}
