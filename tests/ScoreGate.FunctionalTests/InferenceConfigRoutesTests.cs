using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ScoreGate.FunctionalTests.ScoringTests;

namespace ScoreGate.FunctionalTests;

/// <summary>
/// Custom containers (TF Serving, TorchServe, Triton) do not score on /score: a deployment's
/// environment.inference_config routes send scoring requests and probes where the model serves them.
/// </summary>
public sealed class InferenceConfigRoutesTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private RouterProcess _router = null!;
    private TfServingFake _model = null!;

    public async Task InitializeAsync()
    {
        _model = await TfServingFake.StartAsync();
        _router = await RouterProcess.StartAsync(["--allowInsecureConnections", "true"]);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _model.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task TfServingLikeModel_IsScoredOnItsPredictRoute_AndProbedOnItsStatusPort()
    {
        var file = _dir.Write("tfserving.yml", $"""
            name: tfs
            endpoint_name: half-plus-two
            environment:
              image: docker.io/tensorflow/serving:latest
              inference_config:
                liveness_route:
                  port: {_model.ApiPort}
                  path: /v1/models/m
                readiness_route:
                  port: {_model.StatusPort}
                  path: /v1/models/m
                scoring_route:
                  port: {_model.ApiPort}
                  path: /v1/models/m:predict
            readiness_probe:
              initial_delay: 0
              period: 1
            liveness_probe:
              initial_delay: 0
              period: 1
            backend:
              urls: [http://127.0.0.1:{_model.ApiPort}]
            """);
        var (key, _) = await _router.CreateEndpointAsync("half-plus-two");
        await _router.ExpectSuccessAsync("deployment", "create", "-f", file);
        await _router.ExpectSuccessAsync("endpoint", "update", "--name", "half-plus-two", "--traffic", "tfs=100");
        using var client = new HttpClient { BaseAddress = _router.HttpBase };

        // Its status port says "loading": not ready, whatever the scoring port would answer.
        await Eventually.TrueAsync(() => _model.Probes.Any(p => p == $"{_model.StatusPort} /v1/models/m"), "the readiness route was never probed");
        using (var loading = await ScoreAsync(client, "half-plus-two", key))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
        }

        // What the status port said is the operator's to see.
        using (var admin = _router.CreateAdminClient())
        {
            await Eventually.TrueAsync(async () => (await admin.GetStringAsync("api/endpoints/half-plus-two/deployments/tfs")).Contains("model m is loading", StringComparison.Ordinal),
                "deployment show never said why the model is not ready");
        }

        _model.Loaded = true;
        await Eventually.TrueAsync(async () => (await ScoreAsync(client, "half-plus-two", key)).StatusCode == HttpStatusCode.OK, "the model never served once loaded");
        using var response = await ScoreAsync(client, "half-plus-two", key);

        Assert.Equal("""{"predictions":[2.5]}""", await response.Content.ReadAsStringAsync());
        Assert.All(_model.Predictions, target => Assert.Equal($"{_model.ApiPort} POST /v1/models/m:predict", target));
        Assert.Contains($"{_model.ApiPort} /v1/models/m", _model.Probes);
        Assert.DoesNotContain(_model.Probes, p => p.EndsWith("/score", StringComparison.Ordinal) || p.EndsWith(" /", StringComparison.Ordinal));
    }

    /// <summary>TF Serving's shape: predictions on the API port, model status on it and on a second port, no /score.</summary>
    private sealed class TfServingFake(WebApplication app, int apiPort, int statusPort) : IAsyncDisposable
    {
        public int ApiPort => apiPort;

        public int StatusPort => statusPort;

        public volatile bool Loaded;

        /// <summary>"port path" of every GET.</summary>
        public ConcurrentQueue<string> Probes { get; } = new();

        /// <summary>"port method path" of every other request.</summary>
        public ConcurrentQueue<string> Predictions { get; } = new();

        public static async Task<TfServingFake> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            TfServingFake? fake = null;
            app.Run(context => fake!.AnswerAsync(context));
            await app.StartAsync();
            var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
            fake = new TfServingFake(app, ports[0], ports[1]);
            return fake;
        }

        private Task AnswerAsync(HttpContext context)
        {
            var port = context.Connection.LocalPort;
            var path = context.Request.Path.Value;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                Probes.Enqueue($"{port} {path}");
                var ready = path == "/v1/models/m" && (port == apiPort || Loaded);
                context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                return context.Response.WriteAsync(ready ? """{"model_version_status":[{"state":"AVAILABLE"}]}""" : """{"message":"model m is loading"}""");
            }

            Predictions.Enqueue($"{port} {context.Request.Method} {path}");
            context.Response.ContentType = "application/json";
            return path == "/v1/models/m:predict"
                ? context.Response.WriteAsync("""{"predictions":[2.5]}""")
                : Results.NotFound().ExecuteAsync(context);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
