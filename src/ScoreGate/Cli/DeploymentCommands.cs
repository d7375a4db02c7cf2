using System.CommandLine;
using ScoreGate.ControlPlane.Api;
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
        var urls = new Option<string[]>("--url")
        {
            Description = "Base URL of a model instance, such as http://127.0.0.1:5001 (repeat for more instances).",
            AllowMultipleArgumentsPerToken = false,
        };

        deployment.Subcommands.Add(ClientCommand.Create("create", "Create a deployment from the base URLs of its model instances.", [endpoint, name, urls],
            p => new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments",
                new CreateDeploymentRequest(p.GetValue(name), [.. p.GetValue(urls) ?? []], null))));

        deployment.Subcommands.Add(ClientCommand.Create("update", "Replace a deployment's instance URLs; applies at once.", [endpoint, name, urls],
            p => new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}",
                new UpdateDeploymentRequest(p.GetValue(urls) is { Length: > 0 } given ? [.. given] : null, null))));

        deployment.Subcommands.Add(ClientCommand.Create("show", "Show a deployment.", [endpoint, name],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}")));

        deployment.Subcommands.Add(ClientCommand.Create("list", "List an endpoint's deployments.", [endpoint],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments")));

        deployment.Subcommands.Add(ClientCommand.Create("delete", "Delete a deployment that no longer receives traffic.", [endpoint, name],
            p => new AdminRequest(HttpMethod.Delete, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}")));
        return deployment;
    }
}
