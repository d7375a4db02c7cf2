using System.Security.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ScoreGate.Router.Tls;

/// <summary>
/// Keeps the served certificates in step with their sources. The control plane says what
/// should be served (<see cref="Apply"/>); every second the watcher re-reads sources whose
/// contents changed (<see cref="ReloadIfChanged"/>). Either way a new <see cref="TlsSnapshot"/>
/// is published for new handshakes, and open connections keep the certificate they started with.
/// A source that fails keeps its last good certificate if it had one; otherwise its host name
/// is refused, never given another name's certificate. One broken source fails only its own name.
/// </summary>
public sealed partial class TlsBindingWatcher(CertificateSelector selector, SslProtocols minimum, TimeProvider time, ILogger<TlsBindingWatcher> logger) : BackgroundService
{
    /// <summary>Half the 2 s in which a change must be served, so a change is seen within one interval.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();

    /// <remarks>Acquire <see cref="_gate"/> before accessing. Keyed by host name; "" is the default.</remarks>
    private Dictionary<string, Entry> _entries = [];

    /// <summary>The last load error per host name ("" for the default), for <c>tls show</c>.</summary>
    public IReadOnlyDictionary<string, string> Problems
    {
        get
        {
            lock (_gate)
            {
                return _entries.Where(e => e.Value.Error is not null).ToDictionary(e => e.Key, e => e.Value.Error!, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>
    /// Starts with a binding already loaded and checked (the router's own, at start), so the first
    /// poll does not load it again.
    /// </summary>
    public void Seed(TlsBindingSpec spec, string fingerprint, TlsBinding binding)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            _entries[Key(spec)] = new Entry(spec, fingerprint, binding, null);
            AnnounceUnsynchronized(spec, binding);
            PublishUnsynchronized();
        }
    }

    /// <summary>Serves exactly these bindings from now on, loading those that are new or changed.</summary>
    /// <param name="defaultSpec">The router's own binding, or null for none (TLS off for unnamed hosts).</param>
    /// <param name="hostSpecs">One per endpoint host name.</param>
    public void Apply(TlsBindingSpec? defaultSpec, IReadOnlyList<TlsBindingSpec> hostSpecs)
    {
        ArgumentNullException.ThrowIfNull(hostSpecs);
        lock (_gate)
        {
            var next = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
            foreach (var spec in hostSpecs.Prepend(defaultSpec).OfType<TlsBindingSpec>())
            {
                var key = Key(spec);
                var fingerprint = spec.Fingerprint();
                next[key] = _entries.TryGetValue(key, out var current) && current.Spec.SameAs(spec) && current.Fingerprint == fingerprint
                    ? current with { Spec = spec }
                    : LoadUnsynchronized(spec, fingerprint, _entries.GetValueOrDefault(key) is { } previous && previous.Spec.SameAs(spec) ? previous.Binding : null);
            }

            _entries = next;
            PublishUnsynchronized();
        }
    }

    /// <summary>One poll: reloads every source whose contents changed.</summary>
    /// <returns>True when a new snapshot was published.</returns>
    public bool ReloadIfChanged()
    {
        lock (_gate)
        {
            var changed = false;
            foreach (var (key, entry) in _entries.ToList())
            {
                var fingerprint = entry.Spec.Fingerprint();
                if (fingerprint != entry.Fingerprint)
                {
                    _entries[key] = LoadUnsynchronized(entry.Spec, fingerprint, entry.Binding);
                    changed = true;
                }
            }

            if (changed)
            {
                PublishUnsynchronized();
            }

            return changed;
        }
    }

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

    private Entry LoadUnsynchronized(TlsBindingSpec spec, string fingerprint, TlsBinding? lastGood)
    {
        var loaded = TlsBindingLoader.Load(spec, minimum, time, logger);
        var described = Describe(spec);
        if (loaded.Binding is not { } binding)
        {
            var consequence = lastGood is null ? "it is not served" : "the previous certificate keeps serving";
            Log.Refused(logger, described, consequence, loaded.Error!);
            return new Entry(spec, fingerprint, lastGood, loaded.Error);
        }

        // A previous binding is not disposed: handshakes in progress and open connections may still
        // use it. It becomes unreachable once they end, and is collected then.
        AnnounceUnsynchronized(spec, binding);
        return new Entry(spec, fingerprint, binding, null);
    }

    /// <summary>The one place that says which certificate serves a name, and what is questionable about it.</summary>
    private void AnnounceUnsynchronized(TlsBindingSpec spec, TlsBinding binding)
    {
        var described = Describe(spec);
        var leaf = binding.Certificate.Leaf;
        var names = string.Join(", ", binding.Certificate.Names);
        var notAfter = leaf.NotAfter.ToUniversalTime();
        Log.Serving(logger, described, leaf.Subject, names, leaf.SerialNumber, notAfter, spec.Source.Description);
        foreach (var warning in binding.Certificate.Warnings)
        {
            Log.Warning(logger, warning);
        }
    }

    private void PublishUnsynchronized()
    {
        var defaultBinding = _entries.GetValueOrDefault(string.Empty)?.Binding;
        var hosts = _entries.Where(e => e.Key.Length > 0).ToList();
        selector.Publish(new TlsSnapshot(
            defaultBinding,
            hosts.Select(e => e.Value.Binding).OfType<TlsBinding>(),
            hosts.Where(e => e.Value.Binding is null).Select(e => e.Key)));
    }

    private static string Key(TlsBindingSpec spec) => spec.HostName ?? string.Empty;

    private static string Describe(TlsBindingSpec spec) => spec.HostName is null ? "the router's default binding" : $"host {spec.HostName}";

    /// <param name="Spec">What should be served.</param>
    /// <param name="Fingerprint">The source's contents when last loaded.</param>
    /// <param name="Binding">What is served: the last good load, or null.</param>
    /// <param name="Error">Why the last load failed, or null.</param>
    private sealed record Entry(TlsBindingSpec Spec, string Fingerprint, TlsBinding? Binding, string? Error);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3, EventName = nameof(EventIds.CertificateServing), Level = LogLevel.Information,
            Message = "Certificate for {Binding}: {Subject} for {Names} (serial {SerialNumber}, valid until {NotAfter:u}) from {Source} now serves new connections.")]
        public static partial void Serving(ILogger logger, string binding, string subject, string names, string serialNumber, DateTime notAfter, string source);

        [LoggerMessage(EventId = 5, EventName = nameof(EventIds.CertificateRefused), Level = LogLevel.Warning,
            Message = "The certificate for {Binding} was refused; {Consequence}. {Reason}")]
        public static partial void Refused(ILogger logger, string binding, string consequence, string reason);

        [LoggerMessage(EventId = 4, EventName = nameof(EventIds.CertificateWarning), Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void Warning(ILogger logger, string warning);
    }
}
