using Microsoft.Extensions.Logging;

namespace ScoreGate.ControlPlane.Managed;

public sealed partial class ManagedCertificateRenewer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 60, EventName = nameof(Router.EventIds.ManagedNameGenerated), Level = LogLevel.Information,
            Message = "Managed certificate of {Owner}: generated the name {HostName}.")]
        public static partial void NameGenerated(ILogger logger, string owner, string hostName);

        [LoggerMessage(EventId = 61, EventName = nameof(Router.EventIds.ManagedCertificateIssued), Level = LogLevel.Information,
            Message = "Managed certificate of {Owner} issued for {HostName}: serial {SerialNumber}, valid until {NotAfter:u}, from {Directory}, in {ElapsedMs} ms.")]
        public static partial void Issued(ILogger logger, string owner, string hostName, string serialNumber, DateTimeOffset notAfter, Uri directory, long elapsedMs);

        [LoggerMessage(EventId = 62, EventName = nameof(Router.EventIds.ManagedAttemptFailed), Level = LogLevel.Warning,
            Message = "Managed certificate of {Owner} for {HostName}: attempt {Attempts} failed, next at {NextAttempt:u}; {Serving}. {Error}")]
        public static partial void AttemptFailed(ILogger logger, string owner, string hostName, int attempts, DateTimeOffset nextAttempt, string serving, string error);

        [LoggerMessage(EventId = 63, EventName = nameof(Router.EventIds.RenewalInfoUnavailable), Level = LogLevel.Debug,
            Message = "Renewal information for {HostName} unavailable; the lifetime rule applies. {Error}")]
        public static partial void RenewalInfoUnavailable(ILogger logger, string hostName, string error);

        [LoggerMessage(EventId = 64, EventName = nameof(Router.EventIds.ManagedLoopFailed), Level = LogLevel.Error,
            Message = "The managed-certificate loop could not read the store; trying again in a minute.")]
        public static partial void LoopFailed(ILogger logger, Exception error);
    }
}
