using ScoreGate.ControlPlane.Endpoints;
using ScoreGate.Router.Auth;

namespace ScoreGate.ControlPlane.Specs;

/// <summary>Reads endpoint files: Azure ML's online endpoint fields; those that only mean something on Azure are accepted with a notice.</summary>
public static class EndpointSpecReader
{
    /// <summary>What `az ml online-endpoint show -o yaml` adds: a saved copy of it still loads. Before Known, which uses it.</summary>
    private static readonly string[] ShownByAzure = ["id", "location", "provisioning_state", "scoring_uri", "openapi_uri"];

    private static readonly string[] Known = ["$schema", "name", "description", "tags", "properties", "auth_mode", "allowed_callers", "traffic", "mirror_traffic", "kind", "identity", "public_network_access", "compute", .. ShownByAzure];

    public static SpecReadResult<EndpointSpec> Read(string yaml) => Read(yaml, null);

    /// <param name="yaml">The file's text.</param>
    /// <param name="overrides">Values given beside the file, which win over its own.</param>
    public static SpecReadResult<EndpointSpec> Read(string yaml, SpecOverrides? overrides)
    {
        var problems = new List<SpecProblem>();
        if (SpecDocument.Root(yaml, problems) is not { } root)
        {
            return new SpecReadResult<EndpointSpec>(null, problems, [], new Dictionary<string, int>());
        }

        var name = overrides?.Name ?? root.Text("name", required: true);
        var spec = new EndpointSpec(
            name ?? string.Empty,
            root.Text("auth_mode"),
            root.Text("description"),
            root.Strings("tags"),
            root.Ints("traffic", 0, 100),
            root.Ints("mirror_traffic", 0, 50))
        {
            Properties = root.Strings("properties"),
            PublicNetworkAccess = ReadPublicNetworkAccess(root),
            AllowedCallers = ReadAllowedCallers(root),
        };
        root.Text("$schema");
        foreach (var azureOnly in new[] { "kind", "identity", "compute" })
        {
            root.Ignore(azureOnly, "is an Azure ML setting with no meaning here; ignored.");
        }

        foreach (var shown in ShownByAzure)
        {
            root.Ignore(shown, "is a value Azure ML reports, not a setting; ignored.");
        }

        root.RefuseUnknown(Known);
        return new SpecReadResult<EndpointSpec>(problems.Count == 0 ? spec : null, problems, root.Notices, root.Lines());
    }

    /// <summary>enabled or disabled, as Azure ML spells them (any case); anything else is refused at its line.</summary>
    private static string? ReadPublicNetworkAccess(SpecMapping root)
    {
        var text = root.Text(PublicNetworkAccess.Field);
        if (text is not null && PublicNetworkAccess.Normalize(text) is null)
        {
            root.Problem(PublicNetworkAccess.Field, PublicNetworkAccess.Refusal(text));
            return null;
        }

        return text is null ? null : PublicNetworkAccess.Normalize(text);
    }

    /// <summary>ScoreGate's own field: who may score an aad_token endpoint. Lists that are absent admit anyone.</summary>
    private static AllowedCallers? ReadAllowedCallers(SpecMapping root)
    {
        if (root.Mapping("allowed_callers") is not { } mapping)
        {
            return null;
        }

        var allowed = new AllowedCallers(mapping.List("roles") ?? [], mapping.List("scopes") ?? [], mapping.List("subjects") ?? []);
        mapping.RefuseUnknown(["roles", "scopes", "subjects"]);
        return allowed;
    }
}
