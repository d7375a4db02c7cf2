using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane;

/// <summary>
/// Keeps a router on a shared (PostgreSQL) store serving what the others changed: it listens for
/// the revision every write announces and publishes it; after any gap (a restart, a dropped
/// connection, a lost notification) it publishes whatever the store's revision is, since a route
/// table is rebuilt whole from the store. While the store is unreachable the router keeps the
/// table and certificates it has, reports itself degraded, and reconnects with backoff.
/// </summary>
public sealed partial class StoreChangeFeed(
    SqlStore store,
    ConfigurationPublisher publisher,
    StoreHealth health,
    TimeProvider time,
    ILogger<StoreChangeFeed> logger) : BackgroundService
{
    // Between notifications the revision is still read this often: a notification lost in
    // transit costs at most this long.
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await store.ListenAsync(stoppingToken);
                // Listening first, then catching up: nothing committed in between is missed.
                await publisher.PublishAsync(stoppingToken);
                if (health.Recovered())
                {
                    Log.Reconnected(logger, health.Description, publisher.ServedRevision);
                }

                backoff = FirstBackoff;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(CheckEvery, stoppingToken);
                    await publisher.PublishAsync(stoppingToken);
                }
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                if (health.Failed($"cannot be reached: {error.Message}", time.GetUtcNow()))
                {
                    Log.Unreachable(logger, health.Description, publisher.ServedRevision, error.Message);
                }

                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 48, EventName = nameof(Router.EventIds.StoreUnreachable), Level = LogLevel.Warning,
            Message = "The store ({Store}) cannot be reached: {Problem}. Still serving revision {Revision} and its certificates; reconnecting.")]
        public static partial void Unreachable(ILogger logger, string store, long revision, string problem);

        [LoggerMessage(EventId = 49, EventName = nameof(Router.EventIds.StoreReconnected), Level = LogLevel.Information,
            Message = "The store ({Store}) is back; serving revision {Revision}.")]
        public static partial void Reconnected(ILogger logger, string store, long revision);
    }
}
