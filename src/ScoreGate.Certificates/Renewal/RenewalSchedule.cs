namespace ScoreGate.Certificates.Renewal;

/// <summary>
/// When to renew and when to retry (DESIGN.md §6). Pure functions of their inputs, so the
/// rules are tested without clocks or servers.
/// </summary>
public static class RenewalSchedule
{
    /// <summary>Automatic renewals never come sooner than this after an issuance: a guard against re-issuing in a loop.</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromHours(1);

    /// <summary>How often the CA's renewal information is asked again while a certificate is not due.</summary>
    public static readonly TimeSpan RenewalInfoRecheck = TimeSpan.FromHours(6);

    /// <summary>The first retry after a failure; each further failure doubles it up to <see cref="LongestBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(6);

    /// <summary>A <c>Retry-After</c> longer than this is not believed: renewal must never silently stop.</summary>
    public static readonly TimeSpan LongestRetryAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// When a third of the lifetime remains, moved earlier by up to 1/30 of the lifetime
    /// (<paramref name="jitter"/> in [0, 1)) so many certificates issued together do not all
    /// renew in the same minute.
    /// </summary>
    public static DateTimeOffset RenewAt(DateTimeOffset notBefore, DateTimeOffset notAfter, double jitter)
    {
        var lifetime = notAfter - notBefore;
        return notAfter - (lifetime / 3) - (lifetime / 30 * Math.Clamp(jitter, 0, 1));
    }

    /// <summary>A time in the CA's suggested window (RFC 9773 4.2: chosen uniformly at random), not in the past.</summary>
    public static DateTimeOffset InWindow(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, double random)
    {
        if (end <= start)
        {
            return start < now ? now : start;
        }

        var chosen = start + ((end - start) * Math.Clamp(random, 0, 1));
        return chosen < now ? now : chosen;
    }

    /// <summary>The next automatic attempt for a certificate that is in place.</summary>
    /// <param name="issuedAt">When it was issued, by our clock (the guard counts from there).</param>
    /// <param name="lifetimeRenewal">From <see cref="RenewAt"/>.</param>
    /// <param name="renewalInfo">From the CA's ARI window, when it has one.</param>
    /// <param name="now">The time now.</param>
    public static DateTimeOffset Next(DateTimeOffset issuedAt, DateTimeOffset lifetimeRenewal, DateTimeOffset? renewalInfo, DateTimeOffset now)
    {
        var renewAt = renewalInfo is { } ari && ari < lifetimeRenewal ? ari : lifetimeRenewal;
        var earliest = issuedAt + MinimumAge;
        if (renewAt < earliest)
        {
            renewAt = earliest;
        }

        // Not due yet: come back in time to see a changed ARI window.
        return renewalInfo is not null && renewAt > now + RenewalInfoRecheck ? now + RenewalInfoRecheck : renewAt;
    }

    /// <summary>After <paramref name="failures"/> failed attempts in a row: 1, 2, 4... minutes up to 6 hours, or longer if the server asked.</summary>
    public static TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var exponent = Math.Clamp(failures - 1, 0, 20);
        var backoff = TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << exponent, LongestBackoff.Ticks));
        if (retryAfter is { } asked && asked > backoff)
        {
            backoff = asked < LongestRetryAfter ? asked : LongestRetryAfter;
        }

        return backoff;
    }
}
