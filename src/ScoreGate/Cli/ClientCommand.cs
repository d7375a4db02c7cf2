using System.CommandLine;
using ScoreGate.ControlPlane.Settings;

namespace ScoreGate.Cli;

/// <summary>
/// Builds CLI verbs that call the admin API: each gets --adminUrl and --stateDir, and a body
/// that turns parsed options into one admin request.
/// </summary>
public static class ClientCommand
{
    public static Command Create(
        string name,
        string description,
        IEnumerable<Option> options,
        Func<ParseResult, AdminRequest?> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        var connection = SettingOptions.Only(RouterSettingNames.AdminUrl, RouterSettingNames.StateDir);
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (request(parse) is not { } call)
            {
                return ExitCodes.Failed;
            }

            using var client = AdminClient.Connect(connection.Values(parse));
            return client is null ? ExitCodes.Failed : await client.SendAsync(call, cancellationToken);
        });
        return command;
    }

    public static Option<string> Required(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Required = true };

    /// <summary>A path segment, escaped so any name reaches the API as typed.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}

/// <summary>One admin API call.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path under adminUrl.</param>
/// <param name="Body">JSON body, if any.</param>
/// <param name="Format">Turns a successful JSON answer into text for people; null prints the JSON.</param>
/// <param name="Explain">Puts the router's error message in context (such as the file line it concerns); null prints it as it is.</param>
public sealed record AdminRequest(
    HttpMethod Method,
    string Path,
    object? Body = null,
    Func<System.Text.Json.JsonElement, string>? Format = null,
    Func<string, string>? Explain = null);
