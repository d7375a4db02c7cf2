using System.Globalization;
using Microsoft.Extensions.Configuration;
using static ScoreGate.ControlPlane.Settings.RouterSettingNames;

namespace ScoreGate.ControlPlane.Settings;

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

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="help"/> says what to give instead.</summary>
    public long Number(string name, long min, long max, string help)
    {
        var value = Text(name)!;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add($"{name} '{value}' is not a whole number from {min} to {max}. {help}");
        return long.Parse(Find(name)!.Default!, CultureInfo.InvariantCulture);
    }

    /// <summary>One of a few words, compared case-insensitively.</summary>
    public T Choice<T>(string name, IReadOnlyDictionary<string, T> options)
    {
        var value = Text(name)!;
        var match = options.FirstOrDefault(o => string.Equals(o.Key, value, StringComparison.OrdinalIgnoreCase));
        if (match.Key is not null)
        {
            return match.Value;
        }

        errors.Add($"{name} '{value}' is not supported. Use {string.Join(" or ", options.Keys)}.");
        return options[Find(name)!.Default!];
    }
}
