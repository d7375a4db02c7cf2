using System.CommandLine;
using ScoreGate.ControlPlane.Settings;

namespace ScoreGate.Cli;

/// <summary>
/// Router settings as command-line options (<c>--sslCname www.contoso.com</c>), made from the
/// settings catalog so options, environment variables and scoregate.json never disagree.
/// </summary>
public sealed class SettingOptions
{
    private readonly Dictionary<string, Option<string?>> _options;

    private SettingOptions(IEnumerable<RouterSetting> settings)
    {
        _options = settings.ToDictionary(
            s => s.Name,
            s => new Option<string?>($"--{s.Name}") { Description = s.Default is null ? s.Description : $"{s.Description} Default: {s.Default}." });
    }

    public static SettingOptions All() => new(RouterSettingNames.All);

    public static SettingOptions Only(params string[] names) => new(names.Select(n => RouterSettingNames.Find(n)!));

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in _options.Values)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings given on the command line, for the highest-priority configuration source.</summary>
    public Dictionary<string, string?> Values(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return _options
            .Select(o => (o.Key, Value: parse.GetValue(o.Value)))
            .Where(o => o.Value is not null)
            .ToDictionary(o => o.Key, o => o.Value, StringComparer.OrdinalIgnoreCase);
    }
}
