using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScoreGate.Certificates.Acme;
using ScoreGate.Certificates.Renewal;
using ScoreGate.ControlPlane.Settings;
using ScoreGate.ControlPlane.Store;

namespace ScoreGate.ControlPlane.Managed;

/// <summary>
/// Keeps every managed certificate issued and fresh (DESIGN.md §6): publishes the name, obtains
/// the certificate, renews it when a third of its lifetime remains or the CA's ARI window says
/// so, and retries failures on a capped backoff. A failure never stops the loop and never
/// removes the certificate being served; it is stored where <c>tls show</c> reports it.
/// Routers sharing a store take the store's lock for a name before touching its record and
/// read the record again once they hold it, so one router issues and the rest load the result.
/// </summary>
public sealed partial class ManagedCertificateRenewer(
    IScoreGateStore store,
    RouterSettings settings,
    ConfigurationPublisher publisher,
    AcmeAccounts accounts,
    IEnumerable<IAcmeChallengeResponder> responders,
    DnsNamePublisher? names,
    TimeProvider time,
    ILogger<ManagedCertificateRenewer> logger) : BackgroundService
{
    // The loop reads the store at least this often, so nothing waits on a lost wake-up.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);

    // A name another router is issuing is looked at again after this; by then it is usually done.
    private static readonly TimeSpan LockedElsewhereRecheck = TimeSpan.FromSeconds(5);

    // How long a CLI call or a starting router waits for another router's issuance to finish.
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);

    // Scheduled attempts of different names running at once: enough that a hung CA or DNS server
    // for some names leaves the others renewing, few enough not to flood a CA at start.
    private const int MaxConcurrentAttempts = 4;

    /// <remarks>One per scope (upper-case), held for every attempt on it: never two issuances for one name, and a slow name holds only itself.</remarks>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <remarks>Taken by the loop's scheduled attempts only; <c>tls renew</c> is one person's request and is never queued behind a hung name.</remarks>
    private readonly SemaphoreSlim _slots = new(MaxConcurrentAttempts, MaxConcurrentAttempts);

    /// <remarks>The loop's attempt in progress per scope (upper-case): added by the loop only, removed by the attempt when it ends.</remarks>
    private readonly ConcurrentDictionary<string, Task> _jobs = new(StringComparer.Ordinal);

    /// <remarks>Scopes the loop leaves alone until the time given: another router holds the lock, or the store failed.</remarks>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _heldOff = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<IAcmeChallengeResponder> _responders = [.. responders];

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Creates or keeps the managed record of <paramref name="scope"/>: the stored name is kept
    /// when the label is unchanged, unless <paramref name="overwrite"/> asks for new characters.
    /// </summary>
    public async Task<ManagedCertificateRecord> EnsureAsync(string scope, string label, bool overwrite, bool renew, CancellationToken cancellationToken)
    {
        await using var held = await LockAsync(scope, LockWait, cancellationToken) ?? throw LockedElsewhere(scope);
        var now = time.GetUtcNow();
        var existing = await store.FindManagedCertificateAsync(scope, cancellationToken);
        var keep = existing is not null && !overwrite && existing.Label == label && GeneratedNames.Belongs(existing.HostName, label, settings.Managed);
        var record = keep
            ? existing! with { Challenge = settings.Managed.AcmeChallenge }
            : new ManagedCertificateRecord(scope, label, GeneratedNames.Generate(label, settings.Managed), settings.Managed.AcmeChallenge, existing?.CreatedAt ?? now, now);
        // A renewal asked for is due now, even during the backoff of earlier failures.
        record = record with { RenewRequested = record.RenewRequested || renew, NextAttemptAt = renew ? null : record.NextAttemptAt, UpdatedAt = now };
        await store.SaveManagedCertificateAsync(record, cancellationToken);
        if (!keep)
        {
            var owner = Owner(scope);
            Log.NameGenerated(logger, owner, record.HostName);
        }

        Wake();
        return record;
    }

    /// <summary>Renews now, even if the certificate is still valid, and returns the outcome.</summary>
    /// <returns>The record after the attempt, or null when the scope has no managed certificate.</returns>
    public async Task<ManagedCertificateRecord?> RenewNowAsync(string scope, CancellationToken cancellationToken)
    {
        var before = await store.FindManagedCertificateAsync(scope, cancellationToken);
        var gate = GateOf(scope);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var held = await LockAsync(scope, LockWait, cancellationToken) ?? throw LockedElsewhere(scope);
            var record = await store.FindManagedCertificateAsync(scope, cancellationToken);
            // Renewed by another router while this one waited for the lock: the request is met.
            if (record is null || (record.HasCertificate && record.SerialNumber != before?.SerialNumber))
            {
                return record;
            }

            return await AttemptUnsynchronizedAsync(record with { RenewRequested = true }, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Issues the first certificate now, unless the loop got there first (checked again after locking).</summary>
    /// <returns>The record after the attempt, or null when the scope has no managed certificate.</returns>
    public async Task<ManagedCertificateRecord?> EnsureIssuedAsync(string scope, CancellationToken cancellationToken)
    {
        var gate = GateOf(scope);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var held = await LockAsync(scope, LockWait, cancellationToken) ?? throw LockedElsewhere(scope);
            var record = await store.FindManagedCertificateAsync(scope, cancellationToken);
            return record is null or { HasCertificate: true } ? record : await AttemptUnsynchronizedAsync(record, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Makes the loop look at the store now (a new or changed managed certificate).</summary>
    public void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public override void Dispose()
    {
        _slots.Dispose();
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }

        base.Dispose();
    }

    /// <summary>
    /// Each pass starts an attempt for every due name that has none running, and sleeps until the
    /// earliest next attempt of the others. Attempts run on their own (certmagic renews each name
    /// in its own job): a CA that never answers for one name holds that name only, and an attempt
    /// that ends wakes the loop to schedule its name again.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = Volatile.Read(ref _wake).Task;
                var now = time.GetUtcNow();
                var next = now + LongestSleep;
                try
                {
                    foreach (var record in await store.ListManagedCertificatesAsync(stoppingToken))
                    {
                        var key = Key(record.Scope);
                        if (_jobs.ContainsKey(key))
                        {
                            continue;
                        }

                        var heldOff = _heldOff.TryGetValue(key, out var until) && until > now;
                        if (!heldOff && IsDue(record))
                        {
                            StartAttempt(key, record, stoppingToken);
                            continue;
                        }

                        var at = heldOff && (record.NextAttemptAt is null || record.NextAttemptAt < until) ? until : record.NextAttemptAt;
                        if (at is { } when && when < next)
                        {
                            next = when;
                        }
                    }
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store itself failed: nothing can be scheduled, so look again soon.
                    Log.LoopFailed(logger, error);
                    next = time.GetUtcNow() + RenewalSchedule.FirstBackoff;
                }

                var delay = next - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    // Woken early, the sleep's timer is cancelled rather than left to fire for nothing.
                    using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    Task woken = await Task.WhenAny(Task.Delay(delay, time, sleep.Token), wake);
                    await sleep.CancelAsync();
                    await woken.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        finally
        {
            // Stopping cancels the attempts; they end before the renewer says it has stopped.
            await Task.WhenAll(_jobs.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <remarks>Registered before it starts, so an attempt that ends at once still finds itself to remove.</remarks>
    private void StartAttempt(string key, ManagedCertificateRecord record, CancellationToken stoppingToken)
    {
        var job = new Task<Task>(() => AttemptScheduledAsync(key, record, stoppingToken));
        _jobs[key] = job.Unwrap();
        job.Start(TaskScheduler.Default);
    }

    private async Task AttemptScheduledAsync(string key, ManagedCertificateRecord record, CancellationToken stoppingToken)
    {
        try
        {
            await _slots.WaitAsync(stoppingToken);
            try
            {
                var gate = GateOf(record.Scope);
                await gate.WaitAsync(stoppingToken);
                try
                {
                    await AttemptIfFreeAsync(record, stoppingToken);
                }
                finally
                {
                    gate.Release();
                }
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception error)
        {
            // The store failed around the attempt: leave the name alone for a minute, not in a loop.
            Log.LoopFailed(logger, error);
            _heldOff[key] = time.GetUtcNow() + RenewalSchedule.FirstBackoff;
        }
        finally
        {
            _jobs.TryRemove(key, out _);
            Wake();
        }
    }

    /// <summary>Attempts a due certificate unless another router is at it; re-read under the lock, since that router may have just finished.</summary>
    private async Task AttemptIfFreeAsync(ManagedCertificateRecord record, CancellationToken cancellationToken)
    {
        var key = Key(record.Scope);
        await using var held = await store.TryLockAsync(LockName(record.Scope), cancellationToken);
        if (held is null)
        {
            _heldOff[key] = time.GetUtcNow() + LockedElsewhereRecheck;
            return;
        }

        _heldOff.TryRemove(key, out _);
        var fresh = await store.FindManagedCertificateAsync(record.Scope, cancellationToken);
        if (fresh is not null && IsDue(fresh))
        {
            await AttemptUnsynchronizedAsync(fresh, cancellationToken);
        }
    }

    private SemaphoreSlim GateOf(string scope) => _gates.GetOrAdd(Key(scope), _ => new SemaphoreSlim(1, 1));

    private static string Key(string scope) => scope.ToUpperInvariant();

    /// <returns>The lock of <paramref name="scope"/>'s certificate, or null when another router kept it for all of <paramref name="wait"/>.</returns>
    private async Task<IAsyncDisposable?> LockAsync(string scope, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            if (await store.TryLockAsync(LockName(scope), cancellationToken) is { } held)
            {
                return held;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(LockPoll, time, cancellationToken);
        }
    }

    private static string LockName(string scope) => $"managed-certificate/{Key(scope)}";

    private static AcmeException LockedElsewhere(string scope) =>
        new($"Another router sharing the store has been issuing the certificate of the {Owner(scope)} for over {LockWait.TotalMinutes:0} minutes. Its log says why; try again later.");

    /// <summary>
    /// Due at its next attempt; a first issuance or a renewal asked for is due at once, until an
    /// attempt at it fails: then its backoff rules, since the end of every attempt wakes the loop.
    /// </summary>
    private bool IsDue(ManagedCertificateRecord record) =>
        record.NextAttemptAt is null || record.NextAttemptAt <= time.GetUtcNow() || (record.Attempts == 0 && (!record.HasCertificate || record.RenewRequested));

    private async Task<ManagedCertificateRecord> AttemptUnsynchronizedAsync(ManagedCertificateRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (record.HasCertificate && !record.RenewRequested)
        {
            var due = await NextRenewalAsync(record, now, cancellationToken);
            if (due > now)
            {
                var waiting = record with { NextAttemptAt = due };
                await store.SaveManagedRenewalStateAsync(waiting, cancellationToken);
                return waiting;
            }
        }

        var owner = Owner(record.Scope);
        var watch = Stopwatch.StartNew();
        try
        {
            if (names is not null && await names.PublishAsync(record.HostName, cancellationToken) is { } dnsError)
            {
                throw new AcmeException(dnsError);
            }

            var (issued, directory) = await IssueAsync(record, cancellationToken);
            var updated = record with
            {
                CertificatePem = issued.ChainPem,
                KeyPem = issued.KeyPem,
                SerialNumber = issued.SerialNumber,
                NotBefore = issued.NotBefore,
                NotAfter = issued.NotAfter,
                IssuedBy = directory.AbsoluteUri,
                RenewRequested = false,
                Attempts = 0,
                LastError = null,
                LastAttemptAt = now,
                UpdatedAt = time.GetUtcNow(),
            };
            updated = updated with { NextAttemptAt = await NextRenewalAsync(updated, time.GetUtcNow(), cancellationToken) };
            await store.SaveManagedCertificateAsync(updated, cancellationToken);
            await publisher.PublishAsync(cancellationToken);
            Log.Issued(logger, owner, record.HostName, issued.SerialNumber, issued.NotAfter, directory, watch.ElapsedMilliseconds);
            return updated;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            var attempts = record.Attempts + 1;
            var retry = time.GetUtcNow() + RenewalSchedule.Backoff(attempts, (error as AcmeException)?.RetryAfter);
            var failed = record with { Attempts = attempts, LastError = error.Message, LastAttemptAt = now, NextAttemptAt = retry, UpdatedAt = time.GetUtcNow() };
            // Bookkeeping only: routers serve what they served before, so none rebuilds for it.
            await store.SaveManagedRenewalStateAsync(failed, CancellationToken.None);
            Log.AttemptFailed(logger, owner, record.HostName, attempts, retry, record.HasCertificate ? "the current certificate keeps serving" : "nothing is served for it yet", error.Message);
            return failed;
        }
    }

    /// <summary>From the first CA, or the fallback when the first fails; the error names both.</summary>
    private async Task<(IssuedCertificate Issued, Uri Directory)> IssueAsync(ManagedCertificateRecord record, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        TimeSpan? retryAfter = null;
        foreach (var directory in accounts.Directories)
        {
            try
            {
                return (await IssueFromAsync(directory, record, cancellationToken), directory);
            }
            catch (AcmeException error) when (error.Problem?.ShortType == "accountDoesNotExist")
            {
                // The CA lost our account (a reset test CA, a migrated one): register again, once.
                await accounts.ForgetAsync(directory, cancellationToken);
                try
                {
                    return (await IssueFromAsync(directory, record, cancellationToken), directory);
                }
                catch (AcmeException again)
                {
                    failures.Add(again.Message);
                    retryAfter ??= again.RetryAfter;
                }
            }
            catch (AcmeException error)
            {
                failures.Add(error.Message);
                retryAfter ??= error.RetryAfter;
            }
        }

        throw new AcmeException(string.Join(" Then: ", failures), null, retryAfter);
    }

    private async Task<IssuedCertificate> IssueFromAsync(Uri directory, ManagedCertificateRecord record, CancellationToken cancellationToken)
    {
        var client = await accounts.ClientForAsync(directory, cancellationToken);
        // The store and the admin API keep RFC 8555's spelling; the ACME client takes the kind.
        if (!AcmeChallengeKinds.TryParse(record.Challenge, out var challenge))
        {
            throw new AcmeException($"The managed certificate of the {Owner(record.Scope)} names the challenge '{record.Challenge}', which ScoreGate cannot answer. Set acmeChallenge to {AcmeChallengeKinds.Names} and run 'scoregate tls renew'.");
        }

        var request = new AcmeIssueRequest(
            [record.HostName],
            challenge,
            settings.Managed.AcmeKeyType,
            settings.Managed.AcmeEmail,
            settings.Managed.AcmeExternalAccount,
            await ReplacesAsync(client, record, cancellationToken));
        return await new AcmeIssuer(client, _responders, time).IssueAsync(request, cancellationToken);
    }

    /// <summary>The ARI id of the certificate being replaced, when the same CA issued it and offers ARI (RFC 9773 5).</summary>
    private static async Task<string?> ReplacesAsync(AcmeClient client, ManagedCertificateRecord record, CancellationToken cancellationToken)
    {
        if (record.CertificatePem is null || record.IssuedBy != client.DirectoryUrl.AbsoluteUri || (await client.GetDirectoryAsync(cancellationToken)).RenewalInfo is null)
        {
            return null;
        }

        using var leaf = X509Certificate2.CreateFromPem(record.CertificatePem);
        return AcmeCertificateId.Of(leaf);
    }

    /// <summary>When the certificate in place should be renewed: the lifetime rule, or the CA's ARI window if earlier.</summary>
    private async Task<DateTimeOffset> NextRenewalAsync(ManagedCertificateRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notBefore = record.NotBefore!.Value;
        // Jitter fixed per certificate, so a restart does not move the renewal around.
        var jitter = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.ASCII.GetBytes(record.SerialNumber ?? record.HostName))) / (double)uint.MaxValue;
        var lifetimeRenewal = RenewalSchedule.RenewAt(notBefore, record.NotAfter!.Value, jitter);
        DateTimeOffset? ari = null;
        if (record.IssuedBy is { } issuedBy && accounts.Directories.FirstOrDefault(d => d.AbsoluteUri == issuedBy) is { } directory)
        {
            try
            {
                var client = await accounts.ClientForAsync(directory, cancellationToken);
                using var leaf = X509Certificate2.CreateFromPem(record.CertificatePem!);
                if (await client.GetRenewalInfoAsync(leaf, cancellationToken) is { } info)
                {
                    ari = RenewalSchedule.InWindow(info.Value.SuggestedWindow.Start, info.Value.SuggestedWindow.End, now, jitter);
                }
            }
            catch (AcmeException error)
            {
                // ARI is advice: without it the lifetime rule still renews in time.
                Log.RenewalInfoUnavailable(logger, record.HostName, error.Message);
            }
        }

        // The guard counts from when we obtained the certificate (the last attempt, if it succeeded),
        // not from the CA's notBefore: CAs backdate notBefore, and a CA whose clock differs from
        // ours must not make a just-issued certificate look due again. After failed attempts it
        // counts from notBefore, so the guard never delays a retry past its backoff.
        var obtainedAt = record.Attempts == 0 && record.LastAttemptAt is { } succeeded ? succeeded : notBefore;
        return RenewalSchedule.Next(obtainedAt, lifetimeRenewal, ari, now);
    }

    private static string Owner(string scope) => scope.Length == 0 ? "router" : $"endpoint {scope}";
}
