using System.Text.RegularExpressions;

namespace ScoreGate.ControlPlane.Endpoints;

/// <summary>
/// Names of endpoints and deployments, with Azure ML's rules: 3 to 32 characters, letters,
/// digits and hyphens, starting with a letter and not ending with a hyphen. They appear in
/// URIs and host names, so nothing else is allowed.
/// </summary>
public static partial class NameRules
{
    public static string? Check(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return $"The {what} name is missing. Give one with --name.";
        }

        return ValidName().IsMatch(name)
            ? null
            : $"'{name}' is not a valid {what} name: use 3 to 32 letters, digits or hyphens, starting with a letter and not ending with a hyphen.";
    }

    // \z, not $: $ also matches before a final newline, which would let "name\n" in beside "name".
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]\\z")]
    private static partial Regex ValidName();
}
