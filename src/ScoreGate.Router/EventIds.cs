using Microsoft.Extensions.Logging;

namespace ScoreGate.Router;

/// <summary>The one registry of event IDs, so a log line can be found by number (STYLE.md §6).</summary>
public static class EventIds
{
    public static readonly EventId RouterStarted = new(1, nameof(RouterStarted));
    public static readonly EventId InsecureConnectionsAllowed = new(2, nameof(InsecureConnectionsAllowed));
    public static readonly EventId CertificateServing = new(3, nameof(CertificateServing));
    public static readonly EventId CertificateWarning = new(4, nameof(CertificateWarning));
    public static readonly EventId CertificateRefused = new(5, nameof(CertificateRefused));
    public static readonly EventId ClientCertificateRefused = new(10, nameof(ClientCertificateRefused));

    public static readonly EventId ModelUnreachable = new(20, nameof(ModelUnreachable));
    public static readonly EventId ModelTimedOut = new(21, nameof(ModelTimedOut));
    public static readonly EventId ModelResponseBroken = new(22, nameof(ModelResponseBroken));
    public static readonly EventId ClientGone = new(23, nameof(ClientGone));
    public static readonly EventId DeploymentBusy = new(24, nameof(DeploymentBusy));
    public static readonly EventId AccessLog = new(25, nameof(AccessLog));
    public static readonly EventId InstanceReady = new(26, nameof(InstanceReady));
    public static readonly EventId InstanceNotReady = new(27, nameof(InstanceNotReady));
    public static readonly EventId InstanceRestarting = new(28, nameof(InstanceRestarting));
    public static readonly EventId ClientBodyRefused = new(29, nameof(ClientBodyRefused));
    public static readonly EventId ModelResponseInvalid = new(30, nameof(ModelResponseInvalid));

    public static readonly EventId RouteTablePublished = new(40, nameof(RouteTablePublished));
    public static readonly EventId EndpointChanged = new(41, nameof(EndpointChanged));
    public static readonly EventId DeploymentChanged = new(42, nameof(DeploymentChanged));
    public static readonly EventId KeysRegenerated = new(43, nameof(KeysRegenerated));
    public static readonly EventId TlsChanged = new(44, nameof(TlsChanged));
    public static readonly EventId ModelProcessStarted = new(45, nameof(ModelProcessStarted));
    public static readonly EventId ModelProcessExited = new(46, nameof(ModelProcessExited));
    public static readonly EventId ModelProcessStartFailed = new(47, nameof(ModelProcessStartFailed));
    public static readonly EventId StoreUnreachable = new(48, nameof(StoreUnreachable));
    public static readonly EventId StoreReconnected = new(49, nameof(StoreReconnected));
    public static readonly EventId StoreWriteFailed = new(50, nameof(StoreWriteFailed));
    public static readonly EventId StoreWritable = new(51, nameof(StoreWritable));
    public static readonly EventId AdminCallFailed = new(52, nameof(AdminCallFailed));

    public static readonly EventId ManagedNameGenerated = new(60, nameof(ManagedNameGenerated));
    public static readonly EventId ManagedCertificateIssued = new(61, nameof(ManagedCertificateIssued));
    public static readonly EventId ManagedAttemptFailed = new(62, nameof(ManagedAttemptFailed));
    public static readonly EventId RenewalInfoUnavailable = new(63, nameof(RenewalInfoUnavailable));
    public static readonly EventId ManagedLoopFailed = new(64, nameof(ManagedLoopFailed));

    public static readonly EventId OidcKeysFetched = new(90, nameof(OidcKeysFetched));
    public static readonly EventId OidcProviderUnreachable = new(91, nameof(OidcProviderUnreachable));
    public static readonly EventId OidcProviderBack = new(92, nameof(OidcProviderBack));
}
