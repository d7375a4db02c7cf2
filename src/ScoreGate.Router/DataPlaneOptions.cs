namespace ScoreGate.Router;

/// <summary>
/// What the data plane reads of the router's settings, and nothing else: the control plane reads
/// and checks every setting (<c>ScoreGate.ControlPlane.Settings</c>) and hands this over.
/// Defaults are the settings' defaults.
/// </summary>
public sealed record DataPlaneOptions
{
    /// <summary>Serve plain HTTP to a host with no certificate instead of redirecting it to HTTPS.</summary>
    public bool AllowInsecureConnections { get; init; }

    /// <summary>The host name clients use (<c>sslCname</c>), for redirects to HTTPS when a request names none.</summary>
    public string? SslCname { get; init; }

    /// <summary>The HTTPS port that redirects point to.</summary>
    public int HttpsPort { get; init; } = 443;

    /// <summary>Which statuses timeouts and model errors get (DESIGN.md §4).</summary>
    public CompatibilityProfile CompatibilityProfile { get; init; } = CompatibilityProfile.Managed;

    /// <summary>One log line per scoring request.</summary>
    public bool AccessLog { get; init; }

    /// <summary>Largest scoring request body; Kestrel enforces it as the body is read, the data plane refuses a larger Content-Length up front.</summary>
    public long MaxRequestBodyBytes { get; init; } = 104_857_600;

    /// <summary>Bytes per second a request body must keep up after a grace period (0: no check); named in the 408 message.</summary>
    public long MinRequestBodyDataRate { get; init; } = 240;
}
