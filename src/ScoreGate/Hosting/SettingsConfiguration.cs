using Microsoft.Extensions.Configuration;

namespace ScoreGate.Hosting;

/// <summary>
/// Where settings come from, lowest priority first: built-in defaults of the command,
/// <c>scoregate.json</c> in the working directory, <c>SCOREGATE_*</c> environment variables,
/// command-line options. Names are case-insensitive everywhere.
/// </summary>
public static class SettingsConfiguration
{
    public const string FileName = "scoregate.json";
    public const string EnvironmentPrefix = "SCOREGATE_";

    /// <exception cref="SettingsFileException">scoregate.json exists but is not valid JSON.</exception>
    public static IConfiguration Build(IReadOnlyDictionary<string, string?> commandLine, IReadOnlyDictionary<string, string?>? commandDefaults = null)
    {
        var file = Path.Combine(Directory.GetCurrentDirectory(), FileName);
        try
        {
            return new ConfigurationBuilder()
                .AddInMemoryCollection(commandDefaults ?? new Dictionary<string, string?>())
                .AddJsonFile(file, optional: true, reloadOnChange: false)
                .AddEnvironmentVariables(EnvironmentPrefix)
                .AddInMemoryCollection(commandLine)
                .Build();
        }
        catch (Exception error) when (error is FormatException or InvalidDataException)
        {
            throw new SettingsFileException($"'{file}' is not valid: {error.InnerException?.Message ?? error.Message} Fix the JSON, or remove the file.");
        }
    }
}

/// <summary>scoregate.json could not be read.</summary>
public sealed class SettingsFileException(string message) : Exception(message);
