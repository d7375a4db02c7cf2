using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>
/// The packages a conda environment file lists (<c>dependencies</c>, and their <c>pip</c> list):
/// ScoreGate builds no environment, so it names them for the user to install into pythonCommand's interpreter.
/// </summary>
public static class CondaPackages
{
    /// <returns>The package specifications in file order (python, pip and what the inference host provides left out), or null when the text is not a conda file.</returns>
    public static IReadOnlyList<string>? Read(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (Exception error) when (error is YamlException or InvalidOperationException)
        {
            // InvalidOperationException: YamlDotNet's scanner on some unclosed brackets.
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("dependencies"), out var dependencies) || dependencies is not YamlSequenceNode list)
        {
            return null;
        }

        var packages = new List<string>();
        foreach (var item in list.Children)
        {
            if (item is YamlScalarNode { Value: { } spec })
            {
                packages.Add(spec);
            }
            else if (item is YamlMappingNode nested && nested.Children.TryGetValue(new YamlScalarNode("pip"), out var pip) && pip is YamlSequenceNode pipList)
            {
                packages.AddRange(pipList.Children.OfType<YamlScalarNode>().Select(p => p.Value).OfType<string>());
            }
        }

        return [.. packages.Where(p => !IsTooling(p))];
    }

    /// <summary>Python and packaging tools, and what ScoreGate's inference host brings itself (Azure's server and its helpers).</summary>
    private static bool IsTooling(string spec)
    {
        var name = spec.Split(['=', '<', '>', '~', '!', ' ', '['], 2)[0].Trim().ToLowerInvariant().Replace('_', '-');
        return name is "python" or "pip" or "setuptools" or "wheel" or "azureml-defaults" or "azureml-inference-server-http" or "inference-schema";
    }
}
