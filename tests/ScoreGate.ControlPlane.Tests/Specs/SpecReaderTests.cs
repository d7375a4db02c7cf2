using ScoreGate.ControlPlane.Specs;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Tests.Specs;

/// <summary>The sample files are read unchanged; broken variants each get their exact error, at their line.</summary>
public sealed class SpecReaderTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "online-endpoint", name));

    [Fact]
    public void SampleEndpoint_IsRead()
    {
        var read = EndpointSpecReader.Read(Sample("endpoint.yml"));

        Assert.Empty(read.Problems);
        var spec = read.Spec!;
        Assert.Equal("iris-endpoint", spec.Name);
        Assert.Equal("key", spec.AuthMode);
        Assert.Equal("data-science", spec.Tags["team"]);
        Assert.Null(spec.Traffic);
    }

    [Fact]
    public void Overrides_StandInForMissingNames_AndWinOverTheFiles()
    {
        var endpoint = EndpointSpecReader.Read("auth_mode: key\n", new SpecOverrides("from-flag"));
        var deployment = DeploymentSpecReader.Read("name: in-file\nendpoint_name: in-file\nbackend:\n  urls: [http://127.0.0.1:5001]\n", new SpecOverrides("blue", "iris"));
        var nameless = DeploymentSpecReader.Read("backend:\n  urls: [http://127.0.0.1:5001]\n", new SpecOverrides(EndpointName: "iris"));

        Assert.Empty(endpoint.Problems);
        Assert.Equal("from-flag", endpoint.Spec!.Name);
        Assert.Equal(("blue", "iris"), (deployment.Spec!.Name, deployment.Spec.EndpointName));
        Assert.Equal(["1: name: missing. It is required."], nameless.Problems.Select(p => $"{p.Line}: {p.Field}: {p.Message}"));
    }

    [Fact]
    public void WithoutOverrides_MissingNamesAreStillProblems()
    {
        var endpoint = EndpointSpecReader.Read("auth_mode: key\n");
        var deployment = DeploymentSpecReader.Read("backend:\n  urls: [http://127.0.0.1:5001]\n", null);

        Assert.Equal(["name"], endpoint.Problems.Select(p => p.Field));
        Assert.Equal(["name", "endpoint_name"], deployment.Problems.Select(p => p.Field));
    }

    [Fact]
    public void SampleRolloutSteps_AreRead_WithTrafficAndMirror()
    {
        var mirror = EndpointSpecReader.Read(Sample("endpoint-mirror.yml")).Spec!;
        var split = EndpointSpecReader.Read(Sample("endpoint-split.yml")).Spec!;

        Assert.Equal(100, mirror.Traffic!["blue"]);
        Assert.Equal(10, mirror.MirrorTraffic!["green"]);
        Assert.Equal(90, split.Traffic!["blue"]);
        Assert.Equal(10, split.Traffic!["green"]);
        Assert.Equal(0, split.MirrorTraffic!["green"]);
    }

    [Fact]
    public void SampleBlueDeployment_IsRead_AzureOnlyFieldsNoted()
    {
        var read = DeploymentSpecReader.Read(Sample("blue-deployment.yml"));

        Assert.Empty(read.Problems);
        var spec = read.Spec!;
        Assert.Equal(("blue", "iris-endpoint"), (spec.Name, spec.EndpointName));
        Assert.Equal(["http://127.0.0.1:5001"], spec.Urls);
        Assert.Equal(new RequestSettings(5000, 4, 500), spec.RequestSettings);
        Assert.Equal(30, spec.LivenessProbe!.FailureThreshold);
        Assert.Equal(["code_configuration", "environment.image", "instance_type", "model"], read.Notices.Select(n => n.Field).Order(StringComparer.Ordinal));
        Assert.Contains(read.Notices, n => n.Field == "model" && n.Line == 9);
    }

    [Fact]
    public void SampleGreenDeployment_IsRead_WithAzureDefaultsFilledIn()
    {
        var spec = DeploymentSpecReader.Read(Sample("green-deployment.yml")).Spec!;

        Assert.Equal(2, spec.Urls.Count);
        Assert.Equal(new RequestSettings(3000, 2, 500), spec.RequestSettings);
        Assert.Equal(new ProbeSettings("/health", null, 2, 5, 2, 1, 3), spec.ReadinessProbe);
        Assert.Null(spec.LivenessProbe);
    }

    [Theory]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  urls: [http://127.0.0.1:1]\nrequest_settings:\n  request_timeout: 100\n",
        "6: request_settings.request_timeout: is not a known field. Did you mean 'request_timeout_ms'? Known here: max_concurrent_requests_per_instance, max_queue_wait_ms, request_timeout_ms.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  urls: [http://127.0.0.1:1]\nrequest_settings:\n  max_queue_wait_ms: -5\n",
        "6: request_settings.max_queue_wait_ms: -5 is out of range; give 0 to 300000.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  urls: [http://127.0.0.1:1]\nrequest_settings:\n  request_timeout_ms: soon\n",
        "6: request_settings.request_timeout_ms: 'soon' is not a whole number.")]
    [InlineData("name: blue\nendpoint_name: iris\n",
        "1: backend: missing. Say how the model runs: code_configuration (a scoring script ScoreGate runs), backend.urls (running model servers, such as http://127.0.0.1:5001) or backend.command (a program ScoreGate starts).")]
    [InlineData("name: blue\nbackend:\n  urls: [http://127.0.0.1:1]\n",
        "1: endpoint_name: missing. It is required.")]
    [InlineData("name: blue\nendpoint_name: iris\ninstance_count: 3\nbackend:\n  urls: [http://127.0.0.1:1]\n",
        "3: instance_count: is 3, but backend.urls lists 1. With URLs, each URL is one instance: drop instance_count or make them agree.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  urls: [http://127.0.0.1:1]\nliveness_probe:\n  path: health\n",
        "6: liveness_probe.path: 'health' must start with '/', such as /health.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  command: python score.py\n  urls: [http://127.0.0.1:1]\n",
        "4: backend.command: and backend.urls are both given. Give urls for servers that already run, or command for one ScoreGate starts, not both.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  command: []\n",
        "4: backend.command: is empty. Give the program and its arguments, such as [python, -m, server], or one shell line.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  urls: [http://127.0.0.1:1]\ninstance_typ: Standard_DS3_v2\n",
        "5: instance_typ: is not a known field. Did you mean 'instance_type'? Known here: $schema, app_insights_enabled, backend, code_configuration, data_collector, description, egress_public_network_access, endpoint_name, environment, environment_variables, id, instance_count, instance_type, liveness_probe, model, model_mount_path, name, private_network_connection, properties, provisioning_state, readiness_probe, request_settings, resources, scale_settings, tags, type.")]
    [InlineData("name: blue\nendpoint_name: iris\nbackend:\n  urls:\n    nested: true\n",
        "5: backend.urls: must be a list of values.")]
    public void BrokenDeployment_GetsItsExactError(string yaml, string expected)
    {
        var read = DeploymentSpecReader.Read(yaml);

        Assert.Null(read.Spec);
        Assert.Equal($"d.yml:{expected}", Assert.Single(read.Problems).Format("d.yml"));
    }

    [Theory]
    [InlineData("name: iris\nauth_mode: key\ntraffic:\n  blue: 120\n", "4: traffic.blue: 120 is out of range; give 0 to 100.")]
    [InlineData("name: iris\nmirror_traffic:\n  green: 60\n", "3: mirror_traffic.green: 60 is out of range; give 0 to 50.")]
    [InlineData("auth_mode: key\n", "1: name: missing. It is required.")]
    [InlineData("name: iris\ntrafic:\n  blue: 100\n",
        "2: trafic: is not a known field. Did you mean 'traffic'? Known here: $schema, allowed_callers, auth_mode, compute, description, id, identity, kind, location, mirror_traffic, name, openapi_uri, properties, provisioning_state, public_network_access, scoring_uri, tags, traffic.")]
    [InlineData("name: iris\nauth_mode: key\npublic_network_access: private\n",
        "3: public_network_access: 'private' is not supported. Use enabled (the default: every client may score) or disabled (only clients in the router's privateNetworks setting may score).")]
    [InlineData("name: iris\npublic_network_access: [disabled]\n", "2: public_network_access: must be a single value, not a list or mapping.")]
    [InlineData("- name: iris\n", "1: (file): must hold one YAML mapping of fields, such as 'name: iris'.")]
    [InlineData("name: [iris, penguins]\n", "1: name: must be a single value, not a list or mapping.")]
    public void BrokenEndpoint_GetsItsExactError(string yaml, string expected)
    {
        var read = EndpointSpecReader.Read(yaml);

        Assert.Null(read.Spec);
        Assert.Equal($"e.yml:{expected}", Assert.Single(read.Problems).Format("e.yml"));
    }

    [Theory]
    [InlineData("name: iris\npublic_network_access: disabled\n", "disabled")]
    [InlineData("name: iris\npublic_network_access: Disabled\n", "disabled")]
    [InlineData("name: iris\npublic_network_access: enabled\n", "enabled")]
    [InlineData("name: iris\n", null)]
    public void Endpoint_PublicNetworkAccess_IsReadWithoutANotice(string yaml, string? expected)
    {
        var read = EndpointSpecReader.Read(yaml);

        Assert.Empty(read.Problems);
        Assert.Equal(expected, read.Spec!.PublicNetworkAccess);
        Assert.DoesNotContain(read.Notices, n => n.Field == "public_network_access");
    }

    [Fact]
    public void ProcessDeployment_ShellLineOrList_WithCountAndEnvironment()
    {
        var shell = DeploymentSpecReader.Read("name: blue\nendpoint_name: iris\ninstance_count: 2\nenvironment_variables:\n  MODEL: iris\nbackend:\n  command: python score.py --port $PORT\n").Spec!;
        var list = DeploymentSpecReader.Read("name: blue\nendpoint_name: iris\nbackend:\n  command: [python, score.py]\n  working_directory: models\n").Spec!;

        Assert.Equal(["/bin/sh", "-c", "python score.py --port $PORT"], shell.Process!.Command);
        Assert.Equal(2, shell.Process.InstanceCount);
        Assert.Equal("iris", shell.Process.EnvironmentVariables["MODEL"]);
        Assert.Empty(shell.Urls);
        Assert.Equal(["python", "score.py"], list.Process!.Command);
        Assert.Equal((1, "models"), (list.Process.InstanceCount, list.Process.WorkingDirectory));
    }

    [Fact]
    public void InvalidYaml_IsOneProblem_AtItsLine_WithTheParsersReason()
    {
        var read = DeploymentSpecReader.Read("name: blue\n  endpoint_name: iris\n");

        var problem = Assert.Single(read.Problems);
        Assert.Equal((2, "(file)"), (problem.Line, problem.Field));
        Assert.StartsWith("is not valid YAML: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralProblems_AreAllReported()
    {
        var read = DeploymentSpecReader.Read("name: blue\ninstance_count: zero\nbackend:\n  urls: [http://127.0.0.1:1]\nrequest_settings:\n  max_concurrent_requests_per_instance: 0\n");

        Assert.Equal(
            ["1: endpoint_name", "2: instance_count", "6: request_settings.max_concurrent_requests_per_instance"],
            read.Problems.Select(p => $"{p.Line}: {p.Field}").ToArray());
    }
}
