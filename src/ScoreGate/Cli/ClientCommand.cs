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
        return CreateSteps(name, description, options, parse => request(parse) is { } call
            ? (client, cancellationToken) => client.SendAsync(call, cancellationToken)
            : null);
    }

    /// <summary>A verb of more than one call: <paramref name="prepare"/> checks the options (before the router is looked for) and returns what to run.</summary>
    /// <param name="name">The verb.</param>
    /// <param name="description">Its help.</param>
    /// <param name="options">Its options (adminUrl and stateDir are added).</param>
    /// <param name="prepare">Returns the work, or null after printing what is wrong with the options.</param>
    public static Command CreateSteps(
        string name,
        string description,
        IEnumerable<Option> options,
        Func<ParseResult, Func<AdminClient, CancellationToken, Task<int>>?> prepare)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        var connection = SettingOptions.Only(RouterSettingNames.AdminUrl, RouterSettingNames.StateDir);
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (prepare(parse) is not { } run)
            {
                return ExitCodes.Failed;
            }

            using var client = AdminClient.Connect(connection.Values(parse));
            return client is null ? ExitCodes.Failed : await run(client, cancellationToken);
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
/// <param name="Explain">Puts the router's error message in context (such as the file line it concerns), given the message and the file field the router says it concerns (or null); null prints it as it is.</param>
public sealed record AdminRequest(
    HttpMethod Method,
    string Path,
    object? Body = null,
    Func<System.Text.Json.JsonElement, string>? Format = null,
    Func<string, string?, string>? Explain = null);
