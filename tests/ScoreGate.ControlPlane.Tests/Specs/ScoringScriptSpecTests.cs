using ScoreGate.ControlPlane.Specs;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Router.Routing;

namespace ScoreGate.ControlPlane.Tests.Specs;

/// <summary>
/// Deployment files as Azure ML users write them, without backend: code_configuration and model
/// become a scoring script for the inference host, inference_config routes are honoured, and what
/// cannot work here is refused at its field and line.
/// </summary>
public sealed class ScoringScriptSpecTests
{
    private static string Tutorial(string name) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "ScoreGate.FunctionalTests", "TestData", "azureml-tutorial", name));

    [Fact]
    public void TutorialDeployment_RunsItsScript_WithAzureProbes_AndNotesWhatIsNotBuilt()
    {
        var read = DeploymentSpecReader.Read(Tutorial("blue-deployment.yml"));

        Assert.Empty(read.Problems);
        var spec = read.Spec!;
        Assert.Empty(spec.Urls);
        Assert.Equal(new ScoringScript("model-1/onlinescoring/", "score.py", "model-1/model/"), spec.Process!.Script);
        Assert.Empty(spec.Process.Command);
        Assert.Equal(1, spec.Process.InstanceCount);
        Assert.Equal(new ProbeSettings("/", null, 10, 10, 2, 1, 30), spec.LivenessProbe);
        Assert.Equal(new ProbeSettings("/readyz", null, 10, 10, 2, 1, 30), spec.ReadinessProbe);
        Assert.Equal("model-1/environment/conda.yaml", spec.CondaFile);
        Assert.Equal(["environment.image", "instance_type"], read.Notices.Select(n => n.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScoringScriptPaths_AreRootedAtTheFilesFolder()
    {
        var process = DeploymentSpecReader.Read(Tutorial("green-deployment.yml")).Spec!.Process!.RootedAt("/srv/models");

        Assert.Equal(new ScoringScript("/srv/models/model-2/onlinescoring/", "score.py", "/srv/models/model-2/model/"), process.Script);
        Assert.Equal("/srv/models/model-2/onlinescoring/", process.WorkingDirectory);
    }

    [Fact]
    public void GivenProbe_KeepsItsOwnFields_AndTheHostsPath()
    {
        var spec = DeploymentSpecReader.Read("name: b\nendpoint_name: e\ncode_configuration:\n  code: .\n  scoring_script: score.py\nreadiness_probe:\n  initial_delay: 0\n  period: 1\n").Spec!;

        Assert.Equal(new ProbeSettings("/readyz", null, 0, 1, 2, 1, 30), spec.ReadinessProbe);
        Assert.Null(spec.Process!.Script!.ModelPath);
    }

    [Fact]
    public void InferenceConfig_ForAUrlDeployment_RoutesScoringAndProbes()
    {
        var read = DeploymentSpecReader.Read("""
            name: tfserving
            endpoint_name: e
            environment:
              image: docker.io/tensorflow/serving:latest
              inference_config:
                liveness_route:
                  port: 8501
                  path: /v1/models/half_plus_two
                readiness_route:
                  port: 8502
                  path: /v1/models/half_plus_two
                scoring_route:
                  port: 8501
                  path: /v1/models/half_plus_two:predict
            readiness_probe:
              period: 1
            backend:
              urls: [http://127.0.0.1:8501]
            """);

        Assert.Empty(read.Problems);
        var spec = read.Spec!;
        Assert.Equal(new ModelRoute("/v1/models/half_plus_two:predict", 8501), spec.ScoringRoute);
        Assert.Equal(new ProbeSettings("/v1/models/half_plus_two", 8501), spec.LivenessProbe);
        Assert.Equal(new ProbeSettings("/v1/models/half_plus_two", 8502, Period: 1), spec.ReadinessProbe);
    }

    [Fact]
    public void ScoringRoute_IsSentThere_WithTheCallersQuery()
    {
        var instance = new ModelInstance(new Uri("http://127.0.0.1:8501"), new ModelRoute("/v1/models/m:predict", 8600));

        Assert.Equal("http://127.0.0.1:8600/v1/models/m:predict", instance.TargetFor(ScoringPath.Score, null).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:8600/v1/models/m:predict?verbose=1", instance.TargetFor(ScoringPath.Score, "?verbose=1").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:8501/swagger.json", instance.TargetFor(ScoringPath.Swagger, null).AbsoluteUri);
    }

    [Fact]
    public void Properties_AreKept_ForEndpointsAndDeployments()
    {
        var deployment = DeploymentSpecReader.Read("name: b\nendpoint_name: e\nproperties:\n  owner: team-a\ncode_configuration:\n  code: .\n  scoring_script: score.py\n").Spec!;
        var endpoint = EndpointSpecReader.Read("name: e\nproperties:\n  cost-center: \"42\"\n").Spec!;

        Assert.Equal("team-a", deployment.Properties!["owner"]);
        Assert.Equal("42", endpoint.Properties["cost-center"]);
    }

    [Fact]
    public void EndpointSavedFromAzureShow_Loads_WithWhatAzureReportsNoted()
    {
        var read = EndpointSpecReader.Read("name: e\nauth_mode: key\nprovisioning_state: Succeeded\nscoring_uri: https://e.westus2.inference.ml.azure.com/score\nlocation: westus2\n");

        Assert.Empty(read.Problems);
        Assert.Equal(["location", "provisioning_state", "scoring_uri"], read.Notices.Select(n => n.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("name: b\nendpoint_name: e\nmodel: azureml:sklearn-model:1\ncode_configuration:\n  code: .\n  scoring_script: score.py\n",
        "3: model: 'azureml:sklearn-model:1' names a model registered in Azure ML, which ScoreGate cannot fetch. Download it once (az ml model download) and give its local folder: model: {path: ./model}.")]
    [InlineData("name: b\nendpoint_name: e\nmodel:\n  path: azureml://datastores/workspaceblobstore/paths/model\ncode_configuration:\n  code: .\n  scoring_script: score.py\n",
        "4: model.path: 'azureml://datastores/workspaceblobstore/paths/model' is not a local path. Give the model's folder or file on this machine, relative to this file, such as ./model.")]
    [InlineData("name: b\nendpoint_name: e\nmodel:\n  name: m\ncode_configuration:\n  code: .\n  scoring_script: score.py\n",
        "4: model.path: missing. It is required.")]
    [InlineData("name: b\nendpoint_name: e\ncode_configuration:\n  code: azureml:my-code:1\n  scoring_script: score.py\n",
        "4: code_configuration.code: 'azureml:my-code:1' is not a local folder (a code asset in Azure ML cannot be fetched). Give the folder holding the scoring script, relative to this file, such as ./onlinescoring.")]
    [InlineData("name: b\nendpoint_name: e\ncode_configuration:\n  code: .\n  scoring_script: ../elsewhere.py\n",
        "5: code_configuration.scoring_script: '../elsewhere.py' must be a path inside code_configuration.code, such as score.py or onlinescoring/score.py.")]
    [InlineData("name: b\nendpoint_name: e\ncode_configuration:\n  code: .\n",
        "4: code_configuration.scoring_script: missing. It is required.")]
    [InlineData("name: b\nendpoint_name: e\nmodel:\n  path: ./model\n  type: mlflow_model\n",
        "5: model.type: is mlflow_model: Azure ML serves those without a scoring script, which ScoreGate cannot. Add code_configuration with a scoring script that loads the model, or run the model's server yourself and give backend.urls.")]
    [InlineData("name: b\nendpoint_name: e\nenvironment:\n  image: nginx\n",
        "1: backend: missing. ScoreGate runs no container images: start the model's server yourself and give its address in backend.urls (such as http://127.0.0.1:5001), or give code_configuration with a scoring script.")]
    [InlineData("name: b\nendpoint_name: e\n",
        "1: backend: missing. Say how the model runs: code_configuration (a scoring script ScoreGate runs), backend.urls (running model servers, such as http://127.0.0.1:5001) or backend.command (a program ScoreGate starts).")]
    [InlineData("name: b\nendpoint_name: e\nenvironment:\n  inference_config:\n    scoring_route:\n      port: 8501\nbackend:\n  urls: [http://127.0.0.1:1]\n",
        "6: environment.inference_config.scoring_route.path: missing. Give the path the model serves this route on, such as /v1/models/m:predict.")]
    [InlineData("name: b\nendpoint_name: e\nenvironment:\n  inference_config:\n    scoring_route:\n      port: 70000\n      path: /p\nbackend:\n  urls: [http://127.0.0.1:1]\n",
        "6: environment.inference_config.scoring_route.port: 70000 is out of range; give 1 to 65535.")]
    [InlineData("name: b\nendpoint_name: e\nenvironment:\n  inference_config:\n    scoring_rout:\n      path: /p\nbackend:\n  urls: [http://127.0.0.1:1]\n",
        "5: environment.inference_config.scoring_rout: is not a known field. Did you mean 'scoring_route'? Known here: liveness_route, readiness_route, scoring_route.")]
    public void WhatCannotRunHere_IsRefused_AtItsFieldAndLine(string yaml, string expected)
    {
        var read = DeploymentSpecReader.Read(yaml);

        Assert.Null(read.Spec);
        Assert.Contains(expected, read.Problems.Select(p => $"{p.Line}: {p.Field}: {p.Message}"));
    }

    [Fact]
    public void UnclosedFlowList_IsOneProblem_NotACrash()
    {
        var read = DeploymentSpecReader.Read("name: blue\nendpoint_name: e\nmodel:\n  path: [oops\ncode_configuration:\n  code: .\n  scoring_script: score.py\n");

        Assert.Null(read.Spec);
        Assert.Equal("4: (file): is not valid YAML: a [ or { (a flow list or mapping) is not closed. Close it on the same line, or write the values on their own lines.",
            read.Problems.Select(p => $"{p.Line}: {p.Field}: {p.Message}").Single());
    }

    [Fact]
    public void WithBackend_TheScriptAndModelAreNoted_NotRun()
    {
        var read = DeploymentSpecReader.Read("name: b\nendpoint_name: e\nmodel: azureml:m:1\ncode_configuration:\n  code: .\n  scoring_script: score.py\nbackend:\n  urls: [http://127.0.0.1:1]\n");

        Assert.Empty(read.Problems);
        Assert.Null(read.Spec!.Process);
        Assert.Contains(read.Notices, n => n.Field == "code_configuration" && n.Message.Contains("Remove backend", StringComparison.Ordinal));
        Assert.Contains(read.Notices, n => n.Field == "model");
    }

    [Fact]
    public void CondaFile_NamesItsPackages_WithoutPythonPipOrWhatTheHostProvides()
    {
        var packages = CondaPackages.Read(Tutorial("model-1/environment/conda.yaml"));

        // What the inference host brings (azureml-defaults, inference-schema) is not asked for.
        Assert.Equal(["numpy", "scikit-learn", "scipy", "joblib"], packages);
        Assert.Null(CondaPackages.Read("just text"));
    }
}
