using System.CommandLine;
using System.Globalization;
using ScoreGate.ControlPlane.Api;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary><c>scoregate endpoint create|show|list|update|delete|get-credentials|get-token|regenerate-keys</c>.</summary>
public static class EndpointCommands
{
    public static Command Create()
    {
        var endpoint = new Command("endpoint", "Create and manage scoring endpoints and their keys.");
        var name = Required("--name", "Endpoint name.", "-n");

        var authMode = new Option<string>("--auth-mode") { Description = "key (default), aml_token (short-lived tokens from get-token) or none.", DefaultValueFactory = _ => "key" };
        endpoint.Subcommands.Add(ClientCommand.Create("create", "Create an endpoint with new primary and secondary keys.", [name, authMode],
            p => new AdminRequest(HttpMethod.Post, "api/endpoints", new CreateEndpointRequest(p.GetValue(name), p.GetValue(authMode)))));

        endpoint.Subcommands.Add(ClientCommand.Create("show", "Show an endpoint: auth mode, traffic, scoring URI.", [name],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(name)!)}")));

        endpoint.Subcommands.Add(ClientCommand.Create("list", "List endpoints.", [],
            _ => new AdminRequest(HttpMethod.Get, "api/endpoints")));

        var traffic = Required("--traffic", "Traffic split, for example blue=90,green=10 (adds up to 100, or 0).");
        endpoint.Subcommands.Add(ClientCommand.Create("update", "Change an endpoint's traffic split; applies at once.", [name, traffic],
            p => ParseTraffic(p.GetValue(traffic)!) is { } split
                ? new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(p.GetValue(name)!)}", new UpdateEndpointRequest(split))
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
