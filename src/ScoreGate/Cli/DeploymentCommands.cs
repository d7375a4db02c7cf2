using System.CommandLine;
using System.Text.Json;
using ScoreGate.ControlPlane.Api;
using ScoreGate.ControlPlane.Specs;
using ScoreGate.ControlPlane.Store;
using static ScoreGate.Cli.ClientCommand;

namespace ScoreGate.Cli;

/// <summary><c>scoregate deployment create|update|show|list|delete|logs</c>.</summary>
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

        var allTraffic = new Option<bool>("--all-traffic")
        {
            Description = "Then send the endpoint's traffic all to this deployment (traffic {name: 100}), as 'az ml online-deployment create --all-traffic'.",
        };
        Option[] options = [optionalEndpoint, optionalName, urls, file, allTraffic];

        deployment.Subcommands.Add(ClientCommand.CreateSteps("create", "Create a deployment from the base URLs of its model instances, or from a file (--name and --endpoint override it).", options,
            p => WithAllTraffic(p.GetValue(allTraffic), "created", p.GetValue(file) is { } path ? FromFile(path, p, optionalEndpoint, optionalName, urls, (spec, body) =>
                    new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(spec.EndpointName)}/deployments", new CreateDeploymentRequest(spec.Name, [.. spec.Urls], spec.RequestSettings, body)))
                : p.GetValue(optionalEndpoint) is { } given && p.GetValue(optionalName) is { } deploymentName
                    ? new AdminRequest(HttpMethod.Post, $"api/endpoints/{Segment(given)}/deployments", new CreateDeploymentRequest(deploymentName, [.. p.GetValue(urls) ?? []], null))
                : MissingNamesOrFile())));

        deployment.Subcommands.Add(ClientCommand.CreateSteps("update", "Replace a deployment's instance URLs, or everything its file gives (--name and --endpoint override it); applies at once.", options,
            p => WithAllTraffic(p.GetValue(allTraffic), "updated", p.GetValue(file) is { } path ? FromFile(path, p, optionalEndpoint, optionalName, urls, (spec, body) =>
                    new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(spec.EndpointName)}/deployments/{Segment(spec.Name)}", new UpdateDeploymentRequest([.. spec.Urls], spec.RequestSettings, body)))
                : p.GetValue(optionalEndpoint) is { } given && p.GetValue(optionalName) is { } deploymentName
                    ? new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(given)}/deployments/{Segment(deploymentName)}",
                        new UpdateDeploymentRequest(p.GetValue(urls) is { Length: > 0 } replaced ? [.. replaced] : null, null))
                : MissingNamesOrFile())));

        var lines = new Option<int>("--lines") { Description = "How many of the last lines to print.", DefaultValueFactory = _ => 200 };
        deployment.Subcommands.Add(ClientCommand.Create("logs", "Print the output of the model processes ScoreGate runs for a deployment (a scoring script's inference host, or backend.command).", [endpoint, name, lines],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}/logs?lines={p.GetValue(lines)}",
                Format: json => json.GetProperty("note").GetString() ?? string.Join('\n', json.GetProperty("lines").EnumerateArray().Select(l => l.GetString())))));

        deployment.Subcommands.Add(ClientCommand.Create("show", "Show a deployment with the Azure CLI's field names (endpoint_name, instance_count, request_settings, ...), as JSON.", [endpoint, name],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}", Format: AzureCliView.Deployment)));

        deployment.Subcommands.Add(ClientCommand.Create("list", "List an endpoint's deployments with the Azure CLI's field names, as a JSON array.", [endpoint],
            p => new AdminRequest(HttpMethod.Get, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments", Format: AzureCliView.Deployments)));

        deployment.Subcommands.Add(ClientCommand.Create("delete", "Delete a deployment that no longer receives traffic.", [endpoint, name],
            p => new AdminRequest(HttpMethod.Delete, $"api/endpoints/{Segment(p.GetValue(endpoint)!)}/deployments/{Segment(p.GetValue(name)!)}", Format: AzureCliView.Deployment)));
        return deployment;
    }

    /// <summary>
    /// One request from a deployment file. --name and --endpoint override the file's name and
    /// endpoint_name (and stand in for them when it has none), as in the Azure CLI; --url is refused
    /// beside a file, whose backend block says where the model runs.
    /// </summary>
    private static AdminRequest? FromFile(string path, ParseResult parse, Option<string> endpointFlag, Option<string> nameFlag, Option<string[]> urlFlag,
        Func<DeploymentSpec, DeploymentDetails, AdminRequest> request)
    {
        var endpointName = parse.GetValue(endpointFlag);
        var name = parse.GetValue(nameFlag);
        if (SpecFile.RefuseFlags(path, ("--url", parse.GetResult(urlFlag) is { Implicit: false })) ||
            SpecFile.Load(path, yaml => DeploymentSpecReader.Read(yaml, new SpecOverrides(name, endpointName))) is not { Spec: { } spec } file)
        {
            return null;
        }

        // Relative paths (working_directory, code, model.path, conda_file) are the file's folder's, as the Azure CLI reads them.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (spec.CondaFile is { } conda)
        {
            SpecFile.NoteCondaPackages(path, Path.GetFullPath(conda, folder), file.Lines.GetValueOrDefault("environment.conda_file"));
        }

        var details = new DeploymentDetails(spec.Description, spec.Tags, spec.LivenessProbe, spec.ReadinessProbe, spec.Process?.RootedAt(folder))
        {
            ScoringRoute = spec.ScoringRoute,
            Properties = spec.Properties ?? new Dictionary<string, string>(),
        };

        return request(spec, details) with
        {
            Format = AzureCliView.Deployment,
            Explain = SpecFile.Explain(path, file, EndpointCommands.Flags(("name", "--name", name), ("endpoint_name", "--endpoint", endpointName))),
        };
    }

    /// <summary>
    /// The deployment call, then (with --all-traffic) the endpoint's traffic all to it. The
    /// deployment is printed to stdout as from the call alone; the traffic switch is reported on
    /// stderr, and when it fails the command says the deployment exists and how to switch by hand.
    /// </summary>
    private static Func<AdminClient, CancellationToken, Task<int>>? WithAllTraffic(bool allTraffic, string done, AdminRequest? call)
    {
        if (call is null)
        {
            return null;
        }

        call = call with { Format = call.Format ?? AzureCliView.Deployment };
        if (!allTraffic)
        {
            return (client, cancellationToken) => client.SendAsync(call, cancellationToken);
        }

        return async (client, cancellationToken) =>
        {
            if (await client.CallAsync(call, cancellationToken) is not { } answer)
            {
                return ExitCodes.Failed;
            }

            if (!answer.Succeeded)
            {
                await Console.Error.WriteLineAsync($"error: {AdminClient.Describe(call, answer)}");
                return ExitCodes.Failed;
            }

            AdminClient.Print(call, answer);
            using var created = JsonDocument.Parse(answer.Text);
            var endpointName = created.RootElement.GetProperty("endpointName").GetString()!;
            var deploymentName = created.RootElement.GetProperty("name").GetString()!;
            if (await DeploymentReadiness.WaitAsync(client, endpointName, deploymentName, cancellationToken) is { } notReady)
            {
                await Console.Error.WriteLineAsync(
                    $"error: deployment '{deploymentName}' was {done} and exists, but it is not ready, so endpoint '{endpointName}''s traffic was left as it was: {notReady} " +
                    $"'scoregate deployment logs --endpoint {endpointName} --name {deploymentName}' says more; once it is ready: scoregate endpoint update --name {endpointName} --traffic {deploymentName}=100");
                return ExitCodes.Failed;
            }

            var switchTraffic = new AdminRequest(HttpMethod.Patch, $"api/endpoints/{Segment(endpointName)}",
                new UpdateEndpointRequest(new Dictionary<string, int> { [deploymentName] = 100 }));
            var switched = await client.CallAsync(switchTraffic, cancellationToken);
            if (switched is { Succeeded: true })
            {
                await Console.Error.WriteLineAsync($"Endpoint '{endpointName}' now sends all its traffic to deployment '{deploymentName}' (traffic: {deploymentName}=100).");
                return ExitCodes.Success;
            }

            var why = switched is null ? "the router's admin API could not be reached." : AdminClient.Describe(switchTraffic, switched);
            await Console.Error.WriteLineAsync(
                $"error: deployment '{deploymentName}' was {done} and exists, but endpoint '{endpointName}''s traffic was not switched to it: {why} " +
                $"Switch it with: scoregate endpoint update --name {endpointName} --traffic {deploymentName}=100");
            return ExitCodes.Failed;
        };
    }

    private static AdminRequest? MissingNamesOrFile()
    {
        Console.Error.WriteLine("error: give --endpoint and --name, or -f with a deployment file.");
        return null;
    }
}
