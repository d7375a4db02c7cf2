using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScoreGate.Router.Routing;

namespace ScoreGate.Router.Health;

/// <summary>
/// Runs the readiness and liveness probes of every deployment that has them: an HTTP GET of the
/// probe's path on each instance (on the probe's port, if it names one), where a 2xx answer within
/// the probe's timeout is a success. The verdicts decide which instances take requests.
/// </summary>
public sealed partial class InstanceProber(RouteTableHolder routes, HttpMessageInvoker models, TimeProvider time, ILogger<InstanceProber> logger) : BackgroundService
{
    /// <summary>How often due probes are looked for; probe periods are whole seconds.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);

    /// <summary>Starts the probes that are due now; returns at once.</summary>
    public void ProbeDue()
    {
        var now = Environment.TickCount64;
        foreach (var endpoint in routes.Current.Endpoints)
        {
            foreach (var deployment in endpoint.Deployments)
            {
                foreach (var instance in deployment.Instances)
                {
                    Start(ProbeKind.Readiness, deployment.Readiness, endpoint, deployment, instance, now);
                    Start(ProbeKind.Liveness, deployment.Liveness, endpoint, deployment, instance, now);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ProbeDue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Start(ProbeKind kind, ProbeSettings? settings, EndpointRoute endpoint, DeploymentRoute deployment, ModelInstance instance, long now)
    {
        if (settings is not null && instance.Health.TryBeginProbe(kind, settings, now))
        {
            _ = ProbeAsync(kind, settings, endpoint, deployment, instance);
        }
    }

    private async Task ProbeAsync(ProbeKind kind, ProbeSettings settings, EndpointRoute endpoint, DeploymentRoute deployment, ModelInstance instance)
    {
        var uri = ProbeUri(instance.Url, settings);
        string outcome;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.Timeout));
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await models.SendAsync(request, timeout.Token).ConfigureAwait(false);
            outcome = response.IsSuccessStatusCode ? string.Empty : $"answered {(int)response.StatusCode}{await ProbeAnswer.ReasonAsync(response, timeout.Token).ConfigureAwait(false)}";
        }
        catch (HttpRequestException error)
        {
            outcome = $"could not be reached ({error.HttpRequestError})";
        }
        catch (OperationCanceledException)
        {
            outcome = $"did not answer within {settings.Timeout} s";
        }
        catch (InvalidOperationException error)
        {
            outcome = $"could not be sent ({error.Message})";
        }

        var problem = outcome.Length == 0 ? null : $"{(kind == ProbeKind.Readiness ? "readiness" : "liveness")} probe GET {uri.AbsolutePath} {outcome}";
        if (instance.Health.EndProbe(kind, outcome.Length == 0, settings, problem) && kind == ProbeKind.Liveness && instance.Restart is { } restart)
        {
            Log.Restarting(logger, endpoint.Name, deployment.Name, instance.Url, ProbeUri(instance.Url, settings), outcome);
            restart();
        }

        var ready = instance.Health.Passes(deployment.Readiness is not null, deployment.Liveness is not null) && instance.Running?.Invoke() != false;
        if (ready == instance.Ready)
        {
            return;
        }

        instance.Ready = ready;
        if (ready)
        {
            Log.InstanceReady(logger, endpoint.Name, deployment.Name, instance.Url);
        }
        else
        {
            Log.InstanceNotReady(logger, endpoint.Name, deployment.Name, instance.Url, kind == ProbeKind.Readiness ? "readiness" : "liveness", ProbeUri(instance.Url, settings), outcome);
        }
    }

    /// <summary>The probe's path on the instance's host, on the probe's port if it names one.</summary>
    private static Uri ProbeUri(Uri instance, ProbeSettings settings) =>
        new UriBuilder(instance.Scheme, instance.Host, settings.Port ?? instance.Port, settings.Path).Uri;

    private static partial class Log
    {
        [LoggerMessage(EventId = 28, EventName = nameof(EventIds.InstanceRestarting), Level = LogLevel.Warning,
            Message = "Endpoint {Endpoint}: instance {Instance} of deployment {Deployment} fails its liveness probe (GET {ProbeUri} {Outcome}); restarting it.")]
        public static partial void Restarting(ILogger logger, string endpoint, string deployment, Uri instance, Uri probeUri, string outcome);

        [LoggerMessage(EventId = 26, EventName = nameof(EventIds.InstanceReady), Level = LogLevel.Information,
            Message = "Endpoint {Endpoint}: instance {Instance} of deployment {Deployment} passes its probes and takes requests.")]
        public static partial void InstanceReady(ILogger logger, string endpoint, string deployment, Uri instance);

        [LoggerMessage(EventId = 27, EventName = nameof(EventIds.InstanceNotReady), Level = LogLevel.Warning,
            Message = "Endpoint {Endpoint}: instance {Instance} of deployment {Deployment} fails its {Probe} probe (GET {ProbeUri} {Outcome}); it takes no requests until the probe passes again.")]
        public static partial void InstanceNotReady(ILogger logger, string endpoint, string deployment, Uri instance, string probe, Uri probeUri, string outcome);
    }
}
