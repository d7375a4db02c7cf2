using System.CommandLine;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Specs;
using ScoreGate.ControlPlane.Store;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary><c>scoregate deployment create|update|show|list|delete</c>.</summary>
public static class DeploymentCommands
{
    public static Command Create()
    {
        var deployment = new Command("deployment", "Create and manage model deployments behind an endpoint.");
        var endpoint = Required("--endpoint", "Endpoint the deployment belongs to.", "--endpoint-name", "-e");
        var name = Required("--name", "Deployment name.", "-n");
        var optionalEndpoint = new Option<string>("--endpoint", "--endpoint-name", "-e") { Description = "Endpoint the deployment belongs to (or give -f)." };
        var optionalName = new Option<string>("--name", "-n") { Description = "Deployment name (or give -f)." };
        var file = new Option<string>("--file", "-f")
        {
            Description = "Deployment file with Azure ML's fields (name, endpoint_name, instance_count, request_settings, probes...) and backend.urls.",
        };
        var urls = new Option<string[]>("--url")
        {
            Description = "Base URL of a model instance, such as http://127.0.0.1:5001 (repeat for more instances).",
            AllowMultipleArgumentsPerToken = false,
        };

        deployment.Subcommands.Add(ClientCommand.Create("create", "Create a deployment from the base URLs of its model instances, or from a file.", [optionalEndpoint, optionalName, urls, file],
            p => p.GetValue(file) is { } path ? FromFile(path, p, [optionalEndpoint, optionalName, urls], (spec, body) =>
                    new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(spec.EndpointName)}/deployments", new CreateDeploymentRequest(spec.Name, [.. spec.Urls], spec.RequestSettings, body)))
                : p.GetValue(optionalEndpoint) is { } given && p.GetValue(optionalName) is { } deploymentName
                    ? new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(given)}/deployments", new CreateDeploymentRequest(deploymentName, [.. p.GetValue(urls) ?? []], null))
                : MissingNamesOrFile()));

        deployment.Subcommands.Add(ClientCommand.Create("update", "Replace a deployment's instance URLs, or everything its file gives; applies at once.", [optionalEndpoint, optionalName, urls, file],
            p => p.GetValue(file) is { } path ? FromFile(path, p, [optionalEndpoint, optionalName, urls], (spec, body) =>
                    new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(spec.EndpointName)}/deployments/{Segment(spec.Name)}", new UpdateDeploymentRequest([.. spec.Urls], spec.RequestSettings, body)))
                : p.GetValue(optionalEndpoint) is { } given && p.GetValue(optionalName) is { } deploymentName
                    ? new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(given)}/deployments/{Segment(deploymentName)}",
                        new UpdateDeploymentRequest(p.GetValue(urls) is { Length: > 0 } replaced ? [.. replaced] : null, null))
                : MissingNamesOrFile()));

        var lines = new Option<int>("--lines") { Description = "How many of the last lines to print.", DefaultValueFactory = _ => 200 };
        deployment.Subcommands.Add(ClientCommand.Create("logs", "Print the output of the model processes ScoreGate runs for a deployment (backend.command).", [endpoint, name, lines],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}/logs?lines={p.GetValue(lines)}",
                Format: json => json.GetProperty("note").GetString() ?? string.Join('\n', json.GetProperty("lines").EnumerateArray().Select(l => l.GetString())))));

        deployment.Subcommands.Add(ClientCommand.Create("show", "Show a deployment.", [endpoint, name],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}")));

        deployment.Subcommands.Add(ClientCommand.Create("list", "List an endpoint's deployments.", [endpoint],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments")));

        deployment.Subcommands.Add(ClientCommand.Create("delete", "Delete a deployment that no longer receives traffic.", [endpoint, name],
            p => new AdminRequest(HttpMethod.Delete, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}")));
        return deployment;
    }

    /// <summary>One request from a deployment file; flags that the file also gives are refused, so the file is the one source.</summary>
    private static AdminRequest? FromFile(string path, ParseResult parse, Option[] flags, Func<DeploymentSpec, DeploymentDetails, AdminRequest> request)
    {
        if (SpecFile.RefuseFlags(path, [.. flags.Select(f => (f.Name, parse.GetResult(f) is { Implicit: false }))]) ||
            SpecFile.Load(path, DeploymentSpecReader.Read) is not { Spec: { } spec } file)
        {
            return null;
        }

        // Relative paths (working_directory, code, model.path, conda_file) are the file's folder's, as the Azure CLI reads them.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (spec.CondaFile is { } conda)
        {
            SpecFile.NoteCondaPackages(path, Path.GetFullPath(conda, folder), file.Lines.GetValueOrDefault("environment"));
        }

        var details = new DeploymentDetails(spec.Description, spec.Tags, spec.LivenessProbe, spec.ReadinessProbe, spec.Process?.RootedAt(folder))
        {
            ScoringRoute = spec.ScoringRoute,
            Properties = spec.Properties ?? new Dictionary<string, string>(),
        };

        // "Endpoint 'x' does not exist" concerns endpoint_name, which the message does not spell out.
        return request(spec, details) with
        {
            Explain = SpecFile.Explain(path, file, "endpoint_name"),
        };
    }

    private static AdminRequest? MissingNamesOrFile()
    {
        Console.Error.WriteLine("error: give --endpoint and --name, or -f with a deployment file.");
        return null;
    }
}
