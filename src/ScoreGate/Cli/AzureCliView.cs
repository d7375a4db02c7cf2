using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScoreGate.Cli;

/// <summary>
/// Endpoints and deployments as the Azure CLI prints them (<c>az ml online-endpoint show</c>):
/// snake_case field names such as <c>auth_mode</c> and <c>scoring_uri</c>, and
/// <c>provisioning_state</c>. The admin API keeps camelCase, like Azure's REST API; only the CLI
/// prints these names. The mapping is explicit: keys people choose (deployment names in
/// <c>traffic</c>, tag names, environment variable names, properties) are never converted. A field
/// the API gains that is not mapped here still appears, its name snake_cased and its value as the
/// API gives it (its inner names are left alone, since they may be someone's keys).
/// </summary>
public static class AzureCliView
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Maps whose keys are chosen by people: copied as they are.</summary>
    private static readonly HashSet<string> Verbatim = ["traffic", "mirrorTraffic", "tags", "properties", "environmentVariables"];

    /// <summary>Objects whose every name is ScoreGate's own (no user keys): snake_cased all the way down.</summary>
    private static readonly HashSet<string> OwnNames = ["requestSettings", "livenessProbe", "readinessProbe", "instances"];

    public static string Endpoint(JsonElement endpoint) => Write(EndpointNode(endpoint));

    public static string Endpoints(JsonElement endpoints) => Write(new JsonArray([.. endpoints.EnumerateArray().Select(EndpointNode)]));

    public static string Deployment(JsonElement deployment) => Write(DeploymentNode(deployment));

    public static string Deployments(JsonElement deployments) => Write(new JsonArray([.. deployments.EnumerateArray().Select(DeploymentNode)]));

    internal static JsonObject EndpointNode(JsonElement endpoint)
    {
        var result = new JsonObject();
        foreach (var field in endpoint.EnumerateObject())
        {
            Add(result, field.Name, field.Value);
        }

        // The Azure CLI's newer name for the same URI: scripts written for either find it.
        if (result["swagger_uri"] is { } swagger)
        {
            result["openapi_uri"] = swagger.DeepClone();
        }

        result["provisioning_state"] = "Succeeded";
        return result;
    }

    /// <summary>
    /// The API's <c>details</c> are flattened as in a deployment file (<c>description</c>, <c>tags</c>,
    /// probes), its <c>process</c> becomes <c>backend.command</c>, <c>instance_count</c> and
    /// <c>environment_variables</c>, and <c>urls</c> becomes <c>backend.urls</c>.
    /// </summary>
    internal static JsonObject DeploymentNode(JsonElement deployment)
    {
        var result = new JsonObject();
        var backend = new JsonObject();
        int? instances = null;
        foreach (var field in deployment.EnumerateObject())
        {
            switch (field.Name)
            {
                case "urls" when field.Value.ValueKind == JsonValueKind.Array:
                    if (field.Value.GetArrayLength() > 0)
                    {
                        backend["urls"] = JsonNode.Parse(field.Value.GetRawText());
                        instances ??= field.Value.GetArrayLength();
                    }

                    break;
                case "details" when field.Value.ValueKind == JsonValueKind.Object:
                    foreach (var detail in field.Value.EnumerateObject())
                    {
                        if (detail.Name == "process" && detail.Value.ValueKind == JsonValueKind.Object)
                        {
                            instances = AddProcess(result, backend, detail.Value) ?? instances;
                        }
                        else if (detail.Name == "scoringRoute" && detail.Value.ValueKind == JsonValueKind.Object)
                        {
                            // As the file gave it: environment.inference_config.scoring_route.
                            result["environment"] = new JsonObject { ["inference_config"] = new JsonObject { ["scoring_route"] = SnakeAll(detail.Value) } };
                        }
                        else if (detail.Name is not "process" and not "scoringRoute")
                        {
                            Add(result, detail.Name, detail.Value);
                        }
                    }

                    break;
                default:
                    Add(result, field.Name, field.Value);
                    break;
            }
        }

        result["instance_count"] = instances ?? 0;
        result["environment_variables"] ??= new JsonObject();
        if (backend.Count > 0)
        {
            result["backend"] = backend;
        }

        result["provisioning_state"] = "Succeeded";
        return result;
    }

    /// <summary>Azure CLI's names (snake_case), as a deployment or endpoint file spells them.</summary>
    internal static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>
    /// A scoring script becomes <c>code_configuration</c> and <c>model</c>, as its file had them; a
    /// command becomes <c>backend.command</c> and <c>working_directory</c>.
    /// </summary>
    /// <returns>The process's instance count.</returns>
    private static int? AddProcess(JsonObject result, JsonObject backend, JsonElement process)
    {
        int? instances = null;
        var runsScript = process.TryGetProperty("script", out var script) && script.ValueKind == JsonValueKind.Object;
        foreach (var field in process.EnumerateObject())
        {
            switch (field.Name)
            {
                case "script":
                    break;
                case "command" or "workingDirectory" when runsScript:
                    // The router's own: the inference host in the code folder.
                    break;
                case "instanceCount" when field.Value.ValueKind == JsonValueKind.Number:
                    instances = field.Value.GetInt32();
                    break;
                case "environmentVariables":
                    result["environment_variables"] = JsonNode.Parse(field.Value.GetRawText());
                    break;
                default:
                    // command, working_directory: as a deployment file's backend block has them.
                    backend[Snake(field.Name)] = JsonNode.Parse(field.Value.GetRawText());
                    break;
            }
        }

        if (runsScript)
        {
            result["code_configuration"] = new JsonObject
            {
                ["code"] = script.TryGetProperty("codeDirectory", out var code) ? code.GetString() : null,
                ["scoring_script"] = script.TryGetProperty("entryScript", out var entry) ? entry.GetString() : null,
            };
            if (script.TryGetProperty("modelPath", out var model) && model.ValueKind == JsonValueKind.String)
            {
                result["model"] = new JsonObject { ["path"] = model.GetString() };
            }
        }

        return instances;
    }

    private static void Add(JsonObject result, string name, JsonElement value)
    {
        var node = OwnNames.Contains(name) ? SnakeAll(value)
            : value.ValueKind == JsonValueKind.Null ? null
            : JsonNode.Parse(value.GetRawText());
        result[Snake(name)] = Verbatim.Contains(name) ? JsonNode.Parse(value.GetRawText()) : node;
    }

    private static JsonNode? SnakeAll(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new JsonObject(value.EnumerateObject().Select(f => KeyValuePair.Create(Snake(f.Name), SnakeAll(f.Value)))),
        JsonValueKind.Array => new JsonArray([.. value.EnumerateArray().Select(SnakeAll)]),
        JsonValueKind.Null => null,
        _ => JsonNode.Parse(value.GetRawText()),
    };

    private static string Write(JsonNode node) => node.ToJsonString(Indented);
}
