using ScoreGate.ControlPlane.Settings;
using YamlDotNet.RepresentationModel;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// deploy/kubernetes renders offline with kubectl's kustomize, and what it renders carries the
/// settings of settings.env: as shipped, and after a user edits it.
/// </summary>
public sealed class KubernetesManifestTests : IDisposable
{
    private readonly TempDirectory _copy = new();

    private static string Manifests => Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");

    [Fact]
    public async Task AsShipped_ThreeHardenedReplicas_ConfiguredWithTheRoutersOwnSettingNames()
    {
        var objects = await RenderAsync(Manifests);

        var settings = Data(Single(objects, "ConfigMap"));
        Assert.All(settings.Keys, name => Assert.NotNull(RouterSettingNames.Find(name)));
        Assert.Equal("LoadBalancer", settings["inferenceRouterServiceType"]);
        Assert.Equal("scoregate-tls", settings["sslSecret"]);
        Assert.Equal("false", settings["allowInsecureConnections"]);

        var deployment = Single(objects, "Deployment");
        Assert.Equal("3", Scalar(deployment, "spec", "replicas"));
        var pod = (YamlMappingNode)Node(deployment, "spec", "template", "spec");
        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        var router = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        Assert.Equal("true", Scalar(router, "securityContext", "readOnlyRootFilesystem"));
        Assert.NotNull(Node(router, "readinessProbe", "httpGet"));
        Assert.NotNull(Node(router, "livenessProbe", "httpGet"));
        Assert.NotNull(Node(router, "resources", "limits", "memory"));
        var envFrom = (YamlMappingNode)((YamlSequenceNode)router["envFrom"]).Single();
        Assert.Equal("SCOREGATE_", Scalar(envFrom, "prefix"));
        Assert.Equal(Scalar(Single(objects, "ConfigMap"), "metadata", "name"), Scalar(envFrom, "configMapRef", "name"));
        var store = ((YamlSequenceNode)router["env"]).Cast<YamlMappingNode>().Single(e => Scalar(e, "name") == "SCOREGATE_store");
        Assert.Equal("scoregate-store", Scalar(store, "valueFrom", "secretKeyRef", "name"));

        var pdb = Single(objects, "PodDisruptionBudget");
        Assert.Equal("2", Scalar(pdb, "spec", "minAvailable"));
        Assert.Equal(Node(deployment, "spec", "selector", "matchLabels").ToString(), Node(pdb, "spec", "selector", "matchLabels").ToString());
    }

    [Theory]
    [InlineData("NodePort", "contoso-tls")]
    [InlineData("ClusterIP", "inference-cert")]
    public async Task EditedSettings_ChooseTheServiceType_AndWhichSecretIsMountedUnderSecretsRoot(string serviceType, string sslSecret)
    {
        foreach (var file in Directory.GetFiles(Manifests))
        {
            File.Copy(file, _copy.File(Path.GetFileName(file)));
        }

        var settings = File.ReadAllText(_copy.File("settings.env"))
            .Replace("inferenceRouterServiceType=LoadBalancer", $"inferenceRouterServiceType={serviceType}", StringComparison.Ordinal)
            .Replace("sslSecret=scoregate-tls", $"sslSecret={sslSecret}", StringComparison.Ordinal);
        File.WriteAllText(_copy.File("settings.env"), settings);

        var objects = await RenderAsync(_copy.Path);

        Assert.Equal(serviceType, Scalar(Single(objects, "Service"), "spec", "type"));
        var pod = (YamlMappingNode)Node(Single(objects, "Deployment"), "spec", "template", "spec");
        var tls = ((YamlSequenceNode)pod["volumes"]).Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == "tls");
        Assert.Equal(sslSecret, Scalar(tls, "secret", "secretName"));
        var router = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        var mount = ((YamlSequenceNode)router["volumeMounts"]).Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == "tls");
        Assert.Equal($"{RouterSettingNames.Find(RouterSettingNames.SecretsRoot)!.Default}/{sslSecret}", Scalar(mount, "mountPath"));
    }

    public void Dispose() => _copy.Dispose();

    private static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(string directory)
    {
        var run = await ProcessRun.RunAsync("kubectl", ["kustomize", directory], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, $"kubectl kustomize failed:\n{run.AllOutput}");
        var stream = new YamlStream();
        stream.Load(new StringReader(run.StandardOutput));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Single(IReadOnlyList<YamlMappingNode> objects, string kind) => objects.Single(o => Scalar(o, "kind") == kind);

    private static Dictionary<string, string> Data(YamlMappingNode configMap) =>
        ((YamlMappingNode)configMap["data"]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

    private static YamlNode Node(YamlMappingNode node, params string[] path) =>
        path.Aggregate((YamlNode)node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string? Scalar(YamlMappingNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value;
}
