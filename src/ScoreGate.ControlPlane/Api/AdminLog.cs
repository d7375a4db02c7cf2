using Microsoft.Extensions.Logging;

namespace ScoreGate.ControlPlane.Api;

/// <summary>What the admin API logs about the store it writes to.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 50, EventName = nameof(Router.EventIds.StoreWriteFailed), Level = LogLevel.Error,
        Message = "The store ({Store}) {Problem}. The router is degraded: it keeps serving what it served, and changes are refused until the store takes them.")]
    public static partial void StoreFailed(ILogger logger, string store, string problem);

    [LoggerMessage(EventId = 51, EventName = nameof(Router.EventIds.StoreWritable), Level = LogLevel.Information,
        Message = "The store ({Store}) takes changes again; the router is no longer degraded.")]
    public static partial void StoreWritable(ILogger logger, string store);
}
