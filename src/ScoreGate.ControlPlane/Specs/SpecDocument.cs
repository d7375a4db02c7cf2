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

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new SpecProblem(1, "(file)", "must hold one YAML mapping of fields, such as 'name: iris'."));
            return null;
        }

        return new SpecMapping(root, string.Empty, problems);
    }
}
