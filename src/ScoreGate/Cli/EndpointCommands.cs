using System.CommandLine;
using System.Globalization;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Specs;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary><c>scoregate endpoint create|show|list|update|delete|get-credentials|get-token|regenerate-keys|invoke</c>.</summary>
public static class EndpointCommands
{
    public static Command Create()
    {
        var endpoint = new Command("endpoint", "Create and manage scoring endpoints and their keys.");
        var name = Required("--name", "Endpoint name.", "-n");
        var optionalName = new Option<string>("--name", "-n") { Description = "Endpoint name (or give -f; beside -f it overrides the file's name)." };
        var file = new Option<string>("--file", "-f") { Description = "Endpoint file with Azure ML's fields (name, auth_mode, description, tags, traffic, mirror_traffic, public_network_access). Flags given beside it override the file." };

        var authMode = new Option<string>("--auth-mode") { Description = "key (default), aml_token (short-lived tokens from get-token), aad_token (access tokens of the router's OpenID Connect provider, oidcAuthority) or none. Beside -f it overrides the file's auth_mode." };
        var access = PublicNetworkAccessOption();
        var callers = AllowedCallersOptions.Create();
        endpoint.Subcommands.Add(ClientCommand.Create("create", "Create an endpoint with new primary and secondary keys.", [optionalName, authMode, access, file, .. callers.All],
            p => p.GetValue(file) is { } path ? CreateFromFile(path, p.GetValue(optionalName), p.GetValue(authMode), p.GetValue(access), callers.From(p))
                : p.GetValue(optionalName) is { } given ? new AdminRequest(HttpMethod.Post, "api/endpoints", new CreateEndpointRequest(given, p.GetValue(authMode), PublicNetworkAccess: p.GetValue(access), AllowedCallers: callers.From(p)), AzureCliView.Endpoint,
                    ExplainFlags(Flags(("public_network_access", "--public-network-access", p.GetValue(access)))))
                : MissingNameOrFile()));

        endpoint.Subcommands.Add(ClientCommand.Create("show", "Show an endpoint with the Azure CLI's field names (auth_mode, traffic, scoring_uri, ...), as JSON.", [name],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(name)!)}", Format: AzureCliView.Endpoint)));

        endpoint.Subcommands.Add(ClientCommand.Create("list", "List endpoints with the Azure CLI's field names, as a JSON array.", [],
            _ => new AdminRequest(HttpMethod.Get, "api/endpoints", Format: AzureCliView.Endpoints)));

        var traffic = new Option<string>("--traffic") { Description = "Traffic split, such as \"blue=90 green=10\" or blue=90,green=10 (whole percents adding up to 100, or 0). Beside -f it overrides the file's traffic." };
        var mirror = new Option<string>("--mirror-traffic") { Description = "Share of requests copied to a deployment without live traffic, such as green=10 (at most 50; green=0 stops it). Beside -f it overrides the file's mirror_traffic." };
        var updateAuthMode = new Option<string>("--auth-mode") { Description = "key, aml_token, aad_token or none. Beside -f it overrides the file's auth_mode." };
        var updateAccess = PublicNetworkAccessOption();
        var updateCallers = AllowedCallersOptions.Create();
        endpoint.Subcommands.Add(ClientCommand.Create("update", "Change an endpoint's traffic split, mirror, auth mode, public network access or allowed callers (or, from a file, also its description and tags); applies at once.",
            [optionalName, traffic, mirror, updateAuthMode, updateAccess, file, .. updateCallers.All],
            p => p.GetValue(file) is { } path ? UpdateFromFile(path, p.GetValue(optionalName), p.GetValue(traffic), p.GetValue(mirror), p.GetValue(updateAuthMode), p.GetValue(updateAccess), updateCallers.From(p))
                : p.GetValue(optionalName) is not { } given ? MissingNameOrFile()
                : p.GetValue(traffic) is null && p.GetValue(mirror) is null && p.GetValue(updateAuthMode) is null && p.GetValue(updateAccess) is null && updateCallers.From(p) is null
                    ? Refuse("give --traffic, --mirror-traffic, --auth-mode, --public-network-access or --allowed-roles/--allowed-scopes/--allowed-subjects, or -f with an endpoint file.")
                : Splits(p.GetValue(traffic), p.GetValue(mirror)) is not { } splits ? null
                : new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(given)}",
                    new UpdateEndpointRequest(splits.Traffic, splits.Mirror, AuthMode: p.GetValue(updateAuthMode), PublicNetworkAccess: p.GetValue(updateAccess), AllowedCallers: updateCallers.From(p)), AzureCliView.Endpoint,
                    ExplainFlags(Flags(("public_network_access", "--public-network-access", p.GetValue(updateAccess)))))));

        endpoint.Subcommands.Add(ClientCommand.Create("delete", "Delete an endpoint and its deployments.", [name],
            p => new AdminRequest(HttpMethod.Delete, $"api/endpoints/{Segment(p.GetValue(name)!)}", Format: AzureCliView.Endpoint)));

        endpoint.Subcommands.Add(ClientCommand.Create("get-credentials",
            "Print what the endpoint takes, as Azure ML does: its keys ({\"primaryKey\", \"secondaryKey\"}) for key auth, a token ({\"accessToken\", \"expiryTimeUtc\", \"refreshAfterTimeUtc\", \"tokenType\"}) for aml_token.", [name],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(name)!)}/credentials")));

        endpoint.Subcommands.Add(ClientCommand.Create("get-token", "Print a token for an aml_token endpoint: {\"accessToken\", \"expiryTimeUtc\", \"refreshAfterTimeUtc\", \"tokenType\"}.", [name],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(name)!)}/token")));

        var keyType = Required("--key-type", "primary or secondary: the key to replace. The other stays valid.");
        endpoint.Subcommands.Add(ClientCommand.Create("regenerate-keys", "Replace one key; clients using the other keep working.", [name, keyType],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(name)!)}/regenerate-keys", new RegenerateKeysRequest(p.GetValue(keyType)))));

        endpoint.Subcommands.Add(InvokeCommand.Create());
        return endpoint;
    }

    /// <summary>Azure CLI's <c>--public-network-access</c>; the admin API refuses other values, naming the flag.</summary>
    private static Option<string> PublicNetworkAccessOption() => new("--public-network-access")
    {
        Description = "enabled (the default) or disabled: only clients in the router's privateNetworks may score. Beside -f it overrides the file's public_network_access.",
    };

    private static AdminRequest? CreateFromFile(string path, string? nameFlag, string? authModeFlag, string? accessFlag, AllowedCallersRequest? callersFlags)
    {
        if (SpecFile.Load(path, yaml => EndpointSpecReader.Read(yaml, new SpecOverrides(nameFlag))) is not { Spec: { } read } file)
        {
            return null;
        }

        var spec = read with { AuthMode = authModeFlag ?? read.AuthMode, PublicNetworkAccess = accessFlag ?? read.PublicNetworkAccess };

        // A new endpoint has no deployments yet, so it cannot route to any: traffic comes with 'update -f' once they exist.
        if (new[] { spec.Traffic, spec.MirrorTraffic }.Any(split => split?.Values.Any(percent => percent > 0) == true))
        {
            return Refuse($"{path}: traffic and mirror_traffic name deployments, which a new endpoint does not have yet. Create the endpoint, then its deployments, then run 'scoregate endpoint update -f {path}'.");
        }

        return new AdminRequest(HttpMethod.Post, "api/endpoints", new CreateEndpointRequest(spec.Name, spec.AuthMode, spec.Description, spec.Tags, spec.Properties, spec.PublicNetworkAccess, AllowedCallersOptions.Merge(spec.AllowedCallers, callersFlags)), AzureCliView.Endpoint,
            SpecFile.Explain(path, file, Flags(("name", "--name", nameFlag), ("auth_mode", "--auth-mode", authModeFlag), ("public_network_access", "--public-network-access", accessFlag))));
    }

    /// <summary>Fields neither the file nor a flag gives stay as they are (traffic, mirror, description, tags, auth mode, public network access, allowed callers).</summary>
    private static AdminRequest? UpdateFromFile(string path, string? nameFlag, string? trafficFlag, string? mirrorFlag, string? authModeFlag, string? accessFlag, AllowedCallersRequest? callersFlags)
    {
        if (Splits(trafficFlag, mirrorFlag) is not { } given ||
            SpecFile.Load(path, yaml => EndpointSpecReader.Read(yaml, new SpecOverrides(nameFlag))) is not { Spec: { } spec } file)
        {
            return null;
        }

        var traffic = given.Traffic ?? (spec.Traffic is null ? null : new Dictionary<string, int>(spec.Traffic));
        var mirror = given.Mirror ?? (spec.MirrorTraffic is null ? null : new Dictionary<string, int>(spec.MirrorTraffic));
        return new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(spec.Name)}", new UpdateEndpointRequest(
            traffic,
            mirror,
            spec.Description,
            file.Lines.ContainsKey("tags") ? new(spec.Tags) : null,
            authModeFlag ?? spec.AuthMode,
            file.Lines.ContainsKey("properties") ? new(spec.Properties) : null,
            accessFlag ?? spec.PublicNetworkAccess,
            AllowedCallersOptions.Merge(spec.AllowedCallers, callersFlags)),
            AzureCliView.Endpoint,
            SpecFile.Explain(path, file, Flags(
                ("name", "--name", nameFlag), ("traffic", "--traffic", trafficFlag), ("mirror_traffic", "--mirror-traffic", mirrorFlag), ("auth_mode", "--auth-mode", authModeFlag),
                ("public_network_access", "--public-network-access", accessFlag))));
    }

    /// <summary>Without a file: a refusal of a field a flag gave names the flag.</summary>
    private static Func<string, string?, string> ExplainFlags(Dictionary<string, string> flags) =>
        (message, field) => field is not null && flags.TryGetValue(field, out var flag) ? $"{flag}: {message}" : message;

    /// <summary>The fields whose value a flag gave, with the flag.</summary>
    internal static Dictionary<string, string> Flags(params (string Field, string Flag, string? Value)[] flags) =>
        flags.Where(f => f.Value is not null).ToDictionary(f => f.Field, f => f.Flag, StringComparer.Ordinal);

    /// <returns>The two splits given (null where not given), or null after printing what is wrong with one.</returns>
    private static (Dictionary<string, int>? Traffic, Dictionary<string, int>? Mirror)? Splits(string? traffic, string? mirror)
    {
        Dictionary<string, int>? split = null, mirrored = null;
        if (traffic is not null && (split = ParseTraffic(traffic, "--traffic", "\"blue=90 green=10\" (or blue=90,green=10)")) is null)
        {
            return null;
        }

        if (mirror is not null && (mirrored = ParseTraffic(mirror, "--mirror-traffic", "green=10")) is null)
        {
            return null;
        }

        return (split, mirrored);
    }

    private static AdminRequest? MissingNameOrFile() => Refuse("give --name, or -f with an endpoint file.");

    private static AdminRequest? Refuse(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return null;
    }

    /// <summary>
    /// A split as the Azure CLI takes it: deployment=percent pairs separated by spaces (one quoted
    /// argument, "blue=90 green=10") or commas (blue=90,green=10), each deployment once.
    /// </summary>
    /// <param name="text">The flag's value.</param>
    /// <param name="flag">The flag, for the message.</param>
    /// <param name="example">The right form, for the message.</param>
    /// <returns>The split, or null after printing what is wrong with it.</returns>
    internal static Dictionary<string, int>? ParseTraffic(string text, string flag, string example)
    {
        var split = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var parts = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            Console.Error.WriteLine($"error: {flag} '{text}' names no deployment. Write it like {example}.");
            return null;
        }

        foreach (var part in parts)
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            var problem = pair.Length != 2 || pair[0].Length == 0 ? "is not like deployment=percent"
                : !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent) ? $"has '{pair[1]}', which is not a whole percent"
                : !split.TryAdd(pair[0], percent) ? $"names '{pair[0]}' a second time"
                : null;
            if (problem is not null)
            {
                Console.Error.WriteLine($"error: {flag} '{text}': '{part}' {problem}. Write it like {example}, each deployment once.");
                return null;
            }
        }

        return split;
    }
}
