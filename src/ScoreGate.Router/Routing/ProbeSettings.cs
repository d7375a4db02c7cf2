namespace ScoreGate.Router.Routing;

/// <summary>A liveness or readiness probe, with Azure ML's field names and defaults (seconds).</summary>
/// <param name="Path">HTTP path probed on each instance; 2xx means healthy.</param>
/// <param name="Port">Port probed instead of the instance's own, if the model serves health elsewhere.</param>
/// <param name="InitialDelay">Seconds after the instance is known before the first probe.</param>
/// <param name="Period">Seconds between probes.</param>
/// <param name="Timeout">Seconds a probe may take.</param>
/// <param name="SuccessThreshold">Consecutive successes that make a failing instance healthy again.</param>
/// <param name="FailureThreshold">Consecutive failures that make a healthy instance failing.</param>
public sealed record ProbeSettings(
    string Path = "/",
    int? Port = null,
    int InitialDelay = 10,
    int Period = 10,
    int Timeout = 2,
    int SuccessThreshold = 1,
    int FailureThreshold = 30);
