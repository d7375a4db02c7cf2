using System.Security.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScoreGate.Router.Configuration;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Watches the router's certificate source (PEM files or a mounted secret) and swaps a new
/// certificate in for new handshakes as soon as it validates. Open connections keep the
/// certificate they were made with. A refused certificate is logged and the previous one keeps
/// serving: nothing is lost, nothing goes down (DESIGN.md §3).
/// </summary>
public sealed partial class CertificateReloader(
    RouterCertificateSource source,
    string? cname,
    SslProtocols minimum,
    string initialFingerprint,
    CertificateSelector selector,
    TimeProvider time,
    ILogger<CertificateReloader> logger) : BackgroundService
{
    /// <summary>Half the 2 s in which a change must be served, so a change is seen within one interval.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private string _fingerprint = initialFingerprint;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ReloadIfChanged();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One poll: loads and publishes the certificate if the files changed since the last poll.</summary>
    /// <returns>True when a new certificate was published.</returns>
    public bool ReloadIfChanged()
    {
        var fingerprint = CertificateFingerprint.Of(source.Files);
        if (fingerprint == _fingerprint)
        {
            return false;
        }

        _fingerprint = fingerprint;
        var loaded = TlsBindingLoader.Load(source, cname, minimum, time);
        if (loaded.Binding is not { } binding)
        {
            Log.ReloadRefused(logger, loaded.Error!);
            return false;
        }

        // The previous bundle is not disposed: handshakes in progress and open connections may
        // still use it. It is unreachable once they end, and collected then.
        selector.Publish(selector.Current.WithDefault(binding));
        var leaf = binding.Certificate.Leaf;
        Log.Reloaded(logger, leaf.Subject, leaf.SerialNumber, source.SettingNames);
        foreach (var warning in binding.Certificate.Warnings)
        {
            Log.Warning(logger, warning);
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6, EventName = nameof(EventIds.CertificateReloaded), Level = LogLevel.Information,
            Message = "New certificate {Subject} (serial {SerialNumber}) from {Source} now serves new connections.")]
        public static partial void Reloaded(ILogger logger, string subject, string serialNumber, string source);

        [LoggerMessage(EventId = 7, EventName = nameof(EventIds.CertificateReloadRefused), Level = LogLevel.Warning,
            Message = "The changed certificate was refused; the previous one keeps serving. {Reason}")]
        public static partial void ReloadRefused(ILogger logger, string reason);

        [LoggerMessage(EventId = 4, EventName = nameof(EventIds.CertificateWarning), Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void Warning(ILogger logger, string warning);
    }
}
