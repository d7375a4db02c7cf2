using System.Collections.Concurrent;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using ScoreGate.Certificates.Acme;
using ScoreGate.Certificates.Renewal;
using ScoreGate.ControlPlane.Managed;
using ScoreGate.ControlPlane.Secrets;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;
using ScoreGate.Dns;
using ScoreGate.Dns.Tsig;
using ScoreGate.Router.Routing;
using ScoreGate.Router.Tls;

namespace ScoreGate.ControlPlane.Tests.Managed;

/// <summary>
/// The renewer on its own schedule, with time moved by the test: renewal when a third of the
/// lifetime remains, a failed attempt that keeps the certificate serving, and the retry after
/// the backoff. Pebble issues and BIND holds the DNS-01 answers; only the clock is fake.
/// </summary>
public sealed class ManagedCertificateRenewerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    // A day ahead of the CA: its certificates start at its own "now", which must not be in our future.
    private readonly TimerTrackingFakeTimeProvider _time = new(DateTimeOffset.UtcNow.AddDays(1));
    private readonly CertificateSelector _selector = new();
    private BindServer _bind = null!;
    private PebbleServer _pebble = null!;
    private SqlStore _store = null!;
    private ManagedCertificateRenewer _renewer = null!;
    private AcmeAccounts _accounts = null!;
    private HoldingResponder _responder = null!;

    public async Task InitializeAsync()
    {
        _bind = await BindServer.StartAsync();
        _pebble = await PebbleServer.StartAsync(_bind.Address, FreePort.Next(), FreePort.Next());
        _store = await SqlStore.OpenSqliteAsync(_dir.File("scoregate.db"), new SecretProtector(RandomNumberGenerator.GetBytes(32)));
        var key = TsigKey.Parse(_bind.KeyName, _bind.Secret, _bind.Algorithm).Key!;
        var managed = new ManagedSettings
        {
            LeafDomainLabel = "auto",
            DnsZone = _bind.Zone,
            PublicIps = [IPAddress.Loopback],
            AcmeDirectory = _pebble.DirectoryUrl,
            AcmeCaBundlePem = await File.ReadAllTextAsync(_pebble.ListenerCaFile),
            AcmeChallenge = "dns-01",
            DnsServer = new IPEndPoint(IPAddress.Loopback, _bind.Port),
            DnsTsigKey = key,
        };
        var settings = new RouterSettings { AdminUrl = new Uri("http://127.0.0.1:7400"), StateDir = _dir.Path, Managed = managed };
        var watcher = new TlsBindingWatcher(_selector, SslProtocols.Tls12, _time, NullLogger<TlsBindingWatcher>.Instance);
        var publisher = new ConfigurationPublisher(_store, settings, new RouteTableHolder(), watcher, NullLogger<ConfigurationPublisher>.Instance);
        // TSIG signs with the real time: BIND checks it against its own clock.
        var dns = new DnsClient(new DnsTransport(managed.DnsServer, TimeSpan.FromSeconds(2)), key, TimeProvider.System);
        _accounts = new AcmeAccounts(_store, managed, _time);
        _responder = new HoldingResponder(new Dns01ChallengeResponder(dns, _bind.Zone));
        _renewer = new ManagedCertificateRenewer(_store, settings, publisher, _accounts, [_responder],
            new DnsNamePublisher(dns, managed), _time, NullLogger<ManagedCertificateRenewer>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _renewer.StopAsync(default);
        _renewer.Dispose();
        _accounts.Dispose();
        _pebble.Dispose();
        _bind.Dispose();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Loop_ThirdOfLifetimeLeft_RenewsUnasked_AndAfterAFailureRetriesOnBackoff()
    {
        await _renewer.EnsureAsync(TlsBindingRecord.RouterScope, "auto", overwrite: false, renew: false, default);
        await _renewer.StartAsync(default);
        var first = await WaitForAsync(r => r.HasCertificate && Serves(r));

        // Pebble's certificates last 5 years: renewal is due once about two thirds have passed.
        Assert.InRange(
            first.NextAttemptAt!.Value,
            RenewalSchedule.RenewAt(first.NotBefore!.Value, first.NotAfter!.Value, jitter: 1),
            RenewalSchedule.RenewAt(first.NotBefore!.Value, first.NotAfter!.Value, jitter: 0));
        await RenewerAsleepUntilAsync(first.NextAttemptAt!.Value);
        _time.Advance(first.NextAttemptAt!.Value - _time.GetUtcNow() + TimeSpan.FromMinutes(1));
        var second = await WaitForAsync(r => r.SerialNumber != first.SerialNumber && Serves(r));
        Assert.Equal(0, second.Attempts);

        // Our clock now runs years ahead of Pebble's, so the new certificate may already look due:
        // the guard holds the next attempt back at least an hour instead of renewing in a loop.
        Assert.True(second.NextAttemptAt >= second.LastAttemptAt + RenewalSchedule.MinimumAge, $"next attempt {second.NextAttemptAt}, last {second.LastAttemptAt}");

        // The CA goes away; the next attempt fails, is recorded, and the certificate keeps serving.
        _pebble.Stop();
        await RenewerAsleepUntilAsync(second.NextAttemptAt!.Value);
        _time.Advance(second.NextAttemptAt!.Value - _time.GetUtcNow() + TimeSpan.FromMinutes(1));
        var failed = await WaitForAsync(r => r.Attempts == 1);
        Assert.StartsWith($"The ACME server {_pebble.DirectoryUrl} cannot be reached", failed.LastError, StringComparison.Ordinal);
        Assert.InRange(failed.NextAttemptAt!.Value, failed.LastAttemptAt!.Value + RenewalSchedule.Backoff(1, null), failed.LastAttemptAt!.Value + RenewalSchedule.Backoff(2, null));
        Assert.True(Serves(second));

        // Back, and one backoff later the retry succeeds on its own.
        await _pebble.RestartAsync();
        await RenewerAsleepUntilAsync(failed.NextAttemptAt!.Value);
        _time.Advance(failed.NextAttemptAt!.Value - _time.GetUtcNow() + TimeSpan.FromSeconds(1));
        var third = await WaitForAsync(r => r.SerialNumber != second.SerialNumber && Serves(r));
        Assert.Equal(0, third.Attempts);
        Assert.Null(third.LastError);
        // The restarted Pebble forgot our account: its first order is refused (accountDoesNotExist),
        // the renewer registers again and orders once more. Nothing else reached it.
        Assert.Equal(2, _pebble.OrderCount);
    }

    [Fact]
    public async Task RenewNow_FailedAttempt_LeavesRevision_SuccessBumpsIt()
    {
        await _renewer.EnsureAsync(TlsBindingRecord.RouterScope, "auto", overwrite: false, renew: false, default);
        var before = await _store.GetRevisionAsync();

        // An unreachable CA: the attempt's bookkeeping is stored, and routers have nothing to rebuild.
        _pebble.Stop();
        var failed = await PumpAsync(_renewer.RenewNowAsync(TlsBindingRecord.RouterScope, default));
        Assert.Equal(1, failed!.Attempts);
        Assert.Equal(1, (await _store.FindManagedCertificateAsync(TlsBindingRecord.RouterScope))!.Attempts);
        Assert.Equal(before, await _store.GetRevisionAsync());

        await _pebble.RestartAsync();
        var issued = await PumpAsync(_renewer.RenewNowAsync(TlsBindingRecord.RouterScope, default));
        Assert.True(issued!.HasCertificate, issued.LastError);
        Assert.True(await _store.GetRevisionAsync() > before);
    }

    [Fact]
    public async Task NameThatNeverValidates_HoldsNoOtherName_InTheLoopOrInRenewNow()
    {
        // Scopes are attempted in name order: the hung one comes first.
        var hung = await _renewer.EnsureAsync("aaa", "hung", overwrite: false, renew: false, default);
        _responder.Hold(hung.HostName);
        await _renewer.EnsureAsync("zzz", "free", overwrite: false, renew: false, default);
        await _renewer.StartAsync(default);

        var first = await WaitForAsync(r => r.HasCertificate, "zzz");
        var renewed = await PumpAsync(_renewer.RenewNowAsync("zzz", default));

        Assert.True(renewed!.HasCertificate, renewed.LastError);
        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.True(_responder.IsHolding(hung.HostName));
        Assert.False((await _store.FindManagedCertificateAsync("aaa"))!.HasCertificate);
    }

    /// <summary>Moves the fake clock 50 ms at a time while <paramref name="task"/> runs, so the issuer's polling delays pass; bounded by 30 s of real time.</summary>
    private async Task<T> PumpAsync<T>(Task<T> task)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(10);
        }

        return task.IsCompleted ? await task : throw new TimeoutException("The attempt did not finish within 30 s.");
    }

    /// <summary>
    /// Waits until the loop sleeps towards <paramref name="nextAttempt"/> (or its hourly look,
    /// whichever is first): jumping the clock before its timer exists would leave it asleep. The
    /// clock stands still meanwhile, so that sleep's timer is due exactly then; an earlier sleep,
    /// cut short by the attempt's end, was due at another time.
    /// </summary>
    private Task RenewerAsleepUntilAsync(DateTimeOffset nextAttempt)
    {
        var hourly = _time.GetUtcNow().AddHours(1);
        var wakesAt = nextAttempt < hourly ? nextAttempt : hourly;
        return Eventually.TrueAsync(() => _time.HasTimerDueAt(wakesAt), "the renewer never went to sleep");
    }

    /// <summary>The record is saved before it is published: a test waits for both.</summary>
    private bool Serves(ManagedCertificateRecord record) =>
        record.SerialNumber is not null && record.SerialNumber == _selector.Current.Default?.Certificate.Leaf.SerialNumber;

    /// <summary>
    /// Waits for the stored record to satisfy <paramref name="condition"/>, moving the fake clock
    /// 50 ms at a time so the issuer's short polling delays pass; bounded by 30 s of real time.
    /// </summary>
    private async Task<ManagedCertificateRecord> WaitForAsync(Func<ManagedCertificateRecord, bool> condition, string scope = TlsBindingRecord.RouterScope)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ManagedCertificateRecord? record = null;
        while (DateTime.UtcNow < deadline)
        {
            record = await _store.FindManagedCertificateAsync(scope);
            if (record is not null && condition(record))
            {
                return record;
            }

            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(10);
        }

        throw new TimeoutException($"The managed record did not reach the expected state within 30 s: {record} (attempts {record?.Attempts}, error {record?.LastError}).");
    }

    /// <summary>
    /// The DNS-01 responder, except that for the names held it never puts the answer in place
    /// and never returns (until the attempt is cancelled): a validation that hangs for one name.
    /// </summary>
    private sealed class HoldingResponder(IAcmeChallengeResponder inner) : IAcmeChallengeResponder
    {
        private readonly ConcurrentDictionary<string, bool> _held = new(StringComparer.OrdinalIgnoreCase);

        public AcmeChallengeKind Kind => inner.Kind;

        public void Hold(string name) => _held[name] = false;

        /// <summary>Whether an attempt for <paramref name="name"/> is hanging right now.</summary>
        public bool IsHolding(string name) => _held.GetValueOrDefault(name);

        public async Task<string?> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
        {
            if (!_held.ContainsKey(domain))
            {
                return await inner.PresentAsync(domain, token, keyAuthorization, cancellationToken);
            }

            _held[domain] = true;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return null;
            }
            finally
            {
                _held[domain] = false;
            }
        }

        public Task CleanupAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken) =>
            _held.ContainsKey(domain) ? Task.CompletedTask : inner.CleanupAsync(domain, token, keyAuthorization, cancellationToken);
    }
}
