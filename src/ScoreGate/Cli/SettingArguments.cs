using ScoreGate.ControlPlane.Settings;

namespace ScoreGate.Cli;

/// <summary>
/// Setting names are case-insensitive everywhere (README "Running the router"): environment
/// variables and scoregate.json already read them so, but System.CommandLine matches options
/// exactly. Before parsing, an option that names a setting in another case is spelt as the
/// catalog spells it, so <c>--sslcname</c> means <c>--sslCname</c>.
/// </summary>
internal static class SettingArguments
{
    public static string[] Normalize(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var normalized = (string[])args.Clone();
        for (var i = 0; i < normalized.Length; i++)
        {
            var token = normalized[i];
            if (token == "--")
            {
                break; // Everything after it is an argument, never an option.
            }

            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? token[2..] : token[2..equals];
            if (RouterSettingNames.Find(name) is { } setting && setting.Name != name)
            {
                normalized[i] = $"--{setting.Name}{(equals < 0 ? string.Empty : token[equals..])}";
            }
        }

        return normalized;
    }
}
