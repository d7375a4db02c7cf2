using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Api;

/// <summary>What <c>tls show</c> adds for a managed certificate: the name, and the renewer's state.</summary>
public sealed record ManagedView(
    string Label,
    string HostName,
    string Challenge,
    string? IssuedBy,
    DateTimeOffset? NextRenewal,
    bool RenewRequested,
    int FailedAttempts,
    string? LastError,
    DateTimeOffset? LastAttempt)
{
    public static ManagedView Of(ManagedCertificateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ManagedView(record.Label, record.HostName, record.Challenge, record.IssuedBy, record.NextAttemptAt, record.RenewRequested, record.Attempts, record.LastError, record.LastAttemptAt);
    }
}
