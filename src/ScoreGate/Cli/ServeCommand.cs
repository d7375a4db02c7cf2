using System.CommandLine;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.Hosting;

namespace ScoreGate.Cli;

/// <summary><c>scoregate serve [settings]</c>: run the router until Ctrl-C or SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the router: TLS termination, key auth, routing to model deployments, and the admin API.");
        var settings = SettingOptions.All();
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var read = ReadSettings(settings.Values(parse));
            if (read is null)
            {
                return ExitCodes.BadConfiguration;
            }

            var started = await RouterHost.StartAsync(read, TimeProvider.System, cancellationToken);
            if (started.Host is not { } host)
            {
                ReportStartFailure(started.Errors);
                return ExitCodes.BadConfiguration;
            }

            await using (host)
            {
                await WaitForShutdownAsync(cancellationToken);
                await host.StopAsync(CancellationToken.None);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <returns>The settings read, or null after reporting a broken scoregate.json.</returns>
    internal static RouterSettingsReadResult? ReadSettings(IReadOnlyDictionary<string, string?> commandLine, IReadOnlyDictionary<string, string?>? commandDefaults = null)
    {
        try
        {
            return RouterSettingsReader.Read(SettingsConfiguration.Build(commandLine, commandDefaults));
        }
        catch (SettingsFileException error)
        {
            ReportStartFailure([error.Message]);
            return null;
        }
    }

    internal static void ReportStartFailure(IReadOnlyList<string> errors)
    {
        Console.Error.WriteLine($"scoregate: the router cannot start ({errors.Count} problem{(errors.Count == 1 ? string.Empty : "s")}):");
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"  - {error}");
        }
    }

    internal static async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
