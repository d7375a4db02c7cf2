using System.Globalization;
using Microsoft.Extensions.Configuration;
using static ScoreGate.Router.Configuration.RouterSettingNames;

namespace ScoreGate.Router.Configuration;

/// <summary>Reads raw setting values, with defaults from the catalog, and records parse errors.</summary>
internal sealed class SettingValues(IConfiguration configuration, List<string> errors)
{
    public string? Text(string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? Find(name)!.Default : value.Trim();
    }

    public bool Bool(string name)
    {
        var value = Text(name)!;
        if (bool.TryParse(value, out var result))
        {
            return result;
        }

        errors.Add($"{name} '{value}' is not true or false.");
        return false;
    }

    public int Port(string name)
    {
        var value = Text(name)!;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return port;
        }

        errors.Add($"{name} '{value}' is not a port. Give a number from 1 to 65535.");
        return 0;
    }
}
