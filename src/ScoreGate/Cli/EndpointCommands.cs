using System.CommandLine;
using System.Globalization;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Specs;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary><c>scoregate endpoint create|show|list|update|delete|get-credentials|get-token|regenerate-keys</c>.</summary>
public static class EndpointCommands
{
    public static Command Create()
    {
        var endpoint = new Command("endpoint", "Create and manage scoring endpoints and their keys.");
        var name = Required("--name", "Endpoint name.", "-n");
        var optionalName = new Option<string>("--name", "-n") { Description = "Endpoint name (or give -f)." };
        var file = new Option<string>("--file", "-f") { Description = "Endpoint file with Azure ML's fields (name, auth_mode, description, tags, traffic, mirror_traffic)." };

        var authMode = new Option<string>("--auth-mode") { Description = "key (default), aml_token (short-lived tokens from get-token) or none." };
        endpoint.Subcommands.Add(ClientCommand.Create("create", "Create an endpoint with new primary and secondary keys.", [optionalName, authMode, file],
            p => p.GetValue(file) is { } path ? CreateFromFile(path, p.GetValue(optionalName) is not null, p.GetValue(authMode) is not null)
                : p.GetValue(optionalName) is { } given ? new AdminRequest(HttpMethod.Post, "api/endpoints", new CreateEndpointRequest(given, p.GetValue(authMode)))
                : MissingNameOrFile()));

        endpoint.Subcommands.Add(ClientCommand.Create("show", "Show an endpoint: auth mode, traffic, scoring URI.", [name],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(name)!)}")));

        endpoint.Subcommands.Add(ClientCommand.Create("list", "List endpoints.", [],
            _ => new AdminRequest(HttpMethod.Get, "api/endpoints")));

        var traffic = new Option<string>("--traffic") { Description = "Traffic split, for example blue=90,green=10 (adds up to 100, or 0)." };
        endpoint.Subcommands.Add(ClientCommand.Create("update", "Change an endpoint's traffic split (or, from a file, its mirror, description and tags); applies at once.", [optionalName, traffic, file],
            p => p.GetValue(file) is { } path ? UpdateFromFile(path, p.GetValue(optionalName) is not null, p.GetValue(traffic) is not null)
                : p.GetValue(optionalName) is not { } given ? MissingNameOrFile()
                : p.GetValue(traffic) is not { } text ? Refuse("give --traffic, or -f with an endpoint file.")
                : ParseTraffic(text) is { } split ? new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(given)}", new UpdateEndpointRequest(split))
                : null));

        endpoint.Subcommands.Add(ClientCommand.Create("delete", "Delete an endpoint and its deployments.", [name],
            p => new AdminRequest(HttpMethod.Delete, $"api/endpoints/{Segment(p.GetValue(name)!)}")));

        endpoint.Subcommands.Add(ClientCommand.Create("get-credentials", "Print the endpoint's keys: {\"primaryKey\": ..., \"secondaryKey\": ...}.", [name],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(name)!)}/credentials")));

        endpoint.Subcommands.Add(ClientCommand.Create("get-token", "Print a token for an aml_token endpoint: {\"accessToken\", \"expiryTimeUtc\", \"refreshAfterTimeUtc\", \"tokenType\"}.", [name],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(name)!)}/token")));

        var keyType = Required("--key-type", "primary or secondary: the key to replace. The other stays valid.");
        endpoint.Subcommands.Add(ClientCommand.Create("regenerate-keys", "Replace one key; clients using the other keep working.", [name, keyType],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(name)!)}/regenerate-keys", new RegenerateKeysRequest(p.GetValue(keyType)))));
        return endpoint;
    }

    private static AdminRequest? CreateFromFile(string path, bool nameGiven, bool authModeGiven)
    {
        if (SpecFile.RefuseFlags(path, ("--name", nameGiven), ("--auth-mode", authModeGiven)) || SpecFile.Load(path, EndpointSpecReader.Read) is not { Spec: { } spec } file)
        {
            return null;
        }

        // A new endpoint has no deployments yet, so it cannot route to any: traffic comes with 'update -f' once they exist.
        if (new[] { spec.Traffic, spec.MirrorTraffic }.Any(split => split?.Values.Any(percent => percent > 0) == true))
        {
            return Refuse($"{path}: traffic and mirror_traffic name deployments, which a new endpoint does not have yet. Create the endpoint, then its deployments, then run 'scoregate endpoint update -f {path}'.");
        }

        return new AdminRequest(HttpMethod.Post, "api/endpoints", new CreateEndpointRequest(spec.Name, spec.AuthMode, spec.Description, spec.Tags, spec.Properties),
            Explain: SpecFile.Explain(path, file, "name"));
    }

    /// <summary>Fields the file leaves out stay as they are (traffic, mirror, description, tags, auth mode).</summary>
    private static AdminRequest? UpdateFromFile(string path, bool nameGiven, bool trafficGiven)
    {
        if (SpecFile.RefuseFlags(path, ("--name", nameGiven), ("--traffic", trafficGiven)) || SpecFile.Load(path, EndpointSpecReader.Read) is not { Spec: { } spec } file)
        {
            return null;
        }

        return new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(spec.Name)}", new UpdateEndpointRequest(
            spec.Traffic is null ? null : new(spec.Traffic),
            spec.MirrorTraffic is null ? null : new(spec.MirrorTraffic),
            spec.Description,
            file.Lines.ContainsKey("tags") ? new(spec.Tags) : null,
            spec.AuthMode,
            file.Lines.ContainsKey("properties") ? new(spec.Properties) : null),
            Explain: SpecFile.Explain(path, file, "name"));
    }

    private static AdminRequest? MissingNameOrFile() => Refuse("give --name, or -f with an endpoint file.");

    private static AdminRequest? Refuse(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return null;
    }

    /// <returns>The split, or null after printing what is wrong with it.</returns>
    internal static Dictionary<string, int>? ParseTraffic(string text)
    {
        var split = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent) || !split.TryAdd(pair[0], percent))
            {
                Console.Error.WriteLine($"error: --traffic '{text}': '{part}' is not like deployment=percent. Write it like blue=90,green=10, each deployment once.");
                return null;
            }
        }

        return split;
    }
}
